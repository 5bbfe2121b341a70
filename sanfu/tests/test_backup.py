"""Backup and restore: an archive of the database and the files restores into an
empty database and folder with every row and every file, on SQLite and PostgreSQL
alike (whichever the suite runs on). An archive is readable by its owner only, holds
no sessions or sign-in attempts, and is encrypted when a key is set."""

import io
import json
import sqlite3
import stat
import tarfile
import uuid

import dj_database_url
import psycopg
import pytest
from axes.models import AccessAttempt
from cryptography.fernet import Fernet
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from demands.tests.factories import submit_test_demand
from files.evidence import check_upload
from sanfu import backup

PDF = b"%PDF-1.4\n% the letter, scanned\n"


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {backup._quote(name)}")
            counts[name] = cursor.fetchone()[0]
        return counts


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings, tmp_path):
    # restore refuses a private folder that is not empty: never the worktree's own
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def empty_database(tmp_path):
    """A URL of an empty database of the suite's engine, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"sanfu_restore_{uuid.uuid4().hex[:12]}"
    admin = backup._pg_conninfo({**settings_dict, "NAME": "postgres"})
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    user = settings_dict.get("USER") or ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    yield f"postgres://{user}@{host}:{port}/{name}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_counts(url: str) -> dict[str, int]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as lite:
            return backup._sqlite_counts(lite)
    config = dj_database_url.parse(url)
    with psycopg.connect(backup._pg_conninfo(config)) as db, db.cursor() as cursor:
        return backup._pg_counts(cursor)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_every_row_and_file_into_an_empty_database(
    world, settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    upload = check_upload(SimpleUploadedFile("信件.pdf", PDF, "application/pdf"))
    demand = submit_test_demand(world, attachments=[upload])
    stored = demand.attachments.get().file.name
    archive = tmp_path / "sanfu.tar"
    call_command("backup", output=archive)
    live = live_counts()
    assert live["demands_demand"] == 1

    into_media = tmp_path / "restored-media"
    into_private = tmp_path / "restored-private"
    call_command(
        "restore",
        archive,
        database_url=empty_database,
        media_root=into_media,
        private_root=into_private,
    )
    restored = restored_counts(empty_database)
    assert {name: restored.get(name) for name in live} == live
    # a demand's attachment is a private file (core.private_files)
    assert (into_private / stored).read_bytes() == PDF

    # a second restore into the now filled database is refused
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "restore",
            archive,
            database_url=empty_database,
            media_root=tmp_path / "elsewhere",
            private_root=tmp_path / "elsewhere-private",
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tampered_archive_is_refused(world, settings, tmp_path, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    upload = check_upload(SimpleUploadedFile("信件.pdf", PDF, "application/pdf"))
    submit_test_demand(world, attachments=[upload])
    archive = tmp_path / "sanfu.tar"
    call_command("backup", output=archive)
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            content = data.read() if data else b""
            if member.name.startswith(("media/", "private/")):
                content = b"%PDF-1.4\n% something else\n"
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    with pytest.raises(CommandError, match="files differ"):
        call_command(
            "restore",
            tampered,
            database_url=empty_database,
            media_root=tmp_path / "restored",
            private_root=tmp_path / "restored-private",
        )


def test_archives_that_are_not_backups_are_refused(tmp_path):
    not_tar = tmp_path / "notes.tar"
    not_tar.write_text("hello")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("restore", not_tar, media_root=tmp_path / "m1")

    no_manifest = tmp_path / "empty.tar"
    with tarfile.open(no_manifest, "w"):
        pass
    with pytest.raises(CommandError, match="no manifest"):
        call_command("restore", no_manifest, media_root=tmp_path / "m2")

    escaping = tmp_path / "escaping.tar"
    manifest = json.dumps(
        {"engine": connection.vendor.replace("postgresql", "postgresql"), "format": 1}
    )
    with tarfile.open(escaping, "w") as tar:
        for name, content in (
            ("manifest.json", manifest.encode()),
            ("../outside.txt", b"x"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    with pytest.raises(CommandError):
        call_command("restore", escaping, media_root=tmp_path / "m3")
    assert not (tmp_path / "outside.txt").exists()


def test_restoring_into_a_folder_with_files_is_refused(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "kept.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", tmp_path / "any.tar", media_root=media)


def archived_database(archive) -> bytes:
    with tarfile.open(archive) as tar:
        (member,) = [m for m in tar.getmembers() if m.name.startswith("database.")]
        content = tar.extractfile(member)
        assert content is not None
        return content.read()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_is_its_owners_only_and_holds_no_sessions_or_sign_in_attempts(
    world, settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    session = SessionStore()
    session["_auth_user_id"] = str(world.director.pk)
    session.create()
    AccessAttempt.objects.create(
        username="director", ip_address="203.0.113.7", failures_since_start=3
    )
    call_command("backup")
    (archive,) = (tmp_path / "var" / "backups").iterdir()
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    dump = archived_database(archive)
    assert str(session.session_key).encode() not in dump
    assert b"203.0.113.7" not in dump

    call_command(
        "restore",
        archive,
        database_url=empty_database,
        media_root=tmp_path / "restored",
    )
    restored = restored_counts(empty_database)
    assert restored["django_session"] == 0
    assert restored["axes_accessattempt"] == 0
    assert restored["org_person"] == live_counts()["org_person"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_is_encrypted_with_the_key_and_restores_only_with_it(
    world, settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = check_upload(SimpleUploadedFile("信件.pdf", PDF, "application/pdf"))
    demand = submit_test_demand(world, attachments=[upload])
    stored = demand.attachments.get().file.name
    settings.SANFU_BACKUP_KEY = Fernet.generate_key().decode()
    archive = tmp_path / "sanfu.tar"
    call_command("backup", output=archive)
    raw = archive.read_bytes()
    assert not tarfile.is_tarfile(archive)
    assert b"manifest.json" not in raw
    assert PDF not in raw
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    key = settings.SANFU_BACKUP_KEY
    settings.SANFU_BACKUP_KEY = ""
    with pytest.raises(CommandError, match=r"encrypted.*SANFU_BACKUP_KEY"):
        call_command(
            "restore",
            archive,
            database_url=empty_database,
            media_root=tmp_path / "a",
            private_root=tmp_path / "a-private",
        )
    settings.SANFU_BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="cannot decrypt"):
        call_command(
            "restore",
            archive,
            database_url=empty_database,
            media_root=tmp_path / "b",
            private_root=tmp_path / "b-private",
        )
    cut = tmp_path / "cut.tar"
    cut.write_bytes(raw[: len(raw) // 2])
    settings.SANFU_BACKUP_KEY = key
    with pytest.raises(CommandError, match="cannot decrypt"):
        call_command(
            "restore",
            cut,
            database_url=empty_database,
            media_root=tmp_path / "c",
            private_root=tmp_path / "c-private",
        )

    into_private = tmp_path / "restored-private"
    call_command(
        "restore",
        archive,
        database_url=empty_database,
        media_root=tmp_path / "restored-media",
        private_root=into_private,
    )
    assert restored_counts(empty_database)["demands_demand"] == 1
    # a demand's attachment is a private file (core.private_files)
    assert (into_private / stored).read_bytes() == PDF


def test_a_key_that_is_not_a_fernet_key_is_refused(settings, tmp_path):
    settings.SANFU_BACKUP_KEY = "not-a-key"
    with pytest.raises(CommandError, match="SANFU_BACKUP_KEY"):
        call_command("backup", output=tmp_path / "sanfu.tar")
    assert not (tmp_path / "sanfu.tar").exists()
