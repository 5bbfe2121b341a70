"""The documents the office sends a unit that missed a deadline: the reminder notice
(催辦通知) and the circular (通報), as .docx."""

import datetime
import io

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from demands.models import Demand, DemandStatus, NoticeKind
from org.models import Unit


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
    document = DocxDocument()
    is_circular = kind == NoticeKind.CIRCULAR
    heading = document.add_heading(
        _("Circular (通報)") if is_circular else _("Reminder notice (催辦通知)"),
        level=1,
    )
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    campaign = demand.campaign
    document.add_paragraph(
        _("%(campaign)s office · %(date)s")
        % {
            "campaign": campaign.name,
            "date": formats.date_format(timezone.localdate(now), "DATE_FORMAT"),
        }
    )
    document.add_paragraph(_("To: %(unit)s") % {"unit": unit.name})
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
    document.add_paragraph(body % details)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = [
        (_("Tracking number"), demand.tracking_no or ""),
        (_("Title"), demand.masked_title),
        (_("Kind"), demand.get_kind_display()),
        (_("Urgency"), demand.get_urgency_display()),
        (_("Handling unit"), unit.name),
        (_("Missed deadline"), details["deadline"]),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = str(label)
        cells[1].text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
