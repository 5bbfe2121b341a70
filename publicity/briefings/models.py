"""A briefing's file (.docx, PDF, A3 wall board) as the worker made it, kept per
version of the briefing, language and script (``publicity.briefings.files``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.private_files import private_storage, random_name


class FileState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


def briefing_file_path(instance: "BriefingFile", filename: str) -> str:
    # private even when published: a draft's file must never be in public media,
    # and one storage for both keeps the view simple (it checks access)
    return random_name("briefings", "." + instance.extension)


class BriefingFile(models.Model):
    briefing = models.ForeignKey(
        "publicity.BriefingPage",
        verbose_name=_("briefing"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # the version, kind, language and script of the file, hashed
    # (publicity.briefings.files.file_key): a change of any gives another row
    key = models.CharField(_("key"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=10)
    draft = models.BooleanField(_("draft"), default=False)
    language = models.CharField(_("language"), max_length=10)
    script = models.CharField(_("script"), max_length=4)
    state = models.CharField(
        _("state"), max_length=10, choices=FileState.choices, default=FileState.QUEUED
    )
    # a draft's file is made as the compiler who asked, checked again by the worker
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(
        _("file"), upload_to=briefing_file_path, storage=private_storage, blank=True
    )
    asked_at = models.DateTimeField(_("asked at"))
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)
    # how long the render took, for the benchmark and the log
    seconds = models.FloatField(_("seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing file")
        verbose_name_plural = _("briefing files")
        indexes = [models.Index(fields=["briefing", "kind", "draft"])]

    def __str__(self) -> str:
        return f"{self.briefing_id} {self.kind} {self.language} {self.state}"

    @property
    def extension(self) -> str:
        return "docx" if self.kind == "docx" else "pdf"
