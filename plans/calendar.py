"""The campaign's schedule as an iCalendar file (RFC 5545), written by hand: phases
and milestones as all-day events."""

import datetime

from django.utils import timezone

from campaigns.models import Campaign, Phase
from plans.models import Milestone

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """TEXT values escape backslash, semicolon, comma and newlines (§3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (§3.1), never inside a UTF-8 character;
    each continuation begins with one space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    current = ""
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _event(
    uid: str, stamp: str, start: datetime.date, end: datetime.date, summary: str
) -> list[str]:
    # DTEND of an all-day event is exclusive: the day after the last.
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(start)}",
        f"DTEND;VALUE=DATE:{_date(end + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        "END:VEVENT",
    ]


def schedule_ics(
    campaign: Campaign, phases: list[Phase], milestones: list[Milestone], host: str
) -> str:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sanfu//Campaign schedule//ZH",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(campaign.name)}",
    ]
    for phase in phases:
        lines += _event(
            f"phase-{phase.pk}@{host}",
            stamp,
            phase.starts_on,
            phase.ends_on,
            phase.name,
        )
    for milestone in milestones:
        lines += _event(
            f"milestone-{milestone.pk}@{host}",
            stamp,
            milestone.due_on,
            milestone.due_on,
            milestone.title,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
