"""When each step of a demand is due: hours by urgency to dispatch, working days of
the Chinese calendar to accept and to reply."""

import datetime

from django.conf import settings
from django.utils import timezone

from core.workdays import add_workdays, nth_workday_back
from demands.models import DeadlineRule, Demand, DemandStatus
from org.calendar import overrides


# Days ahead whose make-up days (調休) the office should know: the longest reply
# limit (15 working days) with its extensions fits well within them.
def dispatch_due(urgency: str, since: datetime.datetime) -> datetime.datetime:
    hours = settings.SANFU_DEMANDS["DISPATCH_HOURS"][urgency]
    return since + datetime.timedelta(hours=hours)


def demo_minutes() -> int:
    """The demo's acceptance limit in minutes (``make run``); 0 off the demo."""
    return int(settings.SANFU_DEMANDS.get("DEMO_ACCEPT_MINUTES") or 0)


def accept_due(since: datetime.datetime) -> datetime.datetime:
    if minutes := demo_minutes():
        return since + datetime.timedelta(minutes=minutes)
    days = settings.SANFU_DEMANDS["ACCEPT_WORKDAYS"]
    return add_workdays(timezone.localtime(since), days, overrides())


def reply_days(demand: Demand) -> int:
    rule = DeadlineRule.objects.filter(
        campaign_id=demand.campaign_id, kind=demand.kind
    ).first()
    if rule is not None:
        return rule.reply_days
    return int(settings.SANFU_DEMANDS["REPLY_WORKDAYS"][demand.kind])


def reply_due(demand: Demand, since: datetime.datetime) -> datetime.datetime:
    days = reply_days(demand) + demand.extension_days
    return add_workdays(timezone.localtime(since), days, overrides())


def extend(due: datetime.datetime, days: int) -> datetime.datetime:
    return add_workdays(timezone.localtime(due), days, overrides())


def card_for(
    due: datetime.datetime | None,
    now: datetime.datetime,
    *,
    start: datetime.datetime,
    yellow_percent: int,
) -> str:
    """The card a time limit running from ``start`` to ``due`` shows at ``now``:
    "red" once it is over, "yellow" once ``yellow_percent`` of it has passed, else
    "" (no deadline, no card). A share rather than fixed hours, so that a 24-hour
    dispatch limit and a 15-working-day reply limit both warn in their last
    quarter, not from their first minute."""
    if due is None:
        return ""
    if now > due:
        return "red"
    if (now - start) * 100 >= (due - start) * yellow_percent:
        return "yellow"
    return ""


def step_start(demand: Demand) -> datetime.datetime | None:
    """When the time limit ``demand`` is working against began."""
    due = demand.current_due()
    if due is None:
        return None
    if demand.status in (DemandStatus.SUBMITTED, DemandStatus.RETURNED):
        hours = settings.SANFU_DEMANDS["DISPATCH_HOURS"][demand.urgency]
        return due - datetime.timedelta(hours=hours)
    if demand.status == DemandStatus.REOPENED:
        # The reply limit began afresh at the reopening, which is not stored:
        # count its working days back from the deadline.
        days = max(reply_days(demand) + demand.extension_days, 1)
        local = timezone.localtime(due)
        first = nth_workday_back(local.date(), days, overrides())
        return local - datetime.timedelta(days=(local.date() - first).days + 1)
    # dispatch starts both the acceptance and the reply limit
    return demand.dispatched_at or demand.submitted_at


def card(demand: Demand, now: datetime.datetime) -> str:
    """The card of the deadline ``demand`` is working against at ``now``, by its
    campaign's share (``Campaign.yellow_card_percent``)."""
    start = step_start(demand)
    if start is None:
        return ""
    return card_for(
        demand.current_due(),
        now,
        start=start,
        yellow_percent=demand.campaign.yellow_card_percent,
    )


def workday_after(moment: datetime.datetime) -> datetime.date:
    """The first working day after ``moment``'s local date."""
    return add_workdays(timezone.localtime(moment), 1, overrides()).date()
