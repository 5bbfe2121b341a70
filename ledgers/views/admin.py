"""The ledgers in the back office (/admin/ledgers/): a list per ledger, a page per
row with the steps the viewer may take, and a form to record a new row. Each step
posts to its own small view, which calls the action and goes back to the row."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from campaigns.org_access import units_for_user
from core.admin import TitledBreadcrumbsMixin, forbidden
from core.digits import parse_key
from core.private_files import serve_private
from core.steps import take_step
from demands.access import demands_for_user, with_contact_shown
from ledgers import access
from ledgers.actions.deeds import (
    create_deed,
    publish_deed,
    report_deed_progress,
    return_deed,
    verify_deed,
)
from ledgers.actions.problems import (
    add_measure,
    apply_for_closure,
    confirm_measure,
    create_problem,
    publish_problem,
    report_progress,
    return_problem,
    verify_problem,
)
from ledgers.actions.research import (
    raise_demand_from_finding,
    raise_problem_from_finding,
    record_visit,
)
from ledgers.forms import (
    ConfirmForm,
    DeedForm,
    DeedProgressForm,
    FindingToDemandForm,
    FindingToProblemForm,
    LedgerFilterForm,
    LedgerForm,
    MeasureForm,
    ProblemForm,
    ProgressForm,
    PublishForm,
    ReasonForm,
    VisitForm,
)
from ledgers.models import (
    DeedPhoto,
    DeedStatus,
    Evidence,
    Finding,
    Problem,
    ProblemStatus,
    RectificationMeasure,
    ResearchVisit,
)
from ledgers.sweeps import deadline_card
from org.actors import Viewer, person_of
from org.models import Membership, Person

PAGE_SIZE = 50
HOTSPOT_DEMANDS_SHOWN = 500
VIEW_PERM = "ledgers.view_problem"


class Guarded(View):
    """A refusal answers 403 (Wagtail would redirect silently)."""

    permission_required = VIEW_PERM

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.has_perm(self.permission_required):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)


class LedgerView(
    Guarded, TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView
):
    """A ledger screen in the admin."""

    header_icon = "list-ul"


# -- lists ---------------------------------------------------------------------------


class ListView(LedgerView):
    """One ledger's rows in scope, newest first, filtered by the ledger's
    ``filters`` and paged by key (id), the filters kept from page to page."""

    template_name = "ledgers/admin/list.html"
    ledger: str
    scope: Callable[..., QuerySet[Any]]
    related: tuple[str, ...] = ("unit", "campaign")
    filters: tuple[str, ...] = ("campaign", "unit")
    statuses: list[tuple[str, Any]] = []

    def filter_form(self) -> LedgerFilterForm:
        user = self.request.user
        campaigns = access.ledger_campaigns(user)
        return LedgerFilterForm(
            self.request.GET or None,
            fields=self.filters,
            campaigns=campaigns.order_by("-starts_on", "pk"),
            units=units_for_user(user).order_by("path"),
            statuses=self.statuses,
        )

    def filtered(self, rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        for name in ("campaign", "unit", "status", "source"):
            if data.get(name):
                rows = rows.filter(**{name: data[name]})
        if data.get("overdue"):
            rows = rows.filter(self.overdue(timezone.localdate()))
        return rows

    def overdue(self, today: Any) -> Q:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = type(self).scope(self.request.user).select_related(*self.related)
        form = self.filter_form()
        filtered = form.is_valid()
        if filtered:
            rows = self.filtered(rows, form.cleaned_data)
        after = self.request.GET.get("after", "")
        if (key := parse_key(after)) is not None:
            page_rows = rows.filter(pk__lt=key)
        else:
            page_rows = rows
        page = list(page_rows.order_by("-pk")[: PAGE_SIZE + 1])
        more = len(page) > PAGE_SIZE
        page = page[:PAGE_SIZE]
        query = self.request.GET.copy()
        query.pop("after", None)
        next_url = ""
        if more:
            query["after"] = str(page[-1].pk)
            next_url = f"?{query.urlencode()}"
            query.pop("after")
        context.update(
            ledger=self.ledger,
            rows=page,
            form=form,
            matching=rows.order_by().count() if filtered else None,
            next_url=next_url,
            first_url=f"?{query.urlencode()}" if after else "",
            may_add=self.request.user.has_perm(f"ledgers.add_{self.model_name}"),
        )
        return context

    model_name = ""


class VisitListView(ListView):
    page_title = gettext_lazy("Research visits")
    ledger = "visits"
    model_name = "researchvisit"
    scope = staticmethod(access.visits_for_user)


class ProblemListView(ListView):
    page_title = gettext_lazy("Problems and rectification")
    ledger = "problems"
    model_name = "problem"
    scope = staticmethod(access.problems_for_user)
    filters = ("campaign", "unit", "status", "source", "overdue")
    statuses = list(ProblemStatus.choices)

    def overdue(self, today: Any) -> Q:
        """Not closed, with a measure past its deadline and not completed."""
        late = RectificationMeasure.objects.filter(
            problem=OuterRef("pk"), completed_on__isnull=True, deadline__lt=today
        )
        return ~Q(status=ProblemStatus.CLOSED) & Q(Exists(late))


class DeedListView(ListView):
    page_title = gettext_lazy("Practical deeds")
    ledger = "deeds"
    model_name = "practicaldeed"
    scope = staticmethod(access.deeds_for_user)
    filters = ("campaign", "unit", "status", "overdue")
    statuses = list(DeedStatus.choices)

    def overdue(self, today: Any) -> Q:
        """Still in progress after its deadline."""
        return Q(status=DeedStatus.IN_PROGRESS, deadline__lt=today)


# -- recording a new row -------------------------------------------------------------


class AddView(LedgerView):
    """A form for a new row of the person's unit; the action checks the rest."""

    template_name = "ledgers/admin/add.html"
    form_class: type[LedgerForm]
    detail: str

    def make_form(self) -> forms.Form:
        user = self.request.user
        return self.form_class(
            self.request.POST or None,
            campaigns=access.ledger_campaigns(user),
            units=access.writable_units(user),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.make_form())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                row = self.create(data.pop("campaign"), data.pop("unit"), data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect(f"ledgers_admin:{self.detail}", row.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def create(self, campaign: Any, unit: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class VisitAddView(AddView):
    permission_required = "ledgers.add_researchvisit"
    page_title = gettext_lazy("Record a research visit")
    form_class = VisitForm
    detail = "visit"

    def create(self, campaign: Any, unit: Any, data: dict[str, Any]) -> Model:
        return record_visit(campaign, unit, actor=person_of(self.request), **data)


class ProblemAddView(AddView):
    permission_required = "ledgers.add_problem"
    page_title = gettext_lazy("Record a problem")
    form_class = ProblemForm
    detail = "problem"

    def create(self, campaign: Any, unit: Any, data: dict[str, Any]) -> Model:
        number = data.pop("demand").strip().upper()
        demand = None
        if number:
            demand = (
                demands_for_user(self.request.user).filter(tracking_no=number).first()
            )
            if demand is None:
                raise ValidationError(
                    {"demand": _("You have no demand numbered %s.") % number}
                )
        return create_problem(
            campaign, unit, demand=demand, actor=person_of(self.request), **data
        )


class DeedAddView(AddView):
    permission_required = "ledgers.add_practicaldeed"
    page_title = gettext_lazy("Record a practical deed")
    form_class = DeedForm
    detail = "deed"

    def create(self, campaign: Any, unit: Any, data: dict[str, Any]) -> Model:
        return create_deed(campaign, unit, actor=person_of(self.request), **data)


# -- one row and its steps -----------------------------------------------------------


class DetailView(LedgerView):
    getter: Callable[..., Any]

    @property
    def row(self) -> Any:
        if not hasattr(self, "_row"):
            self._row = type(self).getter(self.request.user, self.kwargs["pk"])
        return self._row


class VisitDetailView(DetailView):
    template_name = "ledgers/admin/visit.html"
    page_title = gettext_lazy("Research visit")
    getter = staticmethod(access.get_visit_for_user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visit: ResearchVisit = self.row
        writer = access.is_unit_writer(self.request.user, visit.unit_id)
        findings = list(visit.findings.select_related("problem", "demand"))
        context.update(
            visit=visit,
            findings=[(f, writer and not _taken(f)) for f in findings],
            problem_form=FindingToProblemForm(campaign=visit.campaign),
            demand_form=FindingToDemandForm(),
        )
        return context


def _taken(finding: Finding) -> bool:
    return finding.demand_id is not None or hasattr(finding, "problem")


class ProblemDetailView(DetailView):
    template_name = "ledgers/admin/problem.html"
    page_title = gettext_lazy("Problem")
    getter = staticmethod(access.get_problem_for_user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, problem = self.request.user, self.row
        writer = access.is_unit_writer(user, problem.unit_id)
        office = access.is_office(user, problem.campaign_id)
        status = problem.status
        now = timezone.now()
        measures = []
        for measure in problem.measures.select_related("owner", "reviewer"):
            updates = list(measure.updates.prefetch_related("evidence"))
            may_report = status == ProblemStatus.OPEN and (
                writer or measure.owner_id == user.pk
            )
            measures.append(
                {
                    "measure": measure,
                    "updates": updates,
                    "card": ""
                    if status == ProblemStatus.CLOSED or measure.progress == 100
                    else deadline_card(measure.deadline, now),
                    "may_report": may_report,
                    "may_confirm": status == ProblemStatus.APPLIED
                    and measure.reviewer_id == user.pk
                    and measure.confirmed_at is None,
                }
            )
        reviewer = any(m["measure"].reviewer_id == user.pk for m in measures)
        context.update(
            problem=problem,
            hotspot_demands=_hotspot_demands(problem, user),
            measures=measures,
            progress_form=ProgressForm(),
            measure_form=kwargs.get("measure_form")
            or MeasureForm(people=_people(problem))
            if writer and status == ProblemStatus.OPEN
            else None,
            may_apply=writer and status == ProblemStatus.OPEN,
            may_verify=office and status == ProblemStatus.CONFIRMED,
            may_return=(office or reviewer)
            and status in (ProblemStatus.APPLIED, ProblemStatus.CONFIRMED),
            may_publish=office,
            reason_form=ReasonForm(),
        )
        return context


def _hotspot_demands(row: Any, user: Viewer) -> list[Any]:
    """The demands of the hotspot the office made this row of, as the person may
    read them (the leading group reads the submitters masked)."""
    demands = with_contact_shown(row.demands.select_related("unit"), user)
    return list(demands.order_by("submitted_at", "pk")[:HOTSPOT_DEMANDS_SHOWN])


def _people(problem: Problem) -> QuerySet[Person]:
    """Who may own or review a measure: people of the problem's organisation."""
    members = Membership.objects.filter(
        unit__organisation_id=problem.unit.organisation_id
    ).values("person")
    return Person.objects.filter(pk__in=members, is_active=True).order_by("username")


class DeedDetailView(DetailView):
    template_name = "ledgers/admin/deed.html"
    page_title = gettext_lazy("Practical deed")
    getter = staticmethod(access.get_deed_for_user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, deed = self.request.user, self.row
        writer = access.is_unit_writer(user, deed.unit_id)
        office = access.is_office(user, deed.campaign_id)
        context.update(
            deed=deed,
            hotspot_demands=_hotspot_demands(deed, user),
            stages=list(deed.stages.all()),
            updates=list(deed.updates.prefetch_related("photos")),
            progress_form=DeedProgressForm()
            if writer and deed.status == DeedStatus.IN_PROGRESS
            else None,
            may_verify=office and deed.status == DeedStatus.DONE,
            may_publish=office,
            reason_form=ReasonForm(),
            card=""
            if deed.status != DeedStatus.IN_PROGRESS
            else deadline_card(deed.deadline, timezone.now()),
        )
        return context


class StepView(LedgerView):
    """Posts one step: form → action → message → back to the row. Refusals of the
    input come back as an error message naming what was wrong."""

    http_method_names = ["post"]
    form_class: type[forms.Form] = ConfirmForm
    getter: Callable[..., Any] = staticmethod(access.get_problem_for_user)
    detail = "problem"
    success_message: Any = gettext_lazy("Done.")

    def make_form(self, row: Any) -> forms.Form:
        return self.form_class(self.request.POST, self.request.FILES)

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        row = type(self).getter(request.user, kwargs["pk"])
        form = self.make_form(row)
        target = self.target(row)
        if not form.is_valid():
            messages.error(request, _error_text(form.errors.as_data()))
            return self.refused(row, form)
        outcome = take_step(
            request,
            lambda: self.act(row, form.cleaned_data),
            success=self.success_message,
        )
        if outcome.done:
            return redirect(self.after(row, outcome.value))
        if outcome.conflict:
            return redirect(target)
        return self.refused(row, form)

    def target(self, row: Any) -> str:
        return reverse(f"ledgers_admin:{self.detail}", args=[row.pk])

    def refused(self, row: Any, form: forms.Form) -> HttpResponse:
        """The answer to refused input: back to the row (the message says why)."""
        return redirect(self.target(row))

    def after(self, row: Any, result: Any) -> str:
        return self.target(row)


def _error_text(error: Any) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            error = error.error_dict
        else:
            return " ".join(error.messages)
    parts = []
    for errors in error.values():
        for item in errors:
            parts.extend(item.messages if isinstance(item, ValidationError) else [item])
    return " ".join(str(part) for part in parts)


def _finding(visit: ResearchVisit, pk: int) -> Finding:
    finding = visit.findings.filter(pk=pk).first()
    if finding is None:
        raise Http404
    return finding


class FindingToProblemView(StepView):
    getter = staticmethod(access.get_visit_for_user)
    detail = "visit"
    success_message = gettext_lazy("The finding was recorded as a problem.")

    def make_form(self, row: Any) -> forms.Form:
        return FindingToProblemForm(self.request.POST, campaign=row.campaign)

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        finding = _finding(row, self.kwargs["finding"])
        return raise_problem_from_finding(
            finding, actor=person_of(self.request), **data
        )

    def after(self, row: Any, result: Any) -> str:
        return reverse("ledgers_admin:problem", args=[result.pk])


class FindingToDemandView(StepView):
    form_class = FindingToDemandForm
    getter = staticmethod(access.get_visit_for_user)
    detail = "visit"
    success_message = gettext_lazy("The finding was filed as a demand for dispatch.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        finding = _finding(row, self.kwargs["finding"])
        return raise_demand_from_finding(finding, actor=person_of(self.request), **data)


def _measure(problem: Problem, pk: int) -> RectificationMeasure:
    measure = problem.measures.filter(pk=pk).first()
    if measure is None:
        raise Http404
    return measure


class AddMeasureView(StepView):
    success_message = gettext_lazy("The measure was added.")

    def make_form(self, row: Any) -> forms.Form:
        return MeasureForm(self.request.POST, people=_people(row))

    def refused(self, row: Any, form: forms.Form) -> HttpResponse:
        # the problem's page again, with what was typed kept in the form
        page = ProblemDetailView()
        page.setup(self.request, pk=row.pk)
        context = page.get_context_data(measure_form=form)
        return page.render_to_response(context, status=400)

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return add_measure(row, actor=person_of(self.request), **data)


class ProgressView(StepView):
    form_class = ProgressForm
    success_message = gettext_lazy("The progress was reported.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        form = ProgressForm()
        form.cleaned_data = data
        return report_progress(
            _measure(row, self.kwargs["measure"]),
            percent=data["percent"],
            note=data["note"],
            evidence=form.evidence(),
            actor=person_of(self.request),
        )


class ApplyView(StepView):
    success_message = gettext_lazy("Closure was applied for (申請銷號).")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return apply_for_closure(row, actor=person_of(self.request))


class ConfirmView(StepView):
    success_message = gettext_lazy("The measure was confirmed.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        measure = _measure(row, self.kwargs["measure"])
        return confirm_measure(measure, actor=person_of(self.request))


class VerifyView(StepView):
    success_message = gettext_lazy("The problem was closed (銷號).")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return verify_problem(row, actor=person_of(self.request))


class ReturnView(StepView):
    form_class = ReasonForm
    success_message = gettext_lazy("The closure was sent back.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return return_problem(row, reason=data["reason"], actor=person_of(self.request))


class PublishView(StepView):
    form_class = PublishForm
    success_message = gettext_lazy("Publication was updated.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return publish_problem(
            row, published=data["published"], actor=person_of(self.request)
        )


class EvidenceView(Guarded):
    """An evidence file, to those who may see its problem."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        problem = access.get_problem_for_user(request.user, kwargs["pk"])
        evidence = Evidence.objects.filter(
            pk=kwargs["evidence"], update__measure__problem=problem
        ).first()
        if evidence is None:
            raise Http404
        return serve_private(
            request,
            evidence.file,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )


class DeedPhotoView(Guarded):
    """A progress photo, to those who may see its deed."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        deed = access.get_deed_for_user(request.user, kwargs["pk"])
        photo = DeedPhoto.objects.filter(pk=kwargs["photo"], update__deed=deed).first()
        if photo is None:
            raise Http404
        return serve_private(
            request,
            photo.file,
            as_attachment=False,
            filename=photo.original_name,
            content_type=photo.content_type,
        )


class DeedStepView(StepView):
    getter = staticmethod(access.get_deed_for_user)
    detail = "deed"


class DeedProgressView(DeedStepView):
    form_class = DeedProgressForm
    success_message = gettext_lazy("The progress was reported.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return report_deed_progress(row, actor=person_of(self.request), **data)


class DeedVerifyView(DeedStepView):
    success_message = gettext_lazy("The deed was verified.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return verify_deed(row, actor=person_of(self.request))


class DeedReturnView(DeedStepView):
    form_class = ReasonForm
    success_message = gettext_lazy("The deed was sent back.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return return_deed(row, reason=data["reason"], actor=person_of(self.request))


class DeedPublishView(DeedStepView):
    form_class = PublishForm
    success_message = gettext_lazy("Publication was updated.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        return publish_deed(
            row, published=data["published"], actor=person_of(self.request)
        )
