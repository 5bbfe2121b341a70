"""Form fields for files: several in one input, each checked for what it really is
and for size before a view sees it."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from files.evidence import CheckedUpload, check_upload


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input: at most ``max_files()``, each through ``check``;
    every file's refusal is reported, not only the first."""

    accept = "image/*,application/pdf"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": self.accept}))
        super().__init__(*args, **kwargs)

    def max_files(self) -> int:
        raise NotImplementedError

    def check(self, upload: UploadedFile) -> CheckedUpload:
        raise NotImplementedError

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        uploads: list[UploadedFile] = [single(item, initial) for item in items if item]
        limit = self.max_files()
        if len(uploads) > limit:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": limit},
                code="too_many_files",
            )
        checked: list[CheckedUpload] = []
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                checked.append(self.check(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return checked


class AttachmentsField(FilesField):
    """Evidence: a demand's, a ledger entry's or an inspection's photos and PDFs
    (the policy of ``files.evidence``)."""

    def max_files(self) -> int:
        return int(settings.SANFU_DEMANDS["ATTACHMENT_MAX_COUNT"])

    def check(self, upload: UploadedFile) -> CheckedUpload:
        return check_upload(upload)
