"""Checking an uploaded file before anything is stored, against the table of the
kinds a field accepts: what the file really is (its first bytes and, for images
and Office files, its structure), not its name or the browser's word; and how big
it is, and how big it would become once decoded.

Refused, each with a message naming the file: an extension outside the table; a
declared content type that is not the extension's; bytes that are not the
extension's kind (an SVG or a web page named ``.png``); a file over the field's
limit; an image of more pixels than ``MAX_IMAGE_PIXELS`` (a decompression bomb:
a few kilobytes that would take gigabytes to decode); a truncated or corrupt
image; an Office file whose archive would expand past ``MAX_EXPANDED_BYTES``.
SVG is in no table: it can carry script.

Images other than GIF are re-encoded, which drops their metadata (a phone photo's
EXIF holds where it was taken) after turning them upright.
"""

import io
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from text.normalise import normalise_text

MAX_IMAGE_PIXELS = 50_000_000
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000
# What a browser may send besides the canonical type: it does not know, or it uses
# an older name.
_UNKNOWN_TYPES = frozenset({"", "application/octet-stream"})


@dataclass(frozen=True)
class Kind:
    """One accepted kind of file: the content type stored and served, the first
    bytes it starts with, other content types browsers send for it, and, for
    images, Pillow's name for the format, for Office files, a part the archive
    must hold."""

    content_type: str
    magics: tuple[bytes, ...]
    also_declared: tuple[str, ...] = ()
    image_format: str = ""
    archive_part: str = ""

    def declared_ok(self, declared: str) -> bool:
        declared = declared.split(";")[0].strip().lower()
        return (
            declared in _UNKNOWN_TYPES
            or declared == self.content_type
            or declared in self.also_declared
        )


_OFFICE = ("application/zip", "application/x-zip-compressed")
JPEG = Kind("image/jpeg", (b"\xff\xd8\xff",), ("image/pjpeg",), image_format="JPEG")
PNG = Kind("image/png", (b"\x89PNG\r\n\x1a\n",), ("image/x-png",), image_format="PNG")
GIF = Kind("image/gif", (b"GIF87a", b"GIF89a"), image_format="GIF")
WEBP = Kind("image/webp", (b"RIFF",), image_format="WEBP")
PDF = Kind("application/pdf", (b"%PDF-",), ("application/x-pdf",))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (b"PK\x03\x04",),
    _OFFICE,
    archive_part="word/document.xml",
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (b"PK\x03\x04",),
    _OFFICE,
    archive_part="xl/workbook.xml",
)


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed ``check_upload``: what to store, under which name and
    content type."""

    file: File
    name: str
    content_type: str
    size: int
    extension: str

    def stored_fields(self) -> dict[str, Any]:
        """The fields of a model that keeps an upload (file, original name, type,
        size, extension), as keyword arguments."""
        return {
            "file": self.file,
            "original_name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "extension": self.extension,
        }


def check_upload(
    upload: UploadedFile, kinds: Mapping[str, Kind], *, max_bytes: int
) -> CheckedUpload:
    """``upload`` checked against ``kinds`` (extension → kind) and ``max_bytes``,
    or ``ValidationError`` naming the file and the reason."""
    name = _safe_name(upload.name or "")
    extension = PurePath(name).suffix.lower()
    kind = kinds.get(extension)
    if kind is None:
        raise ValidationError(
            _("%(name)s: only these kinds of file are accepted: %(kinds)s.")
            % {"name": name, "kinds": " ".join(sorted(kinds))},
            code="file_type",
        )
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s; a file may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size or 0),
                "limit": filesizeformat(max_bytes),
            },
            code="file_size",
        )
    if not kind.declared_ok(getattr(upload, "content_type", None) or ""):
        raise ValidationError(
            _("%(name)s was sent as %(declared)s, which is not what its name says.")
            % {"name": name, "declared": upload.content_type},
            code="file_content_type",
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not _starts_right(content, kind, extension):
        raise _not_what_it_says(name)
    if kind.image_format:
        content = _checked_image(content, kind, name)
    elif kind.archive_part:
        _check_archive(content, kind, name)
    return CheckedUpload(
        file=ContentFile(content, name=name),
        name=name,
        content_type=kind.content_type,
        size=len(content),
        extension=extension,
    )


def _safe_name(raw: str) -> str:
    try:
        name = normalise_text(PurePath(raw.replace("\\", "/")).name, single_line=True)
    except ValidationError:
        name = ""
    return name.strip()[:200] or "file"


def _starts_right(content: bytes, kind: Kind, extension: str) -> bool:
    if not any(content.startswith(magic) for magic in kind.magics):
        return False
    return extension != ".webp" or content[8:12] == b"WEBP"


def _not_what_it_says(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not the kind of file its name says.") % {"name": name},
        code="file_content",
    )


def _checked_image(content: bytes, kind: Kind, name: str) -> bytes:
    """The image's bytes, re-encoded without metadata unless it is a GIF; refused
    if Pillow cannot read all of it or it has too many pixels."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                if image.format != kind.image_format:
                    raise _not_what_it_says(name)
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(name)
                image.verify()
            # verify() leaves the image unusable; decoding it all finds a
            # truncated file that verify() lets through.
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                if kind.image_format == "GIF":
                    return content
                upright = ImageOps.exif_transpose(image)
                output = io.BytesIO()
                upright.save(
                    output, format=kind.image_format, **_SAVE[kind.image_format]
                )
                return output.getvalue()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name) from None
        except Exception as error:  # Pillow raises many kinds on a damaged file
            raise ValidationError(
                _("%(name)s is damaged or incomplete and cannot be read as an image.")
                % {"name": name},
                code="file_damaged",
            ) from error


_SAVE: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 90},
    "PNG": {"optimize": False},
    "WEBP": {"quality": 90},
}


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has too many pixels; an image may have at most %(limit)d million.")
        % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000},
        code="file_pixels",
    )


def _check_archive(content: bytes, kind: Kind, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _not_what_it_says(name) from error
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or kind.archive_part not in names:
        raise _not_what_it_says(name)
    expanded = sum(member.file_size for member in members)
    if len(members) > MAX_ARCHIVE_MEMBERS or expanded > MAX_EXPANDED_BYTES:
        raise ValidationError(
            _("%(name)s would expand to more than %(limit)s; it is refused.")
            % {"name": name, "limit": filesizeformat(MAX_EXPANDED_BYTES)},
            code="file_expands",
        )
