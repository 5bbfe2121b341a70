"""Checking a submitter's images and attachments before anything is stored: what
each file really is (its first bytes, not its name or the browser's word) and its
size."""

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_FILES = 10

_ZIP = (b"PK\x03\x04",)
# extension → magic prefixes
IMAGES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
ATTACHMENTS = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    **IMAGES,
}


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    size: int


def check_file(upload: UploadedFile, *, images_only: bool) -> CheckedUpload:
    name = PurePath(upload.name or "").name[:100]
    extension = PurePath(name).suffix.lower()
    allowed = IMAGES if images_only else ATTACHMENTS
    limit = MAX_IMAGE_BYTES if images_only else MAX_ATTACHMENT_BYTES
    if extension not in allowed:
        message = (
            _("%(name)s: only JPEG, PNG and GIF images are accepted.")
            if images_only
            else _("%(name)s: only PDF, Word (.docx), Excel (.xlsx) and images.")
        )
        raise ValidationError(message % {"name": name}, code="file_type")
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": limit // (1024 * 1024)},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in allowed[extension]):
        raise ValidationError(
            _("%(name)s is not the kind of file its name says.") % {"name": name},
            code="file_content",
        )
    return CheckedUpload(file=upload, name=name, size=upload.size)
