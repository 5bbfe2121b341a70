"""The text of an article's attached Word, Excel and PDF files, for the
confidentiality check.

Reading is bounded: a file whose parts unpack to more than ``MAX_UNPACKED_BYTES``
is not opened, at most ``MAX_CHARS`` characters and ``MAX_PDF_PAGES`` pages are
read, and reading stops after ``MAX_SECONDS``. A file that cannot be read, holds no
text (a scanned PDF) or was not read to its end comes back with a ``problem``: the
check reports it as a finding, so it is never passed unread. A file's text is
cached by the digest of its bytes, so a review page does not parse it again.
"""

import hashlib
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.cache import cache

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_CHARS = 500_000
MAX_PDF_PAGES = 500
MAX_SECONDS = 10.0
CACHE_TIMEOUT = 24 * 60 * 60
_VERSION = 1

# the reasons a file was not checked in full (``Extracted.problem``)
UNREADABLE = "unreadable"
NO_TEXT = "no_text"
TRUNCATED = "truncated"

CHECKED_SUFFIXES = (".docx", ".xlsx", ".pdf")


@dataclass(frozen=True)
class Extracted:
    text: str
    problem: str = ""


class _Bounded(Exception):
    """Reading stopped at a bound."""


class _Collector:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def add(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text[: MAX_CHARS - self.size])
        self.size += len(text)
        if self.size >= MAX_CHARS or time.monotonic() > self.deadline:
            raise _Bounded

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def is_checked(name: str) -> bool:
    return PurePath(name).suffix.lower() in CHECKED_SUFFIXES


def extract(name: str, data: bytes) -> Extracted:
    """The text of the file ``name`` holding ``data`` (``.docx``, ``.xlsx`` or
    ``.pdf``)."""
    suffix = PurePath(name).suffix.lower()
    key = f"publicity:filetext:{_VERSION}:{suffix}:{hashlib.sha256(data).hexdigest()}"
    cached = cache.get(key)
    if isinstance(cached, Extracted):
        return cached
    result = _extract(suffix, data)
    cache.set(key, result, CACHE_TIMEOUT)
    return result


def _extract(suffix: str, data: bytes) -> Extracted:
    reader = {".docx": _docx, ".xlsx": _xlsx, ".pdf": _pdf}.get(suffix)
    if reader is None:
        return Extracted("", UNREADABLE)
    collector = _Collector()
    try:
        if suffix != ".pdf" and not _unpacks_within_bound(data):
            return Extracted("", TRUNCATED)
        for text in reader(data):
            collector.add(text)
    except _Bounded:
        return Extracted(collector.text, TRUNCATED)
    except Exception:  # the parsers raise many kinds on a damaged file
        return Extracted(collector.text, UNREADABLE)
    if not collector.text.strip():
        return Extracted("", NO_TEXT)
    return Extracted(collector.text)


def _unpacks_within_bound(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(item.file_size for item in archive.infolist()) <= MAX_UNPACKED_BYTES


def _docx(data: bytes) -> Iterator[str]:
    from docx import Document

    document = Document(io.BytesIO(data))
    yield from (paragraph.text for paragraph in document.paragraphs)
    for table in document.tables:
        yield from _table_text(table)
    for section in document.sections:
        for part in (section.header, section.footer):
            yield from (paragraph.text for paragraph in part.paragraphs)


def _table_text(table: Any) -> Iterator[str]:
    for row in table.rows:
        for cell in row.cells:
            yield cell.text


def _xlsx(data: bytes) -> Iterator[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            yield str(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                yield " ".join(str(value) for value in row if value is not None)
    finally:
        workbook.close()


def _pdf(data: bytes) -> Iterator[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        if len(document) > MAX_PDF_PAGES:
            # read what the bound allows, then say the rest was not read
            for index in range(MAX_PDF_PAGES):
                yield _page_text(document, index)
            raise _Bounded
        for index in range(len(document)):
            yield _page_text(document, index)
    finally:
        document.close()


def _page_text(document: Any, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()
