"""The routing's share in the figures: how many of a period's demands were
dispatched automatically (the office reads it beside the rates)."""

import datetime

from campaigns.models import Campaign
from demands.routing.models import RoutingSuggestion


def automatic_dispatches(
    campaign: Campaign,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
) -> int:
    """The campaign's demands submitted in [start, end) that were dispatched
    automatically on their suggestion."""
    found = RoutingSuggestion.objects.filter(automatic=True, demand__campaign=campaign)
    if start is not None:
        found = found.filter(demand__submitted_at__gte=start)
    if end is not None:
        found = found.filter(demand__submitted_at__lt=end)
    return found.count()
