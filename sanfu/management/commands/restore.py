"""Restore a backup archive into an empty database and media folder."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanfu.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database (the "
        "project's, or --database-url) and media folder, and check every table's "
        "rows and every file against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database-url", help="Restore into this database.")
        parser.add_argument("--media-root", type=Path, help="Restore files here.")
        parser.add_argument(
            "--private-root", type=Path, help="Restore private files here."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(
                options["archive"],
                database_url=options["database_url"],
                media_root=options["media_root"],
                private_root=options["private_root"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored {report.tables} tables, {report.rows} rows, "
            f"{report.files} files; all match the manifest"
        )
