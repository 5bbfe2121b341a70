"""The hotspots on the cockpit, a hotspot's page with its demands, and the office's
one step that makes a hotspot a practical deed or a problem (/admin/cockpit/
hotspots/…). The leading group and the office read them; the office alone acts,
and reads the demands' submitters as typed (the leading group reads them masked)."""

import datetime
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from campaigns.models import Campaign
from core.admin import TitledBreadcrumbsMixin, forbidden
from core.steps import take_step
from demands.access import get_hotspot_for_user, with_contact_shown
from demands.models import Demand, Hotspot, HotspotRun
from ledgers import access as ledger_access
from ledgers.actions.hotspots import deed_from_hotspot, problem_from_hotspot
from ledgers.forms import HotspotDeedForm, HotspotProblemForm
from ledgers.models import DeedClass, Severity, hotspot_outcome
from org.actors import person_of

SHOWN = 8
PAGE = 200
SPARK_WIDTH, SPARK_HEIGHT = 80, 20


def sparkline(counts: list[int]) -> str:
    """The points of an SVG polyline drawing the counts in a small box."""
    top = max(max(counts, default=0), 1)
    step = SPARK_WIDTH / max(len(counts) - 1, 1)
    return " ".join(
        f"{index * step:.1f},{SPARK_HEIGHT - 2 - count / top * (SPARK_HEIGHT - 4):.1f}"
        for index, count in enumerate(counts)
    )


def latest_run(campaign: Campaign, end: datetime.date) -> HotspotRun | None:
    """The newest run of the campaign whose week began by ``end``."""
    return (
        HotspotRun.objects.filter(campaign=campaign, week__lte=end)
        .order_by("-week")
        .first()
    )


def rising_hotspots(campaign: Campaign, end: datetime.date) -> dict[str, Any]:
    """What the cockpit shows: the newest run's rising hotspots, fastest first."""
    run = latest_run(campaign, end)
    if run is None:
        return {"run": None, "rows": []}
    hotspots = list(
        run.hotspots.filter(rising=True)
        .select_related("area")
        .order_by("-growth", "-size", "pk")[:SHOWN]
    )
    return {
        "run": run,
        "rows": [
            {"hotspot": hotspot, "points": sparkline(hotspot.counts)}
            for hotspot in hotspots
        ],
    }


def _suggested_unit(demands: list[Demand]) -> int | None:
    """The unit most of the demands went to (or whose category it is)."""
    units = Counter(
        demand.unit_id
        or (demand.category.default_unit_id if demand.category is not None else None)
        for demand in demands
    )
    units.pop(None, None)
    return units.most_common(1)[0][0] if units else None


def _place(hotspot: Hotspot) -> str:
    return hotspot.area.name if hotspot.area is not None else ""


class HotspotView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/hotspot.html"
    page_title = gettext_lazy("Hotspot")
    header_icon = "view"
    hotspot: Hotspot

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            self.hotspot = get_hotspot_for_user(request.user, kwargs["pk"])
        except Exception:  # Http404: answered as a refusal, like the cockpit
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    @property
    def campaign(self) -> Campaign:
        return self.hotspot.run.campaign

    def demands(self) -> list[Demand]:
        rows = with_contact_shown(
            self.hotspot.demands.select_related("unit", "category", "area"),
            self.request.user,
        )
        return list(rows.order_by("submitted_at", "pk")[:PAGE])

    def initial(self, demands: list[Demand]) -> dict[str, Any]:
        place, label = _place(self.hotspot), self.hotspot.label
        campaign = self.campaign
        deadline = min(
            campaign.ends_on, timezone.localdate() + datetime.timedelta(days=30)
        )
        return {
            "unit": _suggested_unit(demands),
            "title": _("Resolve “%(words)s” %(place)s")
            % {"words": label, "place": place},
            "deed_class": DeedClass.TIME_LIMITED,
            "beneficiaries": _("The %(count)d requesters and their neighbours")
            % {"count": self.hotspot.size},
            "target": _("Answer and resolve the %(count)d demands of this hotspot.")
            % {"count": self.hotspot.size},
            "deadline": max(deadline, campaign.starts_on),
            "severity": Severity.GENERAL,
            "description": _("Repeated demands about “%(words)s” %(place)s")
            % {"words": label, "place": place},
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        hotspot, user = self.hotspot, self.request.user
        demands = self.demands()
        office = ledger_access.is_office(user, self.campaign.pk)
        outcome = hotspot_outcome(hotspot)
        may_act = office and outcome is None
        initial = self.initial(demands) if may_act else {}
        context.update(
            hotspot=hotspot,
            run=hotspot.run,
            weeks=list(zip(hotspot.run.weeks, hotspot.counts, strict=False)),
            points=sparkline(hotspot.counts),
            demands=demands,
            more=hotspot.size - len(demands),
            outcome=outcome,
            outcome_url=_outcome_url(outcome),
            deed_form=kwargs.get("deed_form")
            or HotspotDeedForm(initial=initial, campaign=self.campaign)
            if may_act
            else None,
            problem_form=kwargs.get("problem_form")
            or HotspotProblemForm(initial=initial, campaign=self.campaign)
            if may_act
            else None,
            cockpit_url=reverse("dashboard:cockpit") + f"?campaign={self.campaign.pk}",
        )
        return context


def _outcome_url(outcome: Any) -> str:
    if outcome is None:
        return ""
    name = "deed" if outcome.__class__.__name__ == "PracticalDeed" else "problem"
    return reverse(f"ledgers_admin:{name}", args=[outcome.pk])


class HotspotStepView(HotspotView):
    """Posts the office's one step; refused input shows the page again with the
    form's errors."""

    http_method_names = ["post"]
    form_class: type[HotspotDeedForm] | type[HotspotProblemForm]
    form_name: str

    def act(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ledger_access.is_office(request.user, self.campaign.pk):
            return forbidden(request)
        form = self.form_class(request.POST, campaign=self.campaign)
        if form.is_valid():
            outcome = take_step(
                request,
                lambda: self.act(form.cleaned_data),
                form=form,
                success=_("Made of the hotspot, linked to its %(count)d demands.")
                % {"count": self.hotspot.size},
            )
            if outcome.done:
                return redirect(_outcome_url(outcome.value))
            if outcome.conflict:
                return redirect("dashboard:hotspot", self.hotspot.pk)
        context = self.get_context_data(**{self.form_name: form})
        return self.render_to_response(context, status=400)


class HotspotDeedView(HotspotStepView):
    form_class = HotspotDeedForm
    form_name = "deed_form"

    def act(self, data: dict[str, Any]) -> Any:
        return deed_from_hotspot(
            self.hotspot,
            data["unit"],
            title=data["title"],
            deed_class=data["deed_class"],
            beneficiaries=data["beneficiaries"],
            target=data["target"],
            deadline=data["deadline"],
            actor=person_of(self.request),
        )


class HotspotProblemView(HotspotStepView):
    form_class = HotspotProblemForm
    form_name = "problem_form"

    def act(self, data: dict[str, Any]) -> Any:
        return problem_from_hotspot(
            self.hotspot,
            data["unit"],
            description=data["description"],
            severity=data["severity"],
            actor=person_of(self.request),
        )
