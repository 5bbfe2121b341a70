"""A person reaches their own jobs; a job's file also reaches the office of the
campaign it is about (director, deputy director, comprehensive group)."""

from typing import Any

from django.db.models import Q
from django.http import Http404

from campaigns.models import Position
from campaigns.roles import CampaignRole
from jobs.models import Job, JobQuerySet

OFFICE_ROLES = (
    CampaignRole.OFFICE_DIRECTOR,
    CampaignRole.OFFICE_DEPUTY_DIRECTOR,
    CampaignRole.COMPREHENSIVE,
)


def jobs_for_user(user: Any) -> JobQuerySet:
    """The jobs a person asked for."""
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    return Job.objects.filter(requested_by=user)


def get_job_for_user(user: Any, pk: int) -> Job:
    job = jobs_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def get_job_file_for_user(user: Any, pk: int) -> Job:
    """A finished job whose file the person may download: their own, or one about a
    campaign whose office they sit in."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    office_campaigns = Position.objects.filter(
        person=user, role__in=OFFICE_ROLES
    ).values("body__campaign")
    job = (
        Job.objects.filter(pk=pk)
        .filter(Q(requested_by=user) | Q(campaign__in=office_campaigns))
        .exclude(result="")
        .first()
    )
    if job is None:
        raise Http404
    return job
