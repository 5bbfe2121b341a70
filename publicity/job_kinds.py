"""The column's background job: the submissions' statistics."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from jobs.kinds import (
    Kind,
    Output,
    Prepared,
    Progress,
    document_bytes,
    one_campaign,
    register_kind,
    still_campaign,
)
from jobs.models import Job
from publicity import access, metrics


def _prepare_publicity_stats(request: HttpRequest) -> Prepared:
    campaigns = access.desk_campaigns(request.user)
    if not campaigns.exists():
        raise PermissionDenied
    campaign = one_campaign(campaigns, request.GET.get("campaign"))
    return {"campaign": campaign.pk}, campaign


def _run_publicity_stats(job: Job, progress: Progress) -> Output:
    campaign = still_campaign(
        access.desk_campaigns(job.requested_by), job.params["campaign"]
    )
    progress(0, 1)
    content = document_bytes(metrics.workbook(campaign))
    progress(1, 1)
    return Output(filename=f"submissions-{campaign.slug}.xlsx", content=content)


register_kind(
    "publicity_stats",
    Kind(
        gettext_lazy("Column statistics (.xlsx)"),
        _run_publicity_stats,
        _prepare_publicity_stats,
    ),
)
