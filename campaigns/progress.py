"""Figures of the meetings' action items: counted by the database, never by a loop
over rows (the schedule's are in ``plans.progress``)."""

import datetime

from campaigns.models import ActionStatus, Campaign, Decision, DecisionQuerySet


def action_items_overdue(campaign: Campaign, today: datetime.date) -> DecisionQuerySet:
    """The campaign's meeting decisions still open past their deadline."""
    return Decision.objects.filter(
        meeting__campaign=campaign, status=ActionStatus.OPEN, deadline__lt=today
    )
