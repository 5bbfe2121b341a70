"""The ledgers as the office's Excel 台賬: the rows in a person's scope, written by
``ledgers.excel``; downloaded at once or prepared as a background job."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from campaigns.models import Campaign
from core.digits import parse_key
from core.progress import Report, counted
from ledgers import access, excel
from ledgers.roundtrip import LEDGERS
from org.actors import Viewer

VIEW_PERM = "ledgers.view_problem"

EXPORTS: dict[
    str,
    tuple[
        Callable[..., QuerySet[Any]],
        Callable[..., bytes],
        str,
        tuple[str, ...],
        tuple[str, ...],
    ],
] = {
    "problems": (
        access.problems_for_user,
        excel.problems_workbook,
        "問題整改台賬",
        excel.PROBLEM_FIELDS,
        excel.PROBLEM_ORDER,
    ),
    "deeds": (
        access.deeds_for_user,
        excel.deeds_workbook,
        "辦實事清單",
        excel.DEED_FIELDS,
        excel.DEED_ORDER,
    ),
    "visits": (
        access.visits_for_user,
        excel.visits_workbook,
        "調研台賬",
        excel.VISIT_FIELDS,
        excel.VISIT_ORDER,
    ),
}


def export_campaign(user: Viewer, chosen: str | None) -> Campaign:
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


def export_rows(user: Viewer, ledger: str, campaign: Campaign) -> QuerySet[Any]:
    """The ledger's rows in the person's scope, as plain values from one query
    (``ledgers.excel``'s ``*_FIELDS`` in ``*_ORDER``)."""
    scope, _build, _title, fields, order = EXPORTS[ledger]
    return scope(user).filter(campaign=campaign).order_by(*order).values(*fields)


def build_export(
    user: Viewer, ledger: str, campaign: Campaign, progress: Report | None = None
) -> tuple[str, bytes]:
    """The file name and the workbook of one ledger of one campaign; ``progress``
    hears every few hundred rows."""
    scope, build, title = EXPORTS[ledger][:3]
    rows = export_rows(user, ledger, campaign)
    # each row's version (the last audit entry that changed it): one grouped query
    versions = LEDGERS[ledger].versions(scope(user).filter(campaign=campaign))
    items = rows.iterator(chunk_size=5000)
    if progress is not None:
        items = counted(items, rows.count(), progress)
    return f"{campaign.slug}-{title}.xlsx", build(campaign, items, versions)
