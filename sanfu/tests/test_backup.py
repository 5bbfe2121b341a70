"""Backup and restore: an archive of the database and the files restores into an
empty database and folder with every row and every file, on SQLite and PostgreSQL
alike (whichever the suite runs on)."""

import io
import json
import sqlite3
import tarfile
import uuid

import dj_database_url
import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from demands.tests.factories import submit_test_demand
from demands.uploads import check_upload
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
    # a demand's attachment is a private file (sanfu.lib.private_files)
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
