"""The column in the back office: a unit's submissions, the publicity group's
review (with the confidentiality check), the submission figures and the advanced
models' pipeline. Each step posts to a small view that calls its action."""

from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.models import TaskState, WorkflowState

from campaigns.models import Campaign
from core.admin import forbidden
from core.digits import parse_key
from core.errors import Conflict
from core.private_files import serve_private
from core.steps import take_step
from org.actors import person_of
from publicity import access, actions, confidentiality, metrics, review_files
from publicity.forms import (
    ArticleForm,
    CommentForm,
    DismissFindingForm,
)
from publicity.models import ArticlePage, CampaignPage, ReviewFileKind
from publicity.views import models_admin
from text.cleaning import clean_text


def _refusing(view: Any) -> Any:
    """Anonymous people go to the login page; a refusal answers 403, a page out
    of scope 404."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    return wrapped


def _history(page: ArticlePage) -> list[TaskState]:
    """Every review step of the article, with the reviewers' comments."""
    return list(
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page)
        )
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
    )


def _status(page: ArticlePage) -> str:
    if page.live:
        return _("Published")
    if page.approved_schedule:
        return _("Scheduled")
    state = page.current_workflow_state
    if state is None:
        return _("Draft")
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("Changes requested")
    return _("In review")


# -- a unit's submissions --------------------------------------------------------

SUBMISSIONS_PER_PAGE = 50


def submissions(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.submitter_units(user).exists():
        raise PermissionDenied
    pages = access.submissions_for_user(user).select_related("source_unit")
    query = clean_text(request.GET.get("q", ""))[:100].strip()
    if query:
        pages = pages.filter(draft_title__icontains=query)
    unit = parse_key(request.GET.get("unit", ""))
    if unit is not None:
        pages = pages.filter(source_unit_id=unit)
    paginator = WagtailPaginator(
        pages.order_by("-latest_revision_created_at", "-pk"), SUBMISSIONS_PER_PAGE
    )
    shown = paginator.get_page(request.GET.get("p"))
    return render(
        request,
        "publicity/admin/submissions.html",
        {
            "rows": [(page, _status(page)) for page in shown],
            "items": shown,
            "elided_page_range": paginator.get_elided_page_range(shown.number),
            "query": query,
            "unit": unit,
            "units": access.submitter_units(user),
            "columns": access.columns_for_submitter(user),
        },
    )


def _form(request: HttpRequest, column: CampaignPage, **kwargs: Any) -> ArticleForm:
    return ArticleForm(
        request.POST or None,
        request.FILES or None,
        campaign=column.campaign,
        units=access.submitter_units(request.user),
        **kwargs,
    )


def _draft(form: ArticleForm) -> actions.ArticleDraft:
    data = form.cleaned_data
    return actions.ArticleDraft(
        title=data["title"],
        category=data["category"],
        summary=data["summary"],
        body=data["body"],
        author=data["author"],
        source=data["source"],
        published_on=data["published_on"],
        main_task=data["main_task"],
        go_live_at=data["go_live_at"],
        images=data["images"],
        attachments=data["attachments"],
        captions=data["captions"],
        image_changes=form.image_changes(),
    )


def _save_and_maybe_submit(
    request: HttpRequest, form: ArticleForm, column: CampaignPage, page: Any
) -> HttpResponse:
    page = actions.save_draft(
        column,
        _draft(form),
        unit=form.cleaned_data["unit"],
        actor=person_of(request),
        page=page,
    )
    if "submit" in request.POST:
        actions.submit_article(page, actor=person_of(request))
        messages.success(request, _("Submitted to the publicity group."))
    else:
        messages.success(request, _("Draft saved."))
    return redirect("publicity_admin:submission", page.pk)


def new_submission(request: HttpRequest, column_id: int) -> HttpResponse:
    column = access.columns_for_submitter(request.user).filter(pk=column_id).first()
    if column is None:
        raise PermissionDenied
    form = _form(request, column)
    if request.method == "POST" and form.is_valid():
        return _save_and_maybe_submit(request, form, column, None)
    return render(
        request,
        "publicity/admin/submission_form.html",
        {"form": form, "column": column},
    )


def submission(request: HttpRequest, pk: int) -> HttpResponse:
    page = access.get_submission_for_user(request.user, pk)
    latest = page.get_latest_revision_as_object()
    column = access.column_of(page)
    assert column is not None
    state = page.current_workflow_state
    editable = not page.live and not (
        state and state.status == WorkflowState.STATUS_IN_PROGRESS
    )
    initial = {
        "title": latest.title,
        "category": latest.category,
        "unit": latest.source_unit_id,
        "author": latest.author,
        "source": latest.source,
        "published_on": latest.published_on,
        "main_task": latest.main_task_id,
        "summary": latest.summary,
        "body": latest.body,
        "go_live_at": latest.go_live_at,
    }
    form = _form(request, column, initial=initial, images=latest.images.all())
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                return _save_and_maybe_submit(request, form, column, page)
            except Conflict as error:
                messages.error(request, str(error))
    return render(
        request,
        "publicity/admin/submission.html",
        {
            "page": latest,
            "form": form,
            "column": column,
            "editable": editable,
            "status": _status(page),
            "history": _history(page),
            # the unit sees what the automatic check found, as the reviewer does
            "findings": (
                confidentiality.findings(page) if state and not page.live else None
            ),
        },
    )


# -- the publicity group's review ------------------------------------------------


def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.reviewer_campaigns(user).exists():
        raise PermissionDenied
    waiting = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        object_id__in=[
            str(pk)
            for pk in access.reviewable_articles(user).values_list("pk", flat=True)
        ],
    ).values_list("object_id", flat=True)
    pages = (
        ArticlePage.objects.filter(pk__in=[int(pk) for pk in waiting])
        .select_related("source_unit")
        .order_by("latest_revision_created_at")
    )
    return render(request, "publicity/admin/review_queue.html", {"pages": pages})


def _approve_blocked(unresolved: list[Any], files: list[Any]) -> list[str]:
    """Why 审核通过 cannot be pressed yet, shown beside the disabled button."""
    reasons = []
    if unresolved:
        reasons.append(
            _("Resolve every finding of the confidentiality check before approving.")
        )
    # the images are shown on the review page itself: loading them opens them
    closed = [
        item.name
        for item in files
        if item.kind == ReviewFileKind.ATTACHMENT and not item.opened
    ]
    if closed:
        reasons.append(
            _(
                "Open every attachment before approving (then reload this page); "
                "not yet opened: %(names)s."
            )
            % {"names": ", ".join(closed)}
        )
    return reasons


def review(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.reviewer_campaigns(request.user).exists():
        raise PermissionDenied
    page = access.get_reviewable_article(request.user, pk)
    findings = confidentiality.findings(page)
    state = page.current_workflow_state
    files = review_files.with_openings(page, request.user)
    unresolved = [f for f in findings if not f.resolved]
    return render(
        request,
        "publicity/admin/review.html",
        {
            "page": page.get_latest_revision_as_object(),
            "pk": page.pk,
            "findings": findings,
            "unresolved": unresolved,
            "images": [f for f in files if f.kind == ReviewFileKind.IMAGE],
            "attachments": [f for f in files if f.kind == ReviewFileKind.ATTACHMENT],
            "blocked": _approve_blocked(unresolved, files),
            "waiting": bool(state and state.status == WorkflowState.STATUS_IN_PROGRESS),
            "history": _history(page),
            "comment_form": CommentForm(),
        },
    )


@require_GET
def article_file(
    request: HttpRequest, pk: int, kind: str, file_id: int
) -> HttpResponse:
    """An image or attachment of a submission, for its reviewers and its unit;
    a reviewer's opening is recorded (approval waits for every file)."""
    user = request.user
    reviewer = access.reviewable_articles(user).filter(pk=pk).first()
    page = reviewer or access.get_submission_for_user(user, pk)
    found = review_files.find_file(page.get_latest_revision_as_object(), kind, file_id)
    if found is None or not found.file:
        raise Http404
    if reviewer is not None:
        actions.record_file_opening(
            page, kind=kind, file_id=file_id, actor=person_of(request)
        )
    name = PurePath(found.file.name).name
    if kind == ReviewFileKind.IMAGE:
        return serve_private(  # type: ignore[return-value]
            request, found.file, filename=name, as_attachment=False
        )
    return serve_private(  # type: ignore[return-value]
        request, found.file, filename=found.title or name, as_attachment=True
    )


def _review_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    page = access.get_reviewable_article(request.user, pk)
    if step == "dismiss":
        form = DismissFindingForm(request.POST)
        if form.is_valid():
            take_step(
                request,
                lambda: actions.dismiss_finding(
                    page, actor=person_of(request), **form.cleaned_data
                ),
                success=_("Finding marked a false positive."),
            )
        else:
            messages.error(request, _("Give the reason why this is not confidential."))
        return redirect("publicity_admin:review", pk)
    comment_form = CommentForm(request.POST)
    comment_form.is_valid()
    comment = comment_form.cleaned_data.get("comment", "")
    if step == "approve":
        outcome = take_step(
            request,
            lambda: actions.approve_article(
                page, actor=person_of(request), comment=comment
            ),
            success=_("Approved."),
        )
    else:
        outcome = take_step(
            request,
            lambda: actions.reject_article(
                page, actor=person_of(request), comment=comment
            ),
            success=_("Sent back to the unit."),
        )
    if not outcome.done:
        return redirect("publicity_admin:review", pk)
    return redirect("publicity_admin:review_queue")


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_step(request, pk, "approve")


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_step(request, pk, "reject")


@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_step(request, pk, "dismiss")


# -- figures ---------------------------------------------------------------------


def _stats_campaign(request: HttpRequest) -> Campaign:
    campaigns = access.desk_campaigns(request.user)
    if not campaigns.exists():
        raise PermissionDenied
    chosen = request.GET.get("campaign", "")
    campaign = (
        campaigns.filter(pk=key).first()
        if (key := parse_key(chosen)) is not None
        else campaigns.order_by("-starts_on").first()
    )
    if campaign is None:
        raise Http404
    return campaign


def stats(request: HttpRequest) -> HttpResponse:
    campaign = _stats_campaign(request)
    return render(
        request,
        "publicity/admin/stats.html",
        {
            "campaign": campaign,
            "campaigns": access.desk_campaigns(request.user),
            "rows": metrics.unit_month_figures(campaign),
        },
    )


def stats_export(request: HttpRequest) -> HttpResponse:
    campaign = _stats_campaign(request)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="submissions-{campaign.slug}.xlsx"'
    )
    metrics.workbook(campaign).save(response)
    return response


def admin_urls() -> list[Any]:
    views = {
        "": (submissions, "submissions"),
        "new/<int:column_id>/": (new_submission, "new_submission"),
        "<int:pk>/": (submission, "submission"),
        "review/": (review_queue, "review_queue"),
        "review/<int:pk>/": (review, "review"),
        "review/<int:pk>/approve/": (approve, "approve"),
        "review/<int:pk>/reject/": (reject, "reject"),
        "review/<int:pk>/dismiss/": (dismiss, "dismiss"),
        "<int:pk>/file/<str:kind>/<int:file_id>/": (article_file, "article_file"),
        "figures/": (stats, "stats"),
        "figures/export.xlsx": (stats_export, "stats_export"),
        **models_admin.VIEWS,
    }
    urls = [
        path(route, _refusing(view), name=name) for route, (view, name) in views.items()
    ]
    return [path("column/", include((urls, "publicity_admin")))]
