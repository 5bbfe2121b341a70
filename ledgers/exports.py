"""The ledgers as the office's Excel 台賬: the rows in a person's scope, written by
``ledgers.excel``; downloaded at once or prepared as a background job."""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from campaigns.models import Campaign
from ledgers import access, excel
from ledgers.models import RectificationMeasure
from ledgers.roundtrip import with_versions
from sanfu.lib.digits import parse_key
from sanfu.lib.progress import Report, counted

VIEW_PERM = "ledgers.view_problem"

EXPORTS: dict[str, tuple[Callable[..., QuerySet[Any]], Callable[..., bytes], str]] = {
    "problems": (access.problems_for_user, excel.problems_workbook, "問題整改台賬"),
    "deeds": (access.deeds_for_user, excel.deeds_workbook, "辦實事清單"),
    "visits": (access.visits_for_user, excel.visits_workbook, "調研台賬"),
}


def export_campaign(user: Any, chosen: str | None) -> Campaign:
    """The chosen campaign among those whose ledgers the person reaches, else the
    latest of them."""
    campaigns = access.ledger_campaigns(user)
    campaign = (
        campaigns.filter(pk=key).first()
        if (key := parse_key(chosen or "")) is not None
        else campaigns.order_by("-starts_on").first()
    )
    if campaign is None:
        raise Http404
    return campaign


def export_rows(user: Any, ledger: str, campaign: Campaign) -> QuerySet[Any]:
    scope = EXPORTS[ledger][0]
    rows = scope(user).filter(campaign=campaign).select_related("unit")
    if ledger == "problems":
        return rows.select_related("main_task").prefetch_related(
            Prefetch(
                "measures",
                RectificationMeasure.objects.select_related("owner", "reviewer"),
            )
        )
    if ledger == "deeds":
        return with_versions(rows.prefetch_related("stages"))
    return rows.prefetch_related("findings")


def build_export(
    user: Any, ledger: str, campaign: Campaign, progress: Report | None = None
) -> tuple[str, bytes]:
    """The file name and the workbook of one ledger of one campaign; ``progress``
    hears every few hundred rows."""
    build, title = EXPORTS[ledger][1:]
    rows = export_rows(user, ledger, campaign)
    items = rows.order_by("pk").iterator(chunk_size=2000)
    if progress is not None:
        items = counted(items, rows.count(), progress)
    return f"{campaign.slug}-{title}.xlsx", build(campaign, items)
