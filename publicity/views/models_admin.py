"""Advanced models in the back office: the list (paged, filtered), a nomination's
page where the leading group casts its ballots seeing the deeds and the photo and
the office takes the next step, and the objections, which the office answers and
closes. Each step posts to a small view that calls its action."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from campaigns.seats import BALLOT, OBJECTION_READERS, holds
from core.steps import take_step
from org.actors import person_of
from publicity import access, actions, model_rules
from publicity.forms import (
    AnswerForm,
    BallotForm,
    ModelFilterForm,
    NominationForm,
    NoticeForm,
)
from publicity.models import AdvancedModelPage, ModelStage, Objection

PAGE_SIZE = 25


def _annotated(pages: Any) -> Any:
    return pages.select_related("nominating_unit").annotate(
        objection_count=Count("objections", distinct=True),
        open_objections=Count(
            "objections",
            filter=Q(objections__closed_at__isnull=True),
            distinct=True,
        ),
    )


def models_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.model_screen_columns(user).exists():
        raise PermissionDenied
    pages = access.nominations_for_user(user)
    form = ModelFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["stage"]:
            pages = pages.filter(stage=form.cleaned_data["stage"])
        if form.cleaned_data["q"]:
            pages = pages.filter(nominee__icontains=form.cleaned_data["q"])
    listed = Paginator(_annotated(pages).order_by("-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publicity/admin/models.html",
        {
            "listed": listed,
            "query": query.urlencode(),
            "filter_form": form,
            "running": set(
                access.nominations_for_user(user, write=True).values_list(
                    "pk", flat=True
                )
            ),
            "columns": access.columns_for_submitter(user),
            "units": access.submitter_units(user),
            "nomination_form": NominationForm(),
        },
    )


@require_POST
def nominate(request: HttpRequest, column_id: int) -> HttpResponse:
    column = access.columns_for_submitter(request.user).filter(pk=column_id).first()
    unit = (
        access.submitter_units(request.user)
        .filter(pk=request.POST.get("unit") or 0)
        .first()
    )
    form = NominationForm(request.POST, request.FILES)
    if column is None or unit is None:
        raise PermissionDenied
    if form.is_valid():
        page = actions.nominate_model(
            column, unit=unit, actor=person_of(request), **form.cleaned_data
        )
        messages.success(request, _("Nomination recorded."))
        return redirect("publicity_admin:model", page.pk)
    errors = " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, field_errors in form.errors.items()
        for error in field_errors
    )
    messages.error(
        request,
        _("The nomination was not recorded. %(errors)s") % {"errors": errors},
    )
    return redirect("publicity_admin:models")


def _readable(request: HttpRequest, pk: int) -> AdvancedModelPage:
    page = _annotated(access.nominations_for_user(request.user)).filter(pk=pk).first()
    if page is None:
        raise Http404
    return page


def _running(request: HttpRequest, pk: int) -> AdvancedModelPage:
    # a nomination out of sight is 404, one the person may not run 403, before the
    # form is read (the action checks again on the locked row)
    user = request.user
    page = access.nominations_for_user(user, write=True).filter(pk=pk).first()
    if page is None:
        if access.nominations_for_user(user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return page


@require_GET
def model(request: HttpRequest, pk: int) -> HttpResponse:
    page = _readable(request, pk)
    user = request.user
    column = access.column_of(page)
    campaign_id = column.campaign_id if column else 0
    runs = access.nominations_for_user(user, write=True).filter(pk=pk).exists()
    own_ballot = page.ballots.filter(voter=user).first()
    counted = model_rules.tally(page)
    return render(
        request,
        "publicity/admin/model.html",
        {
            "page": page,
            "runs": runs,
            "tally": counted,
            "own_ballot": own_ballot,
            "may_vote": (
                page.stage == ModelStage.NOMINATED
                and own_ballot is None
                and holds(user, campaign_id, BALLOT)
            ),
            "ballot_form": BallotForm(),
            "notice_form": NoticeForm(),
            "close_vote_refusal": model_rules.close_vote_refusal(page),
            "award_refusal": model_rules.award_refusal(page),
        },
    )


def _step(request: HttpRequest, page: AdvancedModelPage, step: str) -> str:
    if step == "vote":
        ballot = BallotForm(request.POST)
        if not ballot.is_valid():
            raise ValidationError(_("Choose for, against or abstain."))
        counted = actions.cast_ballot(
            page, actor=person_of(request), **ballot.cleaned_data
        )
        if counted.complete:
            return _("Ballot cast. Every member has voted: the vote is closed.")
        return _("Ballot cast.")
    if step == "close_vote":
        actions.close_vote(page, actor=person_of(request))
        return _("The vote is closed and tallied.")
    if step == "notice":
        notice = NoticeForm(request.POST)
        if not notice.is_valid():
            raise ValidationError(_("A public notice lasts 1 to 30 days."))
        actions.start_public_notice(
            page, actor=person_of(request), **notice.cleaned_data
        )
        return _("The public notice has started.")
    actions.award_model(page, actor=person_of(request))
    return _("Awarded and published among the column's advanced models.")


def _model_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    page = _running(request, pk)
    outcome = take_step(request, lambda: _step(request, page, step))
    if outcome.done:
        messages.success(request, outcome.value)
    return redirect("publicity_admin:model", pk)


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_step(request, pk, "vote")


@require_POST
def close_vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_step(request, pk, "close_vote")


@require_POST
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_step(request, pk, "notice")


@require_POST
def award(request: HttpRequest, pk: int) -> HttpResponse:
    return _model_step(request, pk, "award")


@require_GET
def objections(request: HttpRequest, pk: int) -> HttpResponse:
    # the voting bodies read a model's objections; the nominating unit, which sees
    # the nomination, does not (403), and nobody else learns it exists (404)
    user = request.user
    page = _running(request, pk)
    full = access.may_see_objection_contacts(user, page)
    listed = list(
        page.objections.select_related("answered_by").order_by(
            "closed_at", "-submitted_at", "-pk"
        )[:500]
    )
    if full and any(objection.name or objection.phone for objection in listed):
        actions.record_objection_contacts_view(page, actor=person_of(request))
    column = access.column_of(page)
    return render(
        request,
        "publicity/admin/objections.html",
        {
            "page": page,
            "objections": listed,
            "full": full,
            "answers": bool(
                column and holds(user, column.campaign_id, OBJECTION_READERS)
            ),
            "answer_form": AnswerForm(),
        },
    )


@require_POST
def answer_objection(request: HttpRequest, pk: int) -> HttpResponse:
    objection = Objection.objects.filter(pk=pk).select_related("page").first()
    if objection is None:
        raise Http404
    page = _running(request, objection.page_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        take_step(
            request,
            lambda: actions.answer_objection(
                objection, actor=person_of(request), answer=form.cleaned_data["answer"]
            ),
            success=_("The objection is answered and closed."),
        )
    else:
        messages.error(request, _("Write the answer to the objection."))
    return redirect("publicity_admin:objections", page.pk)


VIEWS = {
    "models/": (models_index, "models"),
    "models/nominate/<int:column_id>/": (nominate, "nominate"),
    "models/<int:pk>/": (model, "model"),
    "models/<int:pk>/vote/": (vote, "vote"),
    "models/<int:pk>/close-vote/": (close_vote, "close_vote"),
    "models/<int:pk>/notice/": (notice, "notice"),
    "models/<int:pk>/award/": (award, "award"),
    "models/<int:pk>/objections/": (objections, "objections"),
    "models/objections/<int:pk>/answer/": (answer_objection, "answer_objection"),
}
