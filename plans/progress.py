"""Figures of the schedule for the dashboard: counted by the database, never by a
loop over rows."""

import datetime
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Campaign, Phase


class PhaseProgress(NamedTuple):
    phase: Phase
    done: int
    total: int
    overdue: int


def milestone_progress(
    campaign: Campaign, today: datetime.date | None = None
) -> list[PhaseProgress]:
    """Each phase of the campaign with its milestones done, in all and overdue (not
    done and past due on ``today``, by default the current date)."""
    today = today or timezone.localdate()
    phases = campaign.phases.annotate(
        total=Count("milestones"),
        done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
        overdue=Count(
            "milestones",
            filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today),
        ),
    ).order_by("sequence")
    return [
        PhaseProgress(phase, phase.done, phase.total, phase.overdue)  # type: ignore[attr-defined]
        for phase in phases
    ]
