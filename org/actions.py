"""State changes of the organisation: one function each, audited."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import record
from core.errors import Refused
from core.holiday_notice import NoticeDay
from org.models import (
    HolidayNotice,
    Membership,
    Organisation,
    Person,
    Unit,
    UnitKind,
    WorkdayOverride,
)


@transaction.atomic
def create_unit(
    organisation: Organisation,
    name: str,
    *,
    parent: Unit | None = None,
    kind: str = UnitKind.DEPARTMENT,
    short_name: str = "",
    description: str = "",
    is_demo: bool = False,
    actor: Person | None,
) -> Unit:
    fields = {
        "organisation": organisation,
        "name": name,
        "kind": kind,
        "short_name": short_name,
        "description": description,
        "is_demo": is_demo,
    }
    if parent is None:
        unit = Unit.add_root(**fields)
    else:
        if parent.organisation_id != organisation.pk:
            raise Refused(
                _("The parent unit belongs to another organisation."),
                "parent_elsewhere",
                field="parent",
            )
        unit = Unit.objects.select_for_update().get(pk=parent.pk).add_child(**fields)
    record(unit, "sanfu.unit.create", actor=actor, data={"name": name, "kind": kind})
    return unit


@transaction.atomic
def add_membership(
    person: Person, unit: Unit, *, role: str, title: str = "", actor: Person | None
) -> Membership:
    membership = Membership.objects.create(
        person=person, unit=unit, role=role, title=title
    )
    record(
        membership,
        "sanfu.membership.add",
        actor=actor,
        data={"unit": unit.name, "role": role, "title": title},
    )
    return membership


@transaction.atomic
def enter_holiday_notice(
    year: int, text: str, days: Sequence[NoticeDay], *, actor: Person
) -> HolidayNotice:
    """Keep the State Council's holiday notice for ``year``: each of its ``days``
    becomes (or replaces) the working-day override of its date, and the year
    counts as announced. Entering the year again adds to or corrects its days."""
    notice, _created = HolidayNotice.objects.update_or_create(
        year=year, defaults={"text": text}
    )
    for entry in days:
        WorkdayOverride.objects.update_or_create(
            day=entry.day,
            defaults={"is_workday": entry.is_workday, "note": entry.note[:100]},
        )
    record(
        notice,
        "sanfu.calendar.notice",
        actor=actor,
        data={
            "days_off": [d.day.isoformat() for d in days if not d.is_workday],
            "working_days": [d.day.isoformat() for d in days if d.is_workday],
        },
    )
    return notice
