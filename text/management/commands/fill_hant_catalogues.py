"""``manage.py fill_hant_catalogues``: regenerate or check the compiled catalogues.

Writes text/locale_fill (zh-Hant from zh-Hans) and the ``.mo`` of the project's
own catalogues (sanfu/locale), or with ``--check`` verifies both.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from text import catalogues


class Command(BaseCommand):
    """Regenerate the zh-Hant fill and the project's .mo files, or verify them.

    The generated files are committed so deployments need neither OpenCC runs at
    start-up nor GNU gettext; ``--check`` lets CI notice when a Wagtail or Django
    upgrade (or a new app), or a project ``.po`` edited without recompiling, has
    made them stale.
    """

    help = (
        "Compile the project's catalogues (LOCALE_PATHS but text/locale_fill) to "
        ".mo, fill the zh-Hant gaps of all catalogues from zh-Hans (OpenCC) into "
        "text/locale_fill, and report coverage per domain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Offer --check, which writes nothing and fails on stale files."""
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero if the committed files are stale.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Compile the project's catalogues, build every domain's fill, then
        write the files or compare them with the disk."""
        outputs: list[tuple[Path, dict[Path, bytes]]] = []
        for locale_dir in catalogues.project_locale_dirs():
            compiled = catalogues.compile_catalogues(locale_dir)
            self.stdout.write(f"{locale_dir}: {len(compiled)} catalogues compiled")
            outputs.append((locale_dir, compiled))
        # The fill reads the project's .po files, not the .mo just compiled.
        fills = catalogues.build()
        label = f"OpenCC {settings.SANFU_TRADITIONAL_CONFIG}"
        outputs.append((catalogues.OUTPUT_DIR, catalogues.render_files(fills, label)))
        for fill in fills:
            coverage = fill.coverage
            self.stdout.write(
                f"{fill.domain}: {coverage.before} of {coverage.total} translated "
                f"before, {coverage.after} after ({fill.filled} filled)"
            )
            if options["verbosity"] >= 2:
                for part in fill.per_source:
                    self.stdout.write(
                        f"  {part.label}: {part.before} of {part.total} before, "
                        f"{part.after} after"
                    )
        if options["check"]:
            stale = [
                path
                for output_dir, files in outputs
                for path in catalogues.stale_files(files, output_dir)
            ]
            if stale:
                names = ", ".join(str(path) for path in stale)
                raise CommandError(
                    f"stale: {names}; run `manage.py fill_hant_catalogues`"
                )
            self.stdout.write(
                self.style.SUCCESS("Compiled and zh-Hant fill catalogues are current.")
            )
            return
        for output_dir, files in outputs:
            written = catalogues.write_files(files, output_dir)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {len(written)} of {len(files)} files under {output_dir}."
                )
            )
