"""Checking an uploaded attachment before anything is stored: what it really is
(by its first bytes, not its name or the browser's word), and how big."""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# extension → (content type, magic prefixes)
ALLOWED = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
}


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    content_type: str
    size: int
    extension: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    name = PurePath(upload.name or "").name[:200]
    extension = PurePath(name).suffix.lower()
    limit = settings.SANFU_DEMANDS["ATTACHMENT_MAX_BYTES"]
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: only JPEG, PNG, GIF, WebP images and PDF files are accepted.")
            % {"name": name},
            code="file_type",
        )
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": limit // (1024 * 1024)},
            code="file_size",
        )
    content_type, magics = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics) or (
        extension == ".webp" and head[8:12] != b"WEBP"
    ):
        raise ValidationError(
            _("%(name)s is not the kind of file its name says.") % {"name": name},
            code="file_content",
        )
    return CheckedUpload(
        file=upload,
        name=name,
        content_type=content_type,
        size=upload.size,
        extension=extension,
    )
