"""Production settings come from the environment: `check --deploy` is clean with
deploy/production.env, production refuses to start without its secrets, Redis holds
the cache and the sessions, files can go to S3-compatible storage, and every
variable settings.py reads is listed in .env.example."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = ROOT / "deploy" / "production.env"


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # the suite's own settings must not leak into the child
        if not key.startswith(("DATABASE_", "REDIS_", "STORAGE_", "SECURE_"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    for name in ("SANFU_VAR_DIR", "STATIC_ROOT", "MEDIA_ROOT"):
        env[name] = f"/nonexistent/{name.lower()}"
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "sanfu.settings"
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_values(env: dict[str, str], *expressions: str) -> list[str]:
    """Each expression evaluated in a child process started with ``env``."""
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr({expression}))" for expression in expressions
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_check_deploy_is_clean_with_the_production_environment() -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_about_the_development_defaults() -> None:
    env = production_env(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing: str) -> None:
    result = manage("check", env=production_env(**{missing: ""}))
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_redis_holds_the_cache_and_the_sessions() -> None:
    engine, backends = settings_values(
        production_env(),
        "settings.SESSION_ENGINE",
        "sorted({c['BACKEND'] for c in settings.CACHES.values()})",
    )
    assert engine == "'django.contrib.sessions.backends.cache'"
    assert backends == "['django.core.cache.backends.redis.RedisCache']"


def test_postgresql_connections_persist_with_health_checks_and_time_out() -> None:
    default = "settings.DATABASES['default']"
    assert settings_values(
        production_env(),
        f"{default}['CONN_MAX_AGE']",
        f"{default}['CONN_HEALTH_CHECKS']",
        f"{default}['OPTIONS']['connect_timeout']",
        f"{default}['OPTIONS']['options']",
    ) == ["60", "True", "5", "'-c statement_timeout=30000'"]


def test_a_replica_url_adds_a_replica_that_tests_mirror() -> None:
    env = production_env(DATABASE_REPLICA_URL="postgres://sanfu@10.0.0.2:5432/sanfu")
    replica = "settings.DATABASES['replica']"
    assert settings_values(
        env, f"{replica}['HOST']", f"{replica}['TEST']['MIRROR']"
    ) == ["'10.0.0.2'", "'default'"]


def test_s3_storage_is_configured_from_the_environment() -> None:
    env = production_env(
        STORAGE_BACKEND="s3",
        STORAGE_BUCKET="sanfu-files",
        STORAGE_ENDPOINT_URL="https://files.example.gov.cn",
        STORAGE_ACCESS_KEY="key",
        STORAGE_SECRET_KEY="secret",
    )
    storage = "__import__('django.core.files.storage').core.files.storage.storages"
    kind, bucket, endpoint, signed, policy = settings_values(
        env,
        f"type({storage}['default']).__name__",
        f"{storage}['default'].bucket_name",
        f"{storage}['default'].endpoint_url",
        f"{storage}['default'].querystring_auth",
        "settings.CONTENT_SECURITY_POLICY",
    )
    assert (kind, bucket, endpoint, signed) == (
        "'S3Storage'",
        "'sanfu-files'",
        "'https://files.example.gov.cn'",
        "True",
    )
    # the policy lets pages show images kept there
    assert "img-src 'self' data: blob: https://files.example.gov.cn;" in policy


def test_s3_storage_refuses_to_start_without_a_bucket() -> None:
    result = manage("check", env=production_env(STORAGE_BACKEND="s3"))
    assert result.returncode != 0
    assert "STORAGE_BUCKET must be set" in result.stderr


def test_every_variable_settings_reads_is_in_env_example() -> None:
    source = (ROOT / "sanfu" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    listed = set(
        re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read, "no variable found: the pattern is out of date"
    assert read - listed == set()
