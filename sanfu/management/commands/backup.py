"""Write a backup archive of the database and the uploaded files: readable by its
owner only, in a folder only its owner opens, encrypted when SANFU_BACKUP_KEY is
set."""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanfu.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive "
        "(SQLite or PostgreSQL), with a manifest of row counts and file hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write (default: var/backups/sanfu-<time>.tar).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        output = options["output"]
        if output is None:
            stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
            folder = Path(settings.VAR_DIR) / "backups"
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.chmod(0o700)  # made before with the umask's mode
            output = folder / f"sanfu-{stamp}.tar"
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if output.exists():
            raise CommandError(f"{output} exists already")
        try:
            manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"{output}: {len(manifest.tables)} tables, {rows} rows, "
            f"{len(manifest.files)} files ({manifest.engine}"
            f"{', encrypted' if settings.SANFU_BACKUP_KEY else ''})"
        )
