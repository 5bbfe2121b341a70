"""When each step of a demand is due: hours by urgency to dispatch, working days of
the Chinese calendar to accept and to reply."""

import datetime

from django.conf import settings
from django.utils import timezone

from demands.models import DeadlineRule, Demand
from org.models import WorkdayOverride
from sanfu.lib.workdays import add_workdays


def overrides() -> dict[datetime.date, bool]:
    return dict(WorkdayOverride.objects.values_list("day", "is_workday"))


def dispatch_due(urgency: str, since: datetime.datetime) -> datetime.datetime:
    hours = settings.SANFU_DEMANDS["DISPATCH_HOURS"][urgency]
    return since + datetime.timedelta(hours=hours)


def accept_due(since: datetime.datetime) -> datetime.datetime:
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


def card_for(due: datetime.datetime | None, now: datetime.datetime) -> str:
    """The card a deadline shows at ``now``: "red" once it passed, "yellow" within
    ``SANFU_DEMANDS["YELLOW_HOURS"]`` of it, else "" (no deadline, no card)."""
    if due is None:
        return ""
    if now > due:
        return "red"
    if due - now <= datetime.timedelta(hours=settings.SANFU_DEMANDS["YELLOW_HOURS"]):
        return "yellow"
    return ""


def card(demand: Demand, now: datetime.datetime) -> str:
    """The card of the deadline ``demand`` is working against at ``now``."""
    return card_for(demand.current_due(), now)


def workday_after(moment: datetime.datetime) -> datetime.date:
    """The first working day after ``moment``'s local date."""
    return add_workdays(timezone.localtime(moment), 1, overrides()).date()
