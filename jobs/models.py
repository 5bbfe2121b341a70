"""Long work done in the background for one person: an import, an export, a report.

The row is the person's view of the work (its state, its progress, why it failed, the
file it made); the task backend only carries the job's key to a worker.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.private_files import extension_of, private_storage, random_name


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Could not be done")


def job_path(job: "Job", filename: str) -> str:
    # A private file under a random name: it is the person's and reaches them
    # through jobs.views.download, which checks access.
    return random_name("jobs", extension_of(filename))


class JobQuerySet(models.QuerySet["Job"]):
    def unfinished(self) -> "JobQuerySet":
        return self.filter(state__in=[JobState.QUEUED, JobState.RUNNING])


class Job(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    # the campaign the work is about: its office may fetch the file too
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    # an import's workbook, kept until the import succeeds so a retry can read it
    source = models.FileField(
        _("source file"), upload_to=job_path, storage=private_storage, blank=True
    )
    result = models.FileField(
        _("result file"), upload_to=job_path, storage=private_storage, blank=True
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def page_url(self) -> str:
        """The page that shows what the job did, where its kind has one."""
        from django.urls import reverse

        from jobs.kinds import KINDS

        kind = KINDS.get(self.kind)
        return reverse(kind.page, args=[self.pk]) if kind and kind.page else ""

    @property
    def label(self) -> Any:
        from jobs.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind
