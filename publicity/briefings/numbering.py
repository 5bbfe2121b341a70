"""Giving a briefing its issue number, once, without gaps or duplicates."""

from django.db import transaction

from audit.actions import record
from org.models import Person
from publicity.models import BriefingCounter, BriefingPage


def campaign_id_of(page: BriefingPage) -> int:
    if page.campaign_id is not None:
        return page.campaign_id
    column = page.get_parent().specific
    return int(column.campaign_id)  # type: ignore[attr-defined]


@transaction.atomic
def assign_issue_number(page: BriefingPage, *, actor: Person | None) -> int | None:
    """Number a live briefing that has no number yet; return its number.

    Called inside the publishing transaction with the page row already locked. The
    campaign's counter row is locked too (``select_for_update``; on SQLite the
    transaction holds the database's write lock from its start), so two briefings
    published at once take consecutive numbers, and a rolled-back publish takes none.
    """
    row = BriefingPage.objects.filter(pk=page.pk).values("live", "issue_number").get()
    if not row["live"] or row["issue_number"] is not None:
        return row["issue_number"]  # type: ignore[no-any-return]
    campaign_id = campaign_id_of(page)
    BriefingCounter.objects.get_or_create(campaign_id=campaign_id)
    counter = BriefingCounter.objects.select_for_update().get(campaign_id=campaign_id)
    counter.last_issue += 1
    counter.save(update_fields=["last_issue"])
    BriefingPage.objects.filter(pk=page.pk).update(
        issue_number=counter.last_issue, campaign_id=campaign_id
    )
    page.issue_number = counter.last_issue
    page.campaign_id = campaign_id
    record(
        page,
        "sanfu.briefing.number",
        actor=actor,
        data={"issue": counter.last_issue, "campaign": campaign_id},
    )
    return counter.last_issue
