"""What an attachment or a piece of evidence may be (a demand's attachments, the
evidence of ledgers, inspections and unit plans): images and PDF files, checked by
``files.uploads``, no bigger than the demands' attachment limit."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from files import uploads
from files.uploads import CheckedUpload

ALLOWED = {
    ".jpg": uploads.JPEG,
    ".jpeg": uploads.JPEG,
    ".png": uploads.PNG,
    ".gif": uploads.GIF,
    ".webp": uploads.WEBP,
    ".pdf": uploads.PDF,
}

__all__ = ["ALLOWED", "CheckedUpload", "check_upload"]


def check_upload(upload: UploadedFile) -> CheckedUpload:
    return uploads.check_upload(
        upload, ALLOWED, max_bytes=settings.SANFU_DEMANDS["ATTACHMENT_MAX_BYTES"]
    )
