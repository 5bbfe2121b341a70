"""The weekly hotspot runs, the hotspots each found and the demands in them.
Imported by ``demands.models``: they are the demands app's models."""

import datetime
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign

# how many weeks, the run's own last, a run clusters together and counts by week
WEEKS = 4


class HotspotRun(models.Model):
    """One run of the weekly job for a campaign: the demands submitted in the
    ``WEEKS`` weeks ending on ``week``'s Sunday, clustered together. One per
    campaign and week (the job runs once a week whatever the clock does)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="hotspot_runs",
    )
    week = models.DateField(_("week (its Monday)"))
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    demands = models.PositiveIntegerField(_("demands read"), default=0)
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("hotspot run")
        verbose_name_plural = _("hotspot runs")
        ordering = ["campaign", "-week"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "week"], name="one_hotspot_run_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.week}"

    @property
    def weeks(self) -> list[datetime.date]:
        """The Mondays of the weeks counted, oldest first."""
        return [
            self.week - datetime.timedelta(weeks=back)
            for back in range(WEEKS - 1, -1, -1)
        ]


class Hotspot(models.Model):
    """A group of a run's demands about the same matter in the same place, with
    their count in each week of the run (``counts``, oldest first). The same
    matter found again by a later run keeps the ``lineage`` of the earlier one, so
    a hotspot the office has acted on is known as such the next week."""

    run = models.ForeignKey(
        HotspotRun,
        verbose_name=_("hotspot run"),
        on_delete=models.CASCADE,
        related_name="hotspots",
    )
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    label = models.CharField(_("words"), max_length=200)
    area = models.ForeignKey(
        "demands.Area",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    size = models.PositiveIntegerField(_("demands"))
    counts = models.JSONField(_("demands by week"))
    rising = models.BooleanField(_("rising"), default=False)
    growth = models.FloatField(_("growth"), default=0)
    demands = models.ManyToManyField(
        "demands.Demand",
        verbose_name=_("demands"),
        related_name="hotspots",
        blank=True,
    )

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["run", "-rising", "-growth", "-size", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def this_week(self) -> int:
        return int(self.counts[-1]) if self.counts else 0

    @property
    def before(self) -> float:
        """The mean count of the weeks before the run's own."""
        earlier = self.counts[:-1]
        return sum(earlier) / len(earlier) if earlier else 0.0
