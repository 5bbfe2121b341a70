"""Real files for upload tests, made on the spot: images Pillow can read, a PDF
head, Office archives; and the hostile ones."""

import io
import struct
import zipfile
import zlib

from PIL import Image


def image(format: str = "PNG", size: tuple[int, int] = (4, 3)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format=format)
    return output.getvalue()


def office(part: str, padding: int = 0) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>" + " " * padding)
    return output.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def decompression_bomb(side: int = 30_000) -> bytes:
    """A PNG of a few hundred bytes that claims ``side`` × ``side`` pixels (900
    million: gigabytes once decoded), its pixels one compressed run of zeros."""
    row = b"\x00" + b"\x00" * (side // 8)
    rows = zlib.compress(row * 2_000, 9)  # enough to be a plausible stream
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


PNG = image("PNG")
JPEG = image("JPEG")
GIF = image("GIF")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
DOCX = office("word/document.xml")
XLSX = office("xl/workbook.xml")
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
    b'onload="alert(1)"><script>alert(1)</script></svg>'
)
HTML = b"<html><script>alert(1)</script></html>"


def streamed_body(response) -> bytes:  # type: ignore[no-untyped-def]
    """A file response's bytes, the file closed as the test client closes it:
    without the request_finished signal, whose handler would close the test's
    database connection while its transaction is open (on PostgreSQL)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    try:
        return b"".join(response.streaming_content)
    finally:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
