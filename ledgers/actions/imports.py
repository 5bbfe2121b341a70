"""Ledgers imported from Excel: problems and their measures, read and checked by
``ledgers.excel``, stored in bulk."""

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.bulk import insert_rows
from core.progress import Report
from ledgers.access import is_office, is_unit_writer
from ledgers.actions.common import _require
from ledgers.models import Problem, ProgressUpdate, RectificationMeasure
from org.models import Person

if TYPE_CHECKING:
    from ledgers.excel import MeasureRow, ProblemRow


def _check_import_units(campaign: Campaign, unit_ids: set[int], actor: Person) -> None:
    """The office imports for any unit of its campaign, a unit only for itself."""
    if is_office(actor, campaign.pk):
        return
    for unit_id in unit_ids:
        _require(is_unit_writer(actor, unit_id))


T = TypeVar("T")
IMPORT_BATCH = 5000  # rows stored at a time; progress is heard after each


def _batches(rows: Sequence[T], progress: Report | None) -> Iterable[Sequence[T]]:
    """``rows`` in slices of ``IMPORT_BATCH``, telling ``progress`` after each."""
    for start in range(0, len(rows), IMPORT_BATCH):
        if progress is not None:
            progress(start, len(rows))
        yield rows[start : start + IMPORT_BATCH]
    if progress is not None:
        progress(len(rows), len(rows))


MEASURE_FIELDS = (
    "problem_id",
    "description",
    "owner_id",
    "reviewer_id",
    "deadline",
    "progress",
)


def store_measures(
    measures: Sequence[tuple[int, "MeasureRow"]],
    *,
    reporter: Person,
    now: datetime.datetime,
    reports: Sequence[tuple[int, int]] = (),
) -> None:
    """Store imported measures (each with its problem's key); a measure's progress
    becomes its first progress report, as do ``reports`` (measure, percent) of
    measures already stored."""
    keys = insert_rows(
        RectificationMeasure,
        MEASURE_FIELDS,
        [
            (key, m.description, m.owner_id, m.reviewer_id, m.deadline, m.progress)
            for key, m in measures
        ],
    )
    insert_rows(
        ProgressUpdate,
        ("measure_id", "percent"),
        [
            *reports,
            *(
                (measure_key, m.progress)
                for measure_key, (_key, m) in zip(keys, measures, strict=True)
                if m.progress
            ),
        ],
        note=_("Imported from Excel"),
        reported_by=reporter,
        reported_at=now,
    )


@transaction.atomic
def import_problems(
    campaign: Campaign,
    rows: Sequence["ProblemRow"],
    *,
    actor: Person,
    progress: Report | None = None,
) -> list[int]:
    """Store new problems read and checked by ``ledgers.excel.read_problems``, all
    or none (``core.bulk``: no model instance per row); each measure's
    progress becomes its first progress report. The new problems' keys; their
    audit entries are ``ledgers.roundtrip``'s (one per problem)."""
    _check_import_units(campaign, {row.unit_id for row in rows}, actor)
    now = timezone.now()
    problems: list[int] = []
    for batch in _batches(rows, progress):
        keys = insert_rows(
            Problem,
            ("unit_id", "source", "main_task_id", "severity", "description"),
            [
                (
                    row.unit_id,
                    row.source,
                    row.main_task_id,
                    row.severity,
                    row.description,
                )
                for row in batch
            ],
            campaign=campaign,
            created_by=actor,
            created_at=now,
        )
        store_measures(
            [
                (key, measure)
                for key, row in zip(keys, batch, strict=True)
                for measure in row.measures
            ],
            reporter=actor,
            now=now,
        )
        problems.extend(keys)
    return problems
