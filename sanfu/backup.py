"""Backups: the database and the uploaded files in one archive, and back.

An archive is a tar file holding ``manifest.json``, the database (``database.sqlite3``,
a consistent copy by SQLite's online backup, or ``database.pgdump``, pg_dump's custom
format), ``media/`` (every file under ``MEDIA_ROOT``) and ``private/`` (every file
under ``PRIVATE_MEDIA_ROOT``, ``core.private_files``). The manifest names the
engine, the row count of every table and the size and SHA-256 of every file, as
they were in the copy: a restore checks the database and the files against it.

The database is copied first, the files after: a file uploaded meanwhile is in the
archive without its row (harmless); only a file deleted in that window would be
missing, and the restore says so. On PostgreSQL the counts are taken in the very
snapshot pg_dump copies (``pg_export_snapshot``).

An archive is written readable by its owner only (0600). It holds no live sessions
and no sign-in attempts (``LEFT_OUT``: their tables are restored empty). With
``SANFU_BACKUP_KEY`` set, the archive is encrypted with it (Fernet, from the
``cryptography`` library), in segments so that a large archive never has to fit in
memory; ``restore`` reads plain and encrypted archives alike.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024

# Rows a backup leaves out, their tables kept empty: live sessions (restored, they
# would sign people in again, and whoever reads the archive could take them over)
# and django-axes' sign-in attempts and logs (addresses and typed usernames, kept
# for a lockout of an hour, not for years in a backup).
LEFT_OUT = (
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
)

# An encrypted archive: MAGIC, then segments, each a 4-byte length and a Fernet
# token of (8-byte segment number, 1-byte "last" flag, up to SEGMENT bytes of the
# tar). The numbers and the flag make a reordered, repeated or cut archive fail.
MAGIC = b"SANFU-BACKUP-FERNET-1\n"
SEGMENT = 4 * 1024 * 1024
_HEADER = struct.Struct(">QB")
_LENGTH = struct.Struct(">I")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    tables: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    format: int = FORMAT
    # absent from archives written before private files had their own folder
    private_files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def dumps(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError(f"unknown archive format {data.get('format')!r}")
            return cls(**data)
        except (ValueError, TypeError, AttributeError):
            raise BackupError("the archive's manifest.json is not readable") from None


def _engine(config: Mapping[str, Any]) -> str:
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"no backup for the database engine {engine}")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> dict[str, dict[str, Any]]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): {
            "size": path.stat().st_size,
            "sha256": _sha256(path),
        }
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        name: db.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0]
        for name in names
    }


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def _pg_env(config: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments, the password in the environment."""
    args = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin"}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return args, env


def _pg_conninfo(config: Mapping[str, Any]) -> str:
    parts = {
        "dbname": config["NAME"],
        "host": config.get("HOST") or "",
        "port": str(config.get("PORT") or ""),
        "user": config.get("USER") or "",
        "password": config.get("PASSWORD") or "",
    }
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})


def _dump_sqlite(into: Path) -> dict[str, int]:
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(into)
    try:
        source.backup(target)
        # secure_delete and VACUUM: the rows left out leave no trace in free pages
        target.execute("PRAGMA secure_delete = ON")
        tables = _sqlite_counts(target)
        for name in LEFT_OUT:
            if name in tables:
                target.execute(f"DELETE FROM {_quote(name)}")
        target.commit()
        target.execute("VACUUM")
        return _sqlite_counts(target)
    finally:
        target.close()


def _dump_postgresql(into: Path, config: Mapping[str, Any]) -> dict[str, int]:
    args, env = _pg_env(config)
    with psycopg.connect(_pg_conninfo(config)) as db, db.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone() or ("",)
        counts = _pg_counts(cursor)
        left_out = [name for name in LEFT_OUT if name in counts]
        counts.update(dict.fromkeys(left_out, 0))
        done = subprocess.run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                *(f"--exclude-table-data={_quote(name)}" for name in left_out),
                f"--file={into}",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        db.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return counts


def backup_key() -> Fernet | None:
    """The Fernet of ``SANFU_BACKUP_KEY``, or None when no key is set."""
    key = settings.SANFU_BACKUP_KEY
    if not key:
        return None
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise BackupError(
            "SANFU_BACKUP_KEY is not a Fernet key (32 bytes in URL-safe base64); "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        ) from None


class _EncryptingWriter:
    """A file-like sink for ``tarfile`` that writes the encrypted segments."""

    def __init__(self, out: Any, fernet: Fernet) -> None:
        self.out, self.fernet = out, fernet
        self.buffer = bytearray()
        self.number = 0
        self.out.write(MAGIC)

    def _segment(self, data: bytes, *, last: bool) -> None:
        token = self.fernet.encrypt(_HEADER.pack(self.number, last) + data)
        self.out.write(_LENGTH.pack(len(token)) + token)
        self.number += 1

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > SEGMENT:
            self._segment(bytes(self.buffer[:SEGMENT]), last=False)
            del self.buffer[:SEGMENT]
        return len(data)

    def close(self) -> None:
        self._segment(bytes(self.buffer), last=True)
        self.buffer.clear()


def _decrypt(archive: Path, into: Path) -> None:
    """Write the tar inside the encrypted ``archive`` to ``into``."""
    fernet = backup_key()
    if fernet is None:
        raise BackupError(
            f"{archive} is encrypted: set SANFU_BACKUP_KEY to the key it was "
            "written with"
        )
    cut = BackupError(f"cannot decrypt {archive}: the archive is cut short")
    with archive.open("rb") as source, into.open("wb") as target:
        source.read(len(MAGIC))
        number = 0
        while True:
            length = source.read(_LENGTH.size)
            if len(length) < _LENGTH.size:
                raise cut
            (size,) = _LENGTH.unpack(length)
            if size > 2 * SEGMENT:  # a token of a segment is 4/3 of it and a bit
                raise BackupError(f"cannot decrypt {archive}: the archive is damaged")
            token = source.read(size)
            if len(token) < size:
                raise cut
            try:
                plain = fernet.decrypt(token)
            except InvalidToken:
                raise BackupError(
                    f"cannot decrypt {archive}: SANFU_BACKUP_KEY is not the key it "
                    "was written with, or the archive is damaged"
                ) from None
            found, last = _HEADER.unpack_from(plain)
            if found != number:
                raise BackupError(f"cannot decrypt {archive}: segments out of order")
            target.write(plain[_HEADER.size :])
            number += 1
            if last:
                break
        if source.read(1):
            raise BackupError(f"cannot decrypt {archive}: data after its end")


def _is_encrypted(archive: Path) -> bool:
    try:
        with archive.open("rb") as source:
            return source.read(len(MAGIC)) == MAGIC
    except OSError as error:
        raise BackupError(f"cannot read {archive}: {error}") from None


def _write_archive(
    partial: Path,
    fernet: Fernet | None,
    manifest: Manifest,
    dump: Path,
    media_root: Path,
    private_root: Path,
) -> None:
    # created 0600 (and set so, should a stale partial file exist): the archive
    # holds everyone's personal data
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as out:
        sink: Any = out if fernet is None else _EncryptingWriter(out, fernet)
        with tarfile.open(fileobj=sink, mode="w" if fernet is None else "w|") as tar:
            raw = manifest.dumps()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
            tar.add(dump, arcname=dump.name)
            for name in manifest.files:
                tar.add(media_root / name, arcname=f"media/{name}")
            for name in manifest.private_files:
                tar.add(private_root / name, arcname=f"private/{name}")
        if fernet is not None:
            sink.close()


def backup(
    archive: Path, *, media_root: Path | None = None, private_root: Path | None = None
) -> Manifest:
    """Write an archive of the default database, the media and the private files,
    encrypted when ``SANFU_BACKUP_KEY`` is set."""
    fernet = backup_key()
    config = settings.DATABASES["default"]
    engine = _engine(config)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    private_root = Path(private_root or settings.PRIVATE_MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / (
            "database.sqlite3" if engine == "sqlite" else "database.pgdump"
        )
        if engine == "sqlite":
            tables = _dump_sqlite(dump)
        else:
            tables = _dump_postgresql(dump, config)
        files = _media_files(media_root)
        private_files = _media_files(private_root)
        manifest = Manifest(
            engine=engine,
            created_at=datetime.datetime.now(tz=datetime.UTC).isoformat(),
            tables=tables,
            files=files,
            private_files=private_files,
        )
        partial = archive.with_name(archive.name + ".partial")
        _write_archive(partial, fernet, manifest, dump, media_root, private_root)
        partial.replace(archive)  # a half-written archive never has the real name
    return manifest


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int


def _read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("not a Sanfu backup: no manifest.json") from None
    if member is None:
        raise BackupError("not a Sanfu backup: no manifest.json")
    return Manifest.loads(member.read())


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise BackupError(f"unsafe path in the archive: {member.name}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"not a plain file in the archive: {member.name}")
        members.append(member)
    return members


def _restore_sqlite(dump: Path, config: Mapping[str, Any]) -> dict[str, int]:
    target = Path(config["NAME"])
    if target.exists() and target.stat().st_size > 0:
        with sqlite3.connect(target) as db:
            if _sqlite_counts(db):
                raise BackupError(f"the database {target} is not empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    into = sqlite3.connect(target)
    try:
        source.backup(into)
        return _sqlite_counts(into)
    finally:
        source.close()
        into.close()


def _restore_postgresql(dump: Path, config: Mapping[str, Any]) -> dict[str, int]:
    with psycopg.connect(_pg_conninfo(config)) as db, db.cursor() as cursor:
        if _pg_counts(cursor):
            raise BackupError(f"the database {config['NAME']} is not empty")
    args, env = _pg_env(config)
    done = subprocess.run(
        [
            "pg_restore",
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    with psycopg.connect(_pg_conninfo(config)) as db, db.cursor() as cursor:
        return _pg_counts(cursor)


def _open_archive(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r")  # the caller closes it
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"cannot read {archive}: {error}") from None


def restore(
    archive: Path,
    *,
    database_url: str | None = None,
    media_root: Path | None = None,
    private_root: Path | None = None,
) -> RestoreReport:
    """Restore an archive into an empty database and media folder, then check both
    against the manifest. ``database_url`` defaults to the project's database."""
    config: Mapping[str, Any] = (
        dj_database_url.parse(database_url)
        if database_url
        else settings.DATABASES["default"]
    )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    private_root = Path(private_root or settings.PRIVATE_MEDIA_ROOT)
    for folder in (media_root, private_root):
        if folder.exists() and any(folder.iterdir()):
            raise BackupError(f"the media folder {folder} is not empty")
    with tempfile.TemporaryDirectory() as work:
        if _is_encrypted(archive):
            plain = Path(work) / "archive.tar"
            _decrypt(archive, plain)
            archive = plain
        return _restore_tar(
            archive, config, media_root, private_root, Path(work) / "extracted"
        )


def _restore_tar(
    archive: Path,
    config: Mapping[str, Any],
    media_root: Path,
    private_root: Path,
    root: Path,
) -> RestoreReport:
    with _open_archive(archive) as tar:
        members = _safe_members(tar)
        manifest = _read_manifest(tar)
        if manifest.engine != _engine(config):
            raise BackupError(
                f"the archive holds a {manifest.engine} database, "
                f"the target is {_engine(config)}"
            )
        tar.extractall(root, members=members, filter="data")
        dump = root / (
            "database.sqlite3" if manifest.engine == "sqlite" else "database.pgdump"
        )
        if manifest.engine == "sqlite":
            tables = _restore_sqlite(dump, config)
        else:
            tables = _restore_postgresql(dump, config)
        if tables != manifest.tables:
            wrong = sorted(
                name
                for name in set(tables) | set(manifest.tables)
                if tables.get(name) != manifest.tables.get(name)
            )
            raise BackupError(f"restored tables differ from the manifest: {wrong}")
        count = 0
        for part, expected, target_root in (
            ("media", manifest.files, media_root),
            ("private", manifest.private_files, private_root),
        ):
            count += _restore_files(root / part, expected, target_root)
    return RestoreReport(tables=len(tables), rows=sum(tables.values()), files=count)


def _restore_files(
    source: Path, expected: dict[str, dict[str, Any]], target_root: Path
) -> int:
    restored = _media_files(source)
    if restored != expected:
        wrong = sorted(set(restored) ^ set(expected)) or sorted(
            name for name in restored if restored[name] != expected[name]
        )
        raise BackupError(f"files differ from the manifest: {wrong[:10]}")
    target_root.mkdir(parents=True, exist_ok=True)
    for name in restored:
        target = target_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target)
    return len(restored)
