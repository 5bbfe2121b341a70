"""Figures the evaluation app reads: on-time rectification and deeds done, per unit,
counted by the database."""

import datetime

from django.db.models import Count, F, Q

from campaigns.models import Campaign
from ledgers.models import DeedStatus, PracticalDeed, RectificationMeasure


def on_time_rectification(
    campaign: Campaign, start: datetime.date, end: datetime.date
) -> dict[int, tuple[int, int]]:
    """unit id → (measures finished by their deadline, measures due) among the
    campaign's measures due from ``start`` to ``end`` (inclusive)."""
    rows = (
        RectificationMeasure.objects.filter(
            problem__campaign=campaign, deadline__gte=start, deadline__lte=end
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
    campaign: Campaign, start: datetime.date, end: datetime.date
) -> dict[int, tuple[int, int]]:
    """unit id → (deeds verified done, deeds) among the campaign's deeds due from
    ``start`` to ``end`` (inclusive)."""
    rows = (
        PracticalDeed.objects.filter(
            campaign=campaign, deadline__gte=start, deadline__lte=end
        )
        .values("unit_id")
        .order_by()
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=DeedStatus.VERIFIED)),
        )
    )
    return {row["unit_id"]: (row["done"], row["total"]) for row in rows}
