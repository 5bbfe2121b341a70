"""Figures the evaluation app reads: on-time rectification and deeds done, per unit,
counted by the database."""

import datetime

from django.db.models import Count, F, Q

from campaigns.models import Campaign
from ledgers.models import DeedStatus, PracticalDeed, RectificationMeasure


def _due_between(
    start: datetime.date | None, end: datetime.date | None, field: str = "deadline"
) -> Q:
    """Due from ``start`` to ``end`` (inclusive); ``None`` leaves that end open."""
    due = Q()
    if start is not None:
        due &= Q(**{f"{field}__gte": start})
    if end is not None:
        due &= Q(**{f"{field}__lte": end})
    return due


def on_time_rectification(
    campaign: Campaign, start: datetime.date | None, end: datetime.date | None
) -> dict[int, tuple[int, int]]:
    """unit id → (measures finished by their deadline, measures due) among the
    campaign's measures due from ``start`` to ``end`` (inclusive)."""
    rows = (
        RectificationMeasure.objects.filter(
            _due_between(start, end), problem__campaign=campaign
        )
        .values("problem__unit_id")
        .order_by()
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(completed_on__lte=F("deadline"))),
        )
    )
    return {row["problem__unit_id"]: (row["on_time"], row["due"]) for row in rows}


def deeds_done(
    campaign: Campaign, start: datetime.date | None, end: datetime.date | None
) -> dict[int, tuple[int, int]]:
    """unit id → (deeds verified done, deeds) among the campaign's deeds due from
    ``start`` to ``end`` (inclusive)."""
    rows = (
        PracticalDeed.objects.filter(_due_between(start, end), campaign=campaign)
        .values("unit_id")
        .order_by()
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=DeedStatus.VERIFIED)),
        )
    )
    return {row["unit_id"]: (row["done"], row["total"]) for row in rows}
