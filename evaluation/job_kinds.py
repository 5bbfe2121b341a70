"""The evaluation's background job: the ranking workbook."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.digits import parse_key
from evaluation import access, documents, scoring
from evaluation.forms import PeriodForm
from jobs.kinds import (
    JobRefused,
    Kind,
    Output,
    Prepared,
    Progress,
    document_bytes,
    register_kind,
)
from jobs.models import Job


def _ranking_period(
    data: QueryDict | dict[str, Any],
) -> dict[str, datetime.date]:
    form = PeriodForm(data)
    if not form.is_valid():
        raise JobRefused(
            " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
    return {key: value for key, value in form.cleaned_data.items() if value}


def _prepare_evaluation_ranking(request: HttpRequest) -> Prepared:
    sets = access.indicator_sets_for_user(request.user)
    chosen = request.GET.get("set", "")
    key = parse_key(chosen)
    indicator_set = sets.filter(pk=key).first() if key is not None else None
    if indicator_set is None:
        raise Http404
    try:
        period = _ranking_period(request.GET)
    except JobRefused as refused:
        raise Http404 from refused
    params = {key: day.isoformat() for key, day in period.items()}
    return {"set": indicator_set.pk, **params}, indicator_set.campaign


def _run_evaluation_ranking(job: Job, progress: Progress) -> Output:
    sets = access.indicator_sets_for_user(job.requested_by)
    indicator_set = sets.filter(pk=job.params["set"]).first()
    if indicator_set is None:
        raise JobRefused(_("You no longer have access to this indicator set."))
    period = _ranking_period(job.params)
    progress(0, 2)
    result = scoring.compute(
        indicator_set, start=period.get("start"), end=period.get("end")
    )
    progress(1, 2)
    content = document_bytes(documents.ranking_workbook(result))
    progress(2, 2)
    return Output(
        filename=f"ranking-{indicator_set.pk}-{job.created_at:%Y%m%d}.xlsx",
        content=content,
    )


register_kind(
    "evaluation_ranking",
    Kind(
        gettext_lazy("Evaluation ranking (.xlsx)"),
        _run_evaluation_ranking,
        _prepare_evaluation_ranking,
    ),
)
