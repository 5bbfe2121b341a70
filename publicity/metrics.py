"""Submission figures per unit and month: submitted, published, rejected (a rollup
the review actions keep, ``SubmissionMonthStat``) and readings (``ArticleDayHits``).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from openpyxl import Workbook

from campaigns.models import Campaign
from core.spreadsheet import keep_sheet_text, print_ready
from publicity.models import (
    ArticleDayHits,
    ArticlePage,
    CampaignPage,
    SubmissionMonthStat,
)


def _column_articles(campaign: Campaign) -> Any:
    column = CampaignPage.objects.filter(campaign=campaign).first()
    if column is None:
        return ArticlePage.objects.none()
    return ArticlePage.objects.child_of(column)


def published_submissions(
    campaign: Campaign, start: datetime.date, end: datetime.date
) -> dict[int, int]:
    """Units' published submissions dated between ``start`` and ``end``
    (inclusive): unit id → number. For the evaluation of units and the reports.

    An article counts by its own date (``published_on``, the date it carries in
    the column), not by the moment it went live: an article dated inside a phase
    but reviewed after the phase ended counts for that phase."""
    rows = (
        _column_articles(campaign)
        .filter(
            live=True,
            submitted_by__isnull=False,
            source_unit__isnull=False,
            published_on__gte=start,
            published_on__lte=end,
        )
        .order_by()
        .values("source_unit")
        .annotate(count=Count("pk"))
    )
    return {row["source_unit"]: row["count"] for row in rows}


@dataclass
class StatRow:
    unit_id: int
    unit: str
    month: datetime.date
    submitted: int = 0
    published: int = 0
    rejected: int = 0
    hits: int = 0


def unit_month_figures(campaign: Campaign) -> list[StatRow]:
    rows: dict[tuple[int, datetime.date], StatRow] = {}
    for stat in SubmissionMonthStat.objects.filter(campaign=campaign).select_related(
        "unit"
    ):
        rows[(stat.unit_id, stat.month)] = StatRow(
            stat.unit_id,
            stat.unit.name,
            stat.month,
            stat.submitted,
            stat.published,
            stat.rejected,
        )
    hits = (
        ArticleDayHits.objects.filter(
            page__in=_column_articles(campaign).filter(source_unit__isnull=False)
        )
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("page__source_unit", "page__source_unit__name", "month")
        .annotate(total=Sum("hits"))
    )
    for hit in hits:
        key = (hit["page__source_unit"], hit["month"])
        row = rows.setdefault(
            key, StatRow(key[0], hit["page__source_unit__name"], key[1])
        )
        row.hits = hit["total"]
    return sorted(rows.values(), key=lambda row: (row.month, row.unit), reverse=True)


def workbook(campaign: Campaign) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Submissions")
    sheet.append(
        [
            _("Unit"),
            _("Month"),
            _("Submitted"),
            _("Published"),
            _("Rejected"),
            _("Hits"),
        ]
    )
    for row in unit_month_figures(campaign):
        sheet.append(
            [
                row.unit,
                row.month.strftime("%Y-%m"),
                row.submitted,
                row.published,
                row.rejected,
                row.hits,
            ]
        )
    # Unit names are typed by staff: one that looks like a formula stays text.
    keep_sheet_text(sheet.iter_rows(min_row=2, max_col=1))
    print_ready(sheet, title=f"{campaign.name} · {sheet.title}")
    return book
