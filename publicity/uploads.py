"""What a submitter's images and attachments may be, checked by
``files.uploads``."""

from django.core.files.uploadedfile import UploadedFile

from files import uploads
from files.uploads import CheckedUpload

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_FILES = 10

IMAGES = {
    ".jpg": uploads.JPEG,
    ".jpeg": uploads.JPEG,
    ".png": uploads.PNG,
    ".gif": uploads.GIF,
}
ATTACHMENTS = {
    ".pdf": uploads.PDF,
    ".docx": uploads.DOCX,
    ".xlsx": uploads.XLSX,
    **IMAGES,
}

__all__ = ["MAX_FILES", "CheckedUpload", "check_file"]


def check_file(upload: UploadedFile, *, images_only: bool) -> CheckedUpload:
    if images_only:
        return uploads.check_upload(upload, IMAGES, max_bytes=MAX_IMAGE_BYTES)
    return uploads.check_upload(upload, ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES)
