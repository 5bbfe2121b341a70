"""My exports and jobs (/admin/jobs/): a person's background jobs with their
progress, the file when done, the reason and a retry when failed."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.admin import forbidden
from core.errors import Conflict
from core.private_files import serve_private
from jobs.access import get_job_file_for_user, get_job_for_user, jobs_for_user
from jobs.actions import enqueue_job, retry_job
from jobs.kinds import KINDS
from jobs.models import Job
from org.actors import person_of

PAGE_SIZE = 50


class JobListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "jobs/list.html"
    page_title = gettext_lazy("My exports and jobs")
    header_icon = "download"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["jobs"] = list(jobs_for_user(self.request.user)[:PAGE_SIZE])
        return context


def _status(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "download": reverse("jobs_download", args=[job.pk]) if job.result else "",
    }


@require_safe
def status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the list's progress bars poll while a job runs."""
    return JsonResponse(_status(get_job_for_user(request.user, pk)))


@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = get_job_file_for_user(request.user, pk)
    return serve_private(request, job.result, filename=job.filename)


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    try:
        retry_job(job, actor=person_of(request))
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect("jobs_list")


@require_POST
def start(request: HttpRequest, kind: str) -> HttpResponse:
    """Queue an export or report with the query of its direct download."""
    found = KINDS.get(kind)
    if found is None or found.prepare is None:
        raise Http404
    try:
        params, campaign = found.prepare(request)
    except PermissionDenied:
        return forbidden(request)
    enqueue_job(kind, actor=person_of(request), params=params, campaign=campaign)
    messages.success(
        request,
        _("%(job)s is being prepared; it can be downloaded here when done.")
        % {"job": found.label},
    )
    return redirect("jobs_list")


def admin_urls() -> list[Any]:
    return [
        path("jobs/", JobListView.as_view(), name="jobs_list"),
        path("jobs/start/<slug:kind>/", start, name="jobs_start"),
        path("jobs/<int:pk>/status/", status, name="jobs_status"),
        path("jobs/<int:pk>/download/", download, name="jobs_download"),
        path("jobs/<int:pk>/retry/", retry, name="jobs_retry"),
    ]
