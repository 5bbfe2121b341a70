"""Render every document kind from the demo into PNG pages under
var/documents-preview/ (the .docx through LibreOffice headless, the PDFs as made
here), so that anyone can look at them."""

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from sanfu.documents_preview import NoDemo, demo_documents, soffice, to_pdf, to_png
from text.documents import document_script


class Command(BaseCommand):
    help = "Render the demo's documents to PNG pages under var/documents-preview/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The reader's language (labels and script).",
        )
        parser.add_argument("--dpi", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if soffice() is None or shutil.which("pdftoppm") is None:
            raise CommandError(
                "Needs LibreOffice (soffice) and pdftoppm: `make test-deps` "
                "installs them."
            )
        language = options["language"]
        out = Path(settings.VAR_DIR) / "documents-preview" / language
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        script = document_script(language)
        with translation.override(language):
            try:
                documents = list(demo_documents(script))
            except NoDemo as error:
                raise CommandError(str(error)) from error
        for document in documents:
            path = out / document.name
            path.write_bytes(document.content)
            if path.suffix == ".pdf":
                pdf = path.with_name(f"{path.stem}-pdf.pdf")
                path.rename(pdf)
            else:
                pdf = to_pdf(path, out)
            pages = to_png(pdf, out, dpi=options["dpi"])
            self.stdout.write(f"{document.name}: {len(pages)} page(s)")
        self.stdout.write(f"PNG pages under {out}")
