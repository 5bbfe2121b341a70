"""A person reaches their own jobs; a job's file also reaches the office of the
campaign it is about (director, deputy director, comprehensive group)."""

from django.db.models import Q
from django.http import Http404

from campaigns.seats import OFFICE, seats_of
from jobs.models import Job, JobQuerySet
from org.actors import Viewer


def jobs_for_user(user: Viewer) -> JobQuerySet:
    """The jobs a person asked for."""
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    return Job.objects.filter(requested_by=user)


def get_job_for_user(user: Viewer, pk: int) -> Job:
    job = jobs_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def get_job_file_for_user(user: Viewer, pk: int) -> Job:
    """A finished job whose file the person may download: their own, or one about a
    campaign whose office they sit in."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    office_campaigns = seats_of(user).campaign_ids(OFFICE)
    job = (
        Job.objects.filter(pk=pk)
        .filter(Q(requested_by=user) | Q(campaign__in=office_campaigns))
        .exclude(result="")
        .first()
    )
    if job is None:
        raise Http404
    return job
