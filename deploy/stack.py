"""The whole stack on one machine, on loopback: PostgreSQL, Redis, two gunicorn app
servers, the task worker and nginx balancing the app servers.

    python deploy/stack.py up      # make serve
    python deploy/stack.py down    # make serve-stop
    python deploy/stack.py up --private --state var/stack-ci   # the CI stack test

By default it uses the machine's PostgreSQL cluster on 127.0.0.1:5432 (started
with pg_ctlcluster when it is down; database ``sanfu_serve``) and Redis on
127.0.0.1:6379 (started when nothing answers there). ``--private`` makes a
PostgreSQL cluster (initdb) and a Redis server of its own under the state folder,
on free ports, so that tests can restart or kill them without touching anyone
else's. Then it migrates, collects the static files (hashed names, gzip copies),
loads the demo once, and starts two app servers, the worker and nginx.

Everything it starts is written to ``<state>/stack.json`` as it starts, and
``down`` stops exactly that, in reverse order, also after a failed ``up``. The
servers run with the production settings (DEBUG off, Redis, the database task
queue) except TLS: cookies are not marked secure on plain HTTP over loopback.
"""

import argparse
import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PYTHON = sys.executable
SHARED_PG_PORT = 5432
SHARED_REDIS_PORT = 6379


def log(message: str) -> None:
    print(f"[stack] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


def wait_for(check: Any, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def pg_bin(name: str) -> str:
    """The newest installed PostgreSQL's program (Debian keeps them per version)."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(path.split("/")[4]),
    )
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return on_path


def as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root
    return (
        ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
    )


class Stack:
    """What was started, kept in ``stack.json`` so that ``down`` finds it."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.file = state / "stack.json"
        self.data: dict[str, Any] = (
            json.loads(self.file.read_text()) if self.file.exists() else {}
        )
        self.data.setdefault("started", [])

    def save(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        self.file.write_text(json.dumps(self.data, indent=2))

    def started(self, kind: str, **details: Any) -> None:
        self.data["started"].append({"kind": kind, **details})
        self.save()

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(self.data["env"])
        return env


# --- PostgreSQL ---------------------------------------------------------------


def start_private_postgres(stack: Stack) -> str:
    data = stack.state / "pg"
    port = free_port()
    # the server's socket and log: a folder the postgres user may write to
    sockets = stack.state / "pg-run"
    fresh = not data.exists()
    if fresh:
        data.mkdir(parents=True)
        sockets.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
            shutil.chown(sockets, "postgres", "postgres")
        subprocess.run(
            as_postgres(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    stack.data["pg"] = {"data": str(data), "port": port, "sockets": str(sockets)}
    pg_ctl_start(stack)
    stack.started("private-postgres", data=str(data))
    if fresh:
        subprocess.run(
            [
                pg_bin("createdb"),
                "-h",
                HOST,
                "-p",
                str(port),
                "-U",
                "postgres",
                "sanfu",
            ],
            check=True,
        )
    return f"postgres://postgres@{HOST}:{port}/sanfu"


def pg_ctl_start(stack: Stack) -> None:
    pg = stack.data["pg"]
    options = (
        f"-p {pg['port']} -k {pg['sockets']} -c listen_addresses={HOST} "
        "-c fsync=off -c max_connections=100"
    )
    subprocess.run(
        as_postgres(
            [
                pg_bin("pg_ctl"),
                "-D",
                pg["data"],
                "-o",
                options,
                "-l",
                str(Path(pg["sockets"]) / "postgres.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def pg_ctl_stop(data: str, mode: str = "fast") -> None:
    subprocess.run(
        as_postgres([pg_bin("pg_ctl"), "-D", data, "-m", mode, "-w", "stop"]),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def restart_private_postgres(stack: Stack) -> None:
    """Stop (fast: connections are cut) and start again: what the fault test does."""
    pg_ctl_stop(stack.data["pg"]["data"])
    pg_ctl_start(stack)


def use_shared_postgres(stack: Stack) -> str:
    ready = [pg_bin("pg_isready"), "-q", "-h", HOST, "-p", str(SHARED_PG_PORT)]
    if subprocess.run(ready, check=False).returncode != 0:
        version = sorted(os.listdir("/etc/postgresql"))[0]
        log(f"starting the local PostgreSQL cluster ({version}/main)")
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
        subprocess.run([*command, "start"], check=True)
        stack.started("shared-postgres", version=version)
        wait_for(
            lambda: subprocess.run(ready, check=False).returncode == 0,
            "PostgreSQL",
            30,
        )
    exists = subprocess.run(
        [
            pg_bin("psql"),
            "-h",
            HOST,
            "-U",
            "postgres",
            "-tAc",
            "SELECT 1 FROM pg_database WHERE datname = 'sanfu_serve'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [pg_bin("createdb"), "-h", HOST, "-U", "postgres", "sanfu_serve"],
            check=True,
        )
    return f"postgres://postgres@{HOST}:{SHARED_PG_PORT}/sanfu_serve"


# --- Redis --------------------------------------------------------------------


def start_redis(stack: Stack, port: int, *, private: bool) -> None:
    pidfile = stack.state / f"redis-{port}.pid"
    command = [
        "redis-server",
        "--bind",
        HOST,
        "--port",
        str(port),
        "--daemonize",
        "yes",
        "--pidfile",
        str(pidfile),
        "--logfile",
        str(stack.state / "redis.log"),
        "--dir",
        str(stack.state),
    ]
    if private:
        command += ["--save", "", "--appendonly", "no"]
    subprocess.run(command, check=True)
    stack.started("redis", pidfile=str(pidfile))
    wait_for(lambda: answers(port), "Redis", 15)


# --- nginx --------------------------------------------------------------------


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        raise RuntimeError("nginx is not installed (make serve installs Debian's)")
    return found


def render_nginx(stack: Stack, listen: str, app_ports: list[int]) -> Path:
    """deploy/nginx.conf with its @NAME@ filled in; its comments left out."""
    env = stack.data["env"]
    (stack.state / "nginx-tmp").mkdir(parents=True, exist_ok=True)
    values = {
        "@PREFIX@": str(stack.state),
        "@MIME_TYPES@": "/etc/nginx/mime.types",
        "@LISTEN@": listen,
        "@SERVER_NAME@": "localhost",
        "@TLS@": "",
        "@UPSTREAM_SERVERS@": "\n        ".join(
            f"server {HOST}:{port} max_fails=1 fail_timeout=5s;" for port in app_ports
        ),
        "@STATIC_ROOT@": env["STATIC_ROOT"],
        "@MEDIA_ROOT@": env["MEDIA_ROOT"],
        "@PRIVATE_MEDIA_ROOT@": env.get(
            "PRIVATE_MEDIA_ROOT", str(stack.state / "private")
        ),
    }
    lines = []
    for line in (ROOT / "deploy" / "nginx.conf").read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        for name, value in values.items():
            line = line.replace(name, value)
        lines.append(line)
    target = stack.state / "nginx.conf"
    target.write_text("\n".join(lines) + "\n")
    return target


def start_nginx(stack: Stack, listen_port: int, app_ports: list[int]) -> None:
    conf = render_nginx(stack, f"{HOST}:{listen_port}", app_ports)
    nginx = nginx_binary()
    prefix = str(stack.state)
    subprocess.run([nginx, "-t", "-q", "-p", prefix, "-c", str(conf)], check=True)
    subprocess.run([nginx, "-p", prefix, "-c", str(conf)], check=True)
    stack.started("nginx", pidfile=str(stack.state / "nginx.pid"))
    wait_for(lambda: answers(listen_port), "nginx", 15)


# --- the application ------------------------------------------------------------


def manage(stack: Stack, *args: str) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=stack.env, check=True
    )


# Children started by this process, kept so that they are not collected (and
# warned about) while they run; `down` stops them by process group.
_children: list[subprocess.Popen[bytes]] = []


def spawn(stack: Stack, kind: str, name: str, command: list[str], **extra: Any) -> int:
    logfile = open(stack.state / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=stack.env,
        stdin=subprocess.DEVNULL,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one
    )
    logfile.close()
    _children.append(process)
    stack.started(kind, name=name, pid=process.pid, **extra)
    return process.pid


def start_app_server(stack: Stack, port: int, workers: int) -> int:
    env_bind = {"GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(workers)}
    stack.data["env"].update(env_bind)
    try:
        pid = spawn(
            stack,
            "process",
            f"app-{port}",
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            port=port,
        )
    finally:
        for key in env_bind:
            stack.data["env"].pop(key)
    return pid


def app_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/demands/track/", timeout=5):
            return True
    except (urllib.error.URLError, OSError):
        return False


def up(args: argparse.Namespace) -> None:
    stack = Stack(args.state)
    if any(entry for entry in stack.data["started"]):
        raise SystemExit(f"{args.state} holds a running stack: run `down` first")
    stack.state.mkdir(parents=True, exist_ok=True)
    secret = stack.state / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
        secret.chmod(0o600)
    nginx_port = args.port or free_port()
    app_ports = args.app_ports or [free_port(), free_port()]
    stack.data.update(
        nginx_port=nginx_port, app_ports=app_ports, private=args.private, env={}
    )
    stack.save()
    try:
        if args.private:
            database_url = start_private_postgres(stack)
            redis_port = free_port()
            start_redis(stack, redis_port, private=True)
        else:
            database_url = use_shared_postgres(stack)
            redis_port = SHARED_REDIS_PORT
            if not answers(redis_port):
                log("starting Redis on 127.0.0.1:6379")
                start_redis(stack, redis_port, private=False)
        site = f"http://{HOST}:{nginx_port}"
        stack.data["env"] = {
            "DJANGO_SETTINGS_MODULE": args.settings,
            "DEBUG": "0",
            "SECRET_KEY": secret.read_text().strip(),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "CSRF_TRUSTED_ORIGINS": site,
            "SITE_URL": site,
            "TRUSTED_PROXIES": HOST,
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "DATABASE_CONNECT_TIMEOUT": "3",
            "DATABASE_STATEMENT_TIMEOUT": "30000",
            "REDIS_URL": f"redis://{HOST}:{redis_port}/{0 if args.private else 1}",
            "SANFU_TASKS_BACKEND": "database",
            "STATIC_HASHED": "1",
            "STATIC_ROOT": str(stack.state / "static"),
            "MEDIA_ROOT": str(stack.state / "media"),
            "PRIVATE_MEDIA_ROOT": str(stack.state / "private"),
            # the checked views hand files to nginx (deploy/nginx.conf)
            "SANFU_X_ACCEL": "1",
            "SANFU_VAR_DIR": str(stack.state / "var"),
            # plain HTTP on loopback: no TLS to insist on
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
        }
        if args.replica_url:
            stack.data["env"]["DATABASE_REPLICA_URL"] = args.replica_url.replace(
                "@PRIMARY@", database_url
            )
        stack.save()
        log("migrating")
        manage(stack, "migrate", "--noinput", "-v", "0")
        log("collecting the static files")
        manage(stack, "collectstatic", "--noinput", "-v", "0")
        if args.demo:
            log("loading the demo (once)")
            manage(stack, "load_demo")
        for port in app_ports:
            start_app_server(stack, port, args.workers)
        spawn(
            stack,
            "process",
            "worker",
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "db_worker",
                "--backend",
                "sanfu",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "0.5",
                "--no-startup-delay",
            ],
        )
        for port in app_ports:
            wait_for(lambda port=port: app_ready(port), f"app server {port}", 120)
        start_nginx(stack, nginx_port, app_ports)
    except BaseException:
        log("start failed: stopping what was started")
        down(args)
        raise
    log(
        f"up: {site}/ (back office {site}/admin/), app servers on "
        f"{', '.join(map(str, app_ports))}; logs in {stack.state}; stop with "
        f"`python deploy/stack.py down --state {stack.state}` (make serve-stop)"
    )


def stop_process_group(pid: int, *, timeout: float = 20) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        reap(pid)
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    reap(pid)


def reap(pid: int) -> None:
    for child in _children:
        if child.pid == pid:
            child.poll()
            return
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def app_servers(stack: Stack) -> dict[int, int]:
    """Port → process group of each app server, the latest started on each port."""
    return {
        entry["port"]: entry["pid"]
        for entry in stack.data["started"]
        if entry["kind"] == "process" and entry["name"].startswith("app-")
    }


def stop_pidfile(pidfile: str, sig: signal.Signals = signal.SIGTERM) -> None:
    path = Path(pidfile)
    if not path.exists():
        return
    with contextlib.suppress(ValueError, ProcessLookupError):
        pid = int(path.read_text().split()[0])
        os.kill(pid, sig)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.1)


def down(args: argparse.Namespace) -> None:
    stack = Stack(args.state)
    for entry in reversed(stack.data["started"]):
        kind = entry["kind"]
        try:
            if kind == "process":
                stop_process_group(entry["pid"])
            elif kind in ("nginx", "redis"):
                stop_pidfile(entry["pidfile"])
            elif kind == "private-postgres":
                pg_ctl_stop(entry["data"])
            elif kind == "shared-postgres":
                subprocess.run(
                    [
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        entry["version"],
                        "main",
                        "stop",
                    ],
                    check=False,
                )
        except Exception as error:  # keep stopping the rest
            log(f"could not stop {entry}: {error}")
    stack.data["started"] = []
    if stack.file.exists():
        stack.save()
    if stack.data.get("private") and not args.keep:
        shutil.rmtree(stack.state / "pg", ignore_errors=True)
    log("down")


def env_command(args: argparse.Namespace) -> None:
    """Print the stack's settings as shell assignments (for manage.py by hand)."""
    for key, value in Stack(args.state).data.get("env", {}).items():
        print(f"export {key}={value!r}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down", "env"])
    parser.add_argument("--state", type=Path, default=ROOT / "var" / "stack")
    parser.add_argument("--private", action="store_true")
    parser.add_argument("--port", type=int, default=0, help="nginx (default: free)")
    parser.add_argument(
        "--app-ports",
        type=lambda text: [int(port) for port in text.split(",")],
        default=None,
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="per app server"
    )
    parser.add_argument("--settings", default="sanfu.settings")
    parser.add_argument("--no-demo", dest="demo", action="store_false")
    parser.add_argument(
        "--replica-url",
        default="",
        help="DATABASE_REPLICA_URL of the app servers (@PRIMARY@: the primary's)",
    )
    parser.add_argument("--keep", action="store_true", help="keep a private cluster")
    args = parser.parse_args(argv)
    args.state = args.state.resolve()
    return args


@contextlib.contextmanager
def running(argv: list[str]) -> Iterator[Stack]:
    """The stack, up for the block and down after it, whatever happens."""
    args = parse(["up", *argv])
    try:
        up(args)
        yield Stack(args.state)
    finally:
        down(args)


def main() -> None:
    args = parse()
    {"up": up, "down": down, "env": env_command}[args.command](args)


if __name__ == "__main__":
    main()
