"""The documents the office sends a unit that missed a deadline: the reminder notice
(催办通知) and the circular (通报), as .docx in the official format
(``text.documents``)."""

import datetime

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from demands.models import Demand, DemandStatus, NoticeKind
from org.models import Unit
from text.documents import document_script
from text.documents.word import OfficialDocx


def _missed_step(demand: Demand) -> str:
    if demand.status == DemandStatus.DISPATCHED:
        return _("accept (簽收)")
    return _("reply to (答覆)")


def notice_docx(
    demand: Demand,
    *,
    kind: str,
    unit: Unit,
    deadline: datetime.datetime,
    now: datetime.datetime,
) -> bytes:
    """The notice for ``demand``, whose ``unit`` let ``deadline`` pass, in the
    site's language (the office files it, whatever its clerks' own language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(demand, kind=kind, unit=unit, deadline=deadline, now=now)


def _render(
    demand: Demand,
    *,
    kind: str,
    unit: Unit,
    deadline: datetime.datetime,
    now: datetime.datetime,
) -> bytes:
    document = OfficialDocx(document_script())
    is_circular = kind == NoticeKind.CIRCULAR
    campaign = demand.campaign
    document.office_head(campaign.issuing_office)
    document.title(
        _("Circular (通報)") if is_circular else _("Reminder notice (催辦通知)")
    )
    document.meta(formats.date_format(timezone.localdate(now), "DATE_FORMAT"))
    # 主送: flush left, then the body
    document.paragraph(_("To: %(unit)s") % {"unit": unit.name}, indent=False)
    details = {
        "unit": unit.name,
        "number": demand.tracking_no,
        # circulated to every unit and read by the leading group: masked
        "title": demand.masked_title,
        "step": _missed_step(demand),
        "deadline": formats.date_format(
            timezone.localtime(deadline), "DATETIME_FORMAT"
        ),
    }
    if is_circular:
        body = _(
            "%(unit)s has not yet done what it was reminded to do: it was to "
            "%(step)s demand %(number)s “%(title)s” by %(deadline)s. The office "
            "circulates this to the units of the campaign and asks %(unit)s to act "
            "at once and report the result."
        )
    else:
        body = _(
            "%(unit)s was to %(step)s demand %(number)s “%(title)s” by "
            "%(deadline)s, and has not. Please do so without delay; a unit that "
            "has not acted within five working days is named in a circular."
        )
    document.paragraph(body % details)
    rows = [
        (_("Tracking number"), demand.tracking_no or ""),
        (_("Title"), demand.masked_title),
        (_("Kind"), demand.get_kind_display()),
        (_("Urgency"), demand.get_urgency_display()),
        (_("Handling unit"), unit.name),
        (_("Missed deadline"), details["deadline"]),
    ]
    document.table([_("Item"), _("Details")], rows)
    document.signature(
        campaign.issuing_office,
        formats.date_format(timezone.localdate(now), "DATE_FORMAT"),
    )
    return document.bytes()
