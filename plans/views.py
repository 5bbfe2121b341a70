"""The work plan, the schedule, unit plans and action items in the back office
(/admin/plans/). Each screen reaches its rows through ``plans.access`` (the action
items, meetings' decisions, through ``campaigns.access``); each step posts a form to
the action that makes the change."""

import datetime
import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from campaigns.access import (
    decisions_for_user,
    get_decision_for_user,
    writable_unit_ids,
)
from campaigns.actions import complete_action_item
from campaigns.models import ActionStatus, Campaign, Decision
from campaigns.seats import (
    APPROVERS,
    OFFICE,
    OVERSIGHT,
    acts_for_unit,
    campaigns_where,
    holds,
)
from core.admin import TitledBreadcrumbsMixin, forbidden
from core.private_files import serve_private
from core.spreadsheet import XLSX
from core.steps import take_step
from org.actors import person_of
from org.models import Unit
from plans import actions
from plans.access import (
    get_office_campaign_for_user,
    get_schedule_campaign_for_user,
    get_unit_plan_for_user,
    get_work_plan_version_for_user,
    milestones_for_user,
    schedule_campaigns_for_user,
    unit_plans_for_user,
)
from plans.calendar import schedule_ics
from plans.exports import measures_workbook, schedule_workbook
from plans.forms import (
    CommentForm,
    DoneForm,
    MeasureForm,
    MilestoneDoneForm,
    UnitPlanForm,
    WorkPlanForm,
)
from plans.models import (
    Measure,
    Milestone,
    PlanStatus,
    Responsibility,
    UnitPlan,
    WorkPlanVersion,
)
from plans.progress import milestone_progress

# The action items shown at most; the office filters to the overdue ones.
PAGE_SIZE = 500


class PlanView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """A plans screen; a refusal answers 403 inside the admin."""

    header_icon = "list-ul"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)


class StepsMixin:
    """Posts one named step: form → action → message → back to the page; a refused
    step shows the page again with the errors on the form."""

    request: HttpRequest
    kwargs: dict[str, Any]
    steps: dict[str, tuple[Callable[..., forms.Form], str]] = {}

    def back_url(self) -> str:
        raise NotImplementedError

    def make_form(self, step: str, data: Any = None, files: Any = None) -> forms.Form:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # the page's own URL has no step: a POST there names nothing to do
        step = kwargs.get("step", "")
        if step not in self.steps:
            raise Http404
        form = self.make_form(step, request.POST, request.FILES)
        if form.is_valid():
            outcome = take_step(
                request, lambda: getattr(self, f"do_{step}")(form), form=form
            )
            if outcome.done:
                messages.success(request, str(outcome.value))
            if outcome.done or outcome.conflict:
                return redirect(self.back_url())
        context = self.get_context_data(**{self.steps[step][1]: form})  # type: ignore[attr-defined]
        return self.render_to_response(context, status=400)  # type: ignore[attr-defined]


# -- the index ------------------------------------------------------------------------


class IndexView(PlanView):
    template_name = "plans/index.html"
    page_title = gettext_lazy("Plans and schedule")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        office = set(campaigns_where(user, OFFICE).values_list("pk", flat=True))
        oversight = set(campaigns_where(user, OVERSIGHT).values_list("pk", flat=True))
        campaigns = list(schedule_campaigns_for_user(user).order_by("-starts_on"))
        units = Unit.objects.filter(id__in=writable_unit_ids(user)).order_by("name")
        if user.is_superuser:
            units = Unit.objects.none()
        plans_of = unit_plans_for_user(user).select_related("unit", "campaign")
        started = {(plan.campaign_id, plan.unit_id) for plan in plans_of}
        context.update(
            campaigns=[(c, c.pk in office, c.pk in oversight) for c in campaigns],
            unit_plans=list(plans_of.order_by("campaign", "unit__name")),
            to_start=[
                (campaign, unit)
                for campaign in campaigns
                for unit in units
                if unit.organisation_id == campaign.organisation_id
                and (campaign.pk, unit.pk) not in started
            ],
            start_form=UnitPlanForm(),
        )
        return context


# -- the work plan --------------------------------------------------------------------


class WorkPlanView(StepsMixin, PlanView):
    """The campaign's work plan: the current version, earlier ones, and a new
    draft (office)."""

    template_name = "plans/work_plan.html"
    page_title = gettext_lazy("Work plan")
    steps = {"draft": (WorkPlanForm, "draft_form")}

    @property
    def campaign(self) -> Campaign:
        campaign = (
            campaigns_where(self.request.user, OVERSIGHT)
            .filter(pk=self.kwargs["campaign"])
            .first()
        )
        if campaign is None:
            raise Http404
        return campaign

    def back_url(self) -> str:
        return reverse("campaign_plans:work_plan", args=[self.kwargs["campaign"]])

    def make_form(self, step: str, data: Any = None, files: Any = None) -> forms.Form:
        return WorkPlanForm(data, files)

    def do_draft(self, form: Any) -> str:
        actions.draft_work_plan(
            self.campaign, actor=person_of(self.request), **form.cleaned_data
        )
        return _("A new version of the work plan was drafted.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        versions = list(
            campaign.work_plan_versions.select_related("author", "decided_by")
        )
        context.update(
            campaign=campaign,
            versions=versions,
            current=next(
                (v for v in versions if v.status == PlanStatus.APPROVED), None
            ),
            may_draft=holds(self.request.user, campaign, OFFICE),
        )
        context.setdefault("draft_form", WorkPlanForm())
        return context


class WorkPlanVersionView(StepsMixin, PlanView):
    template_name = "plans/work_plan_version.html"
    page_title = gettext_lazy("Work plan version")
    steps = {
        "submit": (forms.Form, "submit_form"),
        "approve": (forms.Form, "approve_form"),
        "return": (CommentForm, "return_form"),
    }

    @property
    def version(self) -> WorkPlanVersion:
        if not hasattr(self, "_version"):
            self._version = get_work_plan_version_for_user(
                self.request.user, self.kwargs["pk"]
            )
        return self._version

    def back_url(self) -> str:
        return reverse("campaign_plans:work_plan_version", args=[self.version.pk])

    def make_form(self, step: str, data: Any = None, files: Any = None) -> forms.Form:
        return self.steps[step][0](data)

    def do_submit(self, form: Any) -> str:
        actions.submit_work_plan(self.version, actor=person_of(self.request))
        return _("The work plan was submitted to the leading group.")

    def do_approve(self, form: Any) -> str:
        actions.approve_work_plan(self.version, actor=person_of(self.request))
        return _("The work plan was approved.")

    def do_return(self, form: Any) -> str:
        actions.return_work_plan(
            self.version,
            comment=form.cleaned_data["comment"],
            actor=person_of(self.request),
        )
        return _("The work plan was returned.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version, user = self.version, self.request.user
        office = holds(user, version.campaign, OFFICE)
        approver = holds(user, version.campaign, APPROVERS)
        waiting = version.status == PlanStatus.SUBMITTED
        context.update(
            version=version,
            may_submit=office
            and version.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
            may_decide=approver and waiting,
        )
        context.setdefault("return_form", CommentForm())
        return context


@require_safe
def work_plan_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    version = get_work_plan_version_for_user(request.user, pk)
    if not version.attachment:
        raise Http404
    return serve_private(
        request, version.attachment, filename=version.attachment_name or "attachment"
    )


# -- the schedule ---------------------------------------------------------------------


def _percent(day: datetime.date, start: datetime.date, days: int) -> float:
    return round(100 * (day - start).days / days, 2)


class TimelineView(PlanView):
    """Phases as bars and milestones as markers on the campaign's date axis."""

    template_name = "plans/timeline.html"
    page_title = gettext_lazy("Timeline")
    header_icon = "date"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = get_schedule_campaign_for_user(user, self.kwargs["campaign"])
        start = campaign.starts_on
        days = (campaign.ends_on - start).days + 1
        today = timezone.localdate()
        milestones = Milestone.objects.filter(phase__campaign=campaign).select_related(
            "owner_unit", "owner_person"
        )
        phases = []
        for phase in campaign.phases.prefetch_related(
            Prefetch("milestones", queryset=milestones)
        ):
            phases.append(
                {
                    "phase": phase,
                    "left": _percent(phase.starts_on, start, days),
                    "width": round(
                        100 * ((phase.ends_on - phase.starts_on).days + 1) / days, 2
                    ),
                    "milestones": [
                        {
                            "milestone": milestone,
                            "left": _percent(milestone.due_on, start, days),
                            "overdue": not milestone.is_done
                            and milestone.due_on < today,
                            "may_complete": not milestone.is_done
                            and actions.may_complete_milestone(user, milestone),
                        }
                        for milestone in phase.milestones.all()
                    ],
                }
            )
        months = []
        month = start.replace(day=1)
        while month <= campaign.ends_on:
            if month >= start:
                months.append({"date": month, "left": _percent(month, start, days)})
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        context.update(
            campaign=campaign,
            phases=phases,
            months=months,
            today_left=_percent(today, start, days)
            if start <= today <= campaign.ends_on
            else None,
            progress=milestone_progress(campaign, today),
            is_office=holds(user, campaign, OFFICE),
            done_form=MilestoneDoneForm(initial={"done_on": today}),
        )
        return context


def timeline_ics(request: HttpRequest, campaign: int) -> HttpResponse:
    found = get_schedule_campaign_for_user(request.user, campaign)
    body = schedule_ics(
        found,
        list(found.phases.all()),
        list(Milestone.objects.filter(phase__campaign=found).order_by("due_on", "pk")),
        request.get_host().split(":")[0] or "sanfu",
    )
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.ics"'
    return response


class MilestoneDoneView(PlanView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        milestone = Milestone.objects.filter(
            pk=kwargs["pk"],
            phase__campaign__in=schedule_campaigns_for_user(request.user),
        ).first()
        if milestone is None:
            raise Http404
        if not actions.may_complete_milestone(request.user, milestone):
            raise PermissionDenied
        form = MilestoneDoneForm(request.POST)
        back = reverse("campaign_plans:timeline", args=[milestone.phase.campaign_id])
        if not form.is_valid():
            messages.error(request, _("Give the date it was done."))
            return redirect(back)
        take_step(
            request,
            lambda: actions.complete_milestone(
                milestone,
                done_on=form.cleaned_data["done_on"],
                actor=person_of(request),
            ),
            success=_("The milestone is done."),
        )
        return redirect(back)


def _workbook_response(workbook: Any, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def schedule_xlsx(request: HttpRequest, campaign: int) -> HttpResponse:
    found = get_office_campaign_for_user(request.user, campaign)
    responsibilities = list(
        Responsibility.objects.filter(campaign=found)
        .select_related("lead_unit", "main_task")
        .prefetch_related("cooperating_units")
    )
    milestones = list(
        milestones_for_user(request.user)
        .filter(phase__campaign=found)
        .select_related("phase", "owner_unit", "owner_person")
        .order_by("due_on", "pk")
    )
    return _workbook_response(
        schedule_workbook(responsibilities, milestones), f"{found.slug}-schedule.xlsx"
    )


def measures_xlsx(request: HttpRequest, campaign: int) -> HttpResponse:
    found = get_office_campaign_for_user(request.user, campaign)
    measures = list(
        Measure.objects.filter(plan__campaign=found)
        .select_related("plan__unit", "main_task")
        .order_by("plan__unit__name", "deadline", "pk")
    )
    return _workbook_response(
        measures_workbook(measures), f"{found.slug}-measures.xlsx"
    )


# -- unit plans -----------------------------------------------------------------------


class NotSubmittedView(PlanView):
    """The office's list of units whose plan is not in (none, draft or returned)."""

    template_name = "plans/not_submitted.html"
    page_title = gettext_lazy("Units without a submitted plan")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = get_office_campaign_for_user(
            self.request.user, self.kwargs["campaign"]
        )
        handed_in = UnitPlan.objects.filter(
            campaign=campaign, status__in=(PlanStatus.SUBMITTED, PlanStatus.APPROVED)
        ).values("unit")
        units = (
            Unit.objects.filter(organisation=campaign.organisation)
            .exclude(id__in=handed_in)
            .order_by("path")
        )
        plans_by_unit = {
            plan.unit_id: plan
            for plan in UnitPlan.objects.filter(campaign=campaign, unit__in=units)
        }
        context.update(
            campaign=campaign,
            units=[(unit, plans_by_unit.get(unit.pk)) for unit in units],
        )
        return context


class StartUnitPlanView(PlanView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        campaign = get_schedule_campaign_for_user(request.user, kwargs["campaign"])
        unit = Unit.objects.filter(
            pk=kwargs["unit"], id__in=writable_unit_ids(request.user)
        ).first()
        if unit is None:
            raise Http404
        form = UnitPlanForm(request.POST)
        if form.is_valid():
            outcome = take_step(
                request,
                lambda: actions.start_unit_plan(
                    campaign, unit, actor=person_of(request), **form.cleaned_data
                ),
            )
            if outcome.done:
                return redirect("campaign_plans:unit_plan", outcome.value.pk)
        else:
            messages.error(request, _("Give the plan a title."))
        return redirect("campaign_plans:index")


class UnitPlanView(StepsMixin, PlanView):
    template_name = "plans/unit_plan.html"
    page_title = gettext_lazy("Unit plan")
    steps = {
        "edit": (UnitPlanForm, "edit_form"),
        "measure": (MeasureForm, "measure_form"),
        "remove": (forms.Form, "remove_form"),
        "submit": (forms.Form, "submit_form"),
        "approve": (forms.Form, "approve_form"),
        "return": (CommentForm, "return_form"),
    }

    @property
    def plan(self) -> UnitPlan:
        if not hasattr(self, "_plan"):
            self._plan = get_unit_plan_for_user(self.request.user, self.kwargs["pk"])
        return self._plan

    def back_url(self) -> str:
        return reverse("campaign_plans:unit_plan", args=[self.plan.pk])

    def make_form(self, step: str, data: Any = None, files: Any = None) -> forms.Form:
        if step == "measure":
            return MeasureForm(data, campaign=self.plan.campaign)
        if step == "edit" and data is None:
            return UnitPlanForm(
                initial={"title": self.plan.title, "summary": self.plan.summary}
            )
        return self.steps[step][0](data)

    def do_edit(self, form: Any) -> str:
        actions.edit_unit_plan(
            self.plan, actor=person_of(self.request), **form.cleaned_data
        )
        return _("The plan was saved.")

    def do_measure(self, form: Any) -> str:
        actions.add_measure(
            self.plan, actor=person_of(self.request), **form.cleaned_data
        )
        return _("The measure was added.")

    def do_remove(self, form: Any) -> str:
        measure = self.plan.measures.filter(
            pk=self.request.POST.get("measure") or 0
        ).first()
        if measure is None:
            raise Http404
        actions.remove_measure(measure, actor=person_of(self.request))
        return _("The measure was removed.")

    def do_submit(self, form: Any) -> str:
        actions.submit_unit_plan(self.plan, actor=person_of(self.request))
        return _("The plan was submitted to the office.")

    def do_approve(self, form: Any) -> str:
        actions.approve_unit_plan(self.plan, actor=person_of(self.request))
        return _("The plan was approved.")

    def do_return(self, form: Any) -> str:
        actions.return_unit_plan(
            self.plan,
            comment=form.cleaned_data["comment"],
            actor=person_of(self.request),
        )
        return _("The plan was returned to the unit.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan, user = self.plan, self.request.user
        editable = plan.is_editable and acts_for_unit(user, plan.unit_id)
        reviewer = plan.status == PlanStatus.SUBMITTED and holds(
            user, plan.campaign, OFFICE
        )
        context.update(
            plan=plan,
            measures=list(plan.measures.select_related("main_task")),
            editable=editable,
            reviewer=reviewer,
            return_comments=actions.return_comments(plan),
        )
        if editable:
            context.setdefault("edit_form", self.make_form("edit"))
            context.setdefault("measure_form", MeasureForm(campaign=plan.campaign))
        if reviewer:
            context.setdefault("return_form", CommentForm())
        return context


# -- action items ---------------------------------------------------------------------


class ActionItemsView(PlanView):
    template_name = "plans/action_items.html"
    page_title = gettext_lazy("Action items")
    header_icon = "tasks"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        items = (
            decisions_for_user(user)
            .select_related("meeting", "owner_unit", "owner_person", "done_by")
            .order_by("status", "deadline", "pk")
        )
        if self.request.GET.get("overdue"):
            items = items.filter(status=ActionStatus.OPEN, deadline__lt=today)
        # Who may report each row done, read once for the whole list.
        office = set(campaigns_where(user, OFFICE).values_list("pk", flat=True))
        units = writable_unit_ids(user)

        def may_complete(item: Decision) -> bool:
            return (
                item.meeting.campaign_id in office
                or item.owner_unit_id in units
                or item.owner_person_id == user.pk
            )

        context.update(
            rows=[
                (item, item.is_overdue(today), may_complete(item))
                for item in items[:PAGE_SIZE]
            ],
            done_form=kwargs.get("done_form") or DoneForm(),
            failed=kwargs.get("failed"),
        )
        return context


class ActionItemDoneView(ActionItemsView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = get_decision_for_user(request.user, kwargs["pk"])
        form = DoneForm(request.POST)
        if form.is_valid():
            outcome = take_step(
                request,
                lambda: complete_action_item(
                    item, note=form.cleaned_data["note"], actor=person_of(request)
                ),
                form=form,
                success=_("The action item is done."),
            )
            if outcome.done or outcome.conflict:
                return redirect("campaign_plans:action_items")
        context = self.get_context_data(done_form=form, failed=item.pk)
        return self.render_to_response(context, status=400)


def _urls() -> list[URLPattern]:
    steps = "<str:step>/"
    return [
        path("", IndexView.as_view(), name="index"),
        path("<int:campaign>/work-plan/", WorkPlanView.as_view(), name="work_plan"),
        path(
            f"<int:campaign>/work-plan/{steps}",
            WorkPlanView.as_view(),
            name="work_plan_step",
        ),
        path(
            "work-plan/<int:pk>/",
            WorkPlanVersionView.as_view(),
            name="work_plan_version",
        ),
        # before the steps, whose <str:step> would take "attachment" too
        path(
            "work-plan/<int:pk>/attachment/",
            work_plan_attachment,
            name="work_plan_attachment",
        ),
        path(
            f"work-plan/<int:pk>/{steps}",
            WorkPlanVersionView.as_view(),
            name="work_plan_version_step",
        ),
        path("<int:campaign>/timeline/", TimelineView.as_view(), name="timeline"),
        path("<int:campaign>/timeline.ics", timeline_ics, name="timeline_ics"),
        path("<int:campaign>/schedule.xlsx", schedule_xlsx, name="schedule_xlsx"),
        path("<int:campaign>/measures.xlsx", measures_xlsx, name="measures_xlsx"),
        path(
            "milestones/<int:pk>/done/",
            MilestoneDoneView.as_view(),
            name="milestone_done",
        ),
        path(
            "<int:campaign>/not-submitted/",
            NotSubmittedView.as_view(),
            name="not_submitted",
        ),
        path(
            "<int:campaign>/units/<int:unit>/start/",
            StartUnitPlanView.as_view(),
            name="start_unit_plan",
        ),
        path("unit-plans/<int:pk>/", UnitPlanView.as_view(), name="unit_plan"),
        path(
            f"unit-plans/<int:pk>/{steps}",
            UnitPlanView.as_view(),
            name="unit_plan_step",
        ),
        path("action-items/", ActionItemsView.as_view(), name="action_items"),
        path(
            "action-items/<int:pk>/done/",
            ActionItemDoneView.as_view(),
            name="action_item_done",
        ),
    ]


def admin_urls() -> list[URLResolver]:
    """The screens under /admin/plans/, for the ``register_admin_urls`` hook."""
    return [path("plans/", include((_urls(), "campaign_plans")))]
