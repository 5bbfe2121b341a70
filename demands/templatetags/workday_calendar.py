"""``{% calendar_warning %}``: the office's pages and the cockpit warn while the
next days' make-up days (調休) are unknown (``org.calendar.calendar_gaps``)."""

from typing import Any

from django import template
from django.utils import timezone

from demands.views.calendar import CALENDAR_PERM
from org.calendar import CALENDAR_HORIZON_DAYS, calendar_gaps

register = template.Library()


@register.inclusion_tag("demands/calendar/_warning.html", takes_context=True)
def calendar_warning(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "years": calendar_gaps(timezone.localdate()),
        "days": CALENDAR_HORIZON_DAYS,
        "may_enter": user is not None and user.has_perm(CALENDAR_PERM),
    }
