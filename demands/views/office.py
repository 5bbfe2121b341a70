"""The demands in the back office: the office's list, a demand's page with the steps
the viewer may take, and the office's intake of demands received by phone, letter or
visit. Each step posts to its own small view, which calls the action."""

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry

from audit.readable import Wording
from campaigns.access import campaigns_for_user
from campaigns.org_access import units_for_user
from core.admin import forbidden
from core.errors import Refused
from core.keyset import format_cursor, parse_cursor
from core.private_files import serve_private
from core.steps import take_step
from demands import actions, duplicates, reply_checks, risk
from demands.access import (
    demands_for_user,
    get_demand_for_user,
    is_handler,
    is_office,
    with_contact_shown,
)
from demands.deadlines import card
from demands.metrics import RATES_BY_NAME, Period, behind
from demands.models import (
    OPEN_STATUSES,
    Category,
    Demand,
    DemandQuerySet,
    DemandStatus,
    ExtensionRequest,
    ExtensionStatus,
    Rating,
)
from demands.office_forms import (
    BY_RISK,
    NO_MAIN_TASK,
    OPEN,
    AcceptForm,
    DecideExtensionForm,
    DemandFilterForm,
    DispatchForm,
    ExtensionRequestForm,
    IntakeForm,
    MergeForm,
    ReassignForm,
    RecallForm,
    ReplyForm,
    ReturnForm,
    SplitForm,
    SuperviseForm,
)
from demands.routing.actions import suggestion_for_office
from org.actors import Viewer, person_of
from org.models import Unit
from text.personal import mask_personal_data
from text.script import to_simplified, to_traditional

PAGE_SIZE = 50
# the held demands due soonest that the list ranks by breach risk
RISK_SCAN = 1000
VIEW_PERM = "demands.view_demand"
ADD_PERM = "demands.add_demand"


class OfficeView(WagtailAdminTemplateMixin, TemplateView):
    """A back-office demands screen; a refusal answers 403 (Wagtail would redirect
    to the dashboard, which hides from an API-minded client why)."""

    permission_required = VIEW_PERM
    header_icon = "help"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.has_perm(self.permission_required):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("demands_office:index"), "label": _("Demands")},
        ]


# -- the list ------------------------------------------------------------------------


def _after(queryset: DemandQuerySet, cursor: str) -> DemandQuerySet:
    """Rows after the cursor in (submitted_at, id) descending order: a keyset, so
    the millionth row costs what the first does (no OFFSET)."""
    parsed = parse_cursor(cursor)
    if parsed is None:
        return queryset
    when, pk = parsed
    return queryset.filter(Q(submitted_at__lt=when) | Q(submitted_at=when, pk__lt=pk))


class DemandIndexView(OfficeView):
    template_name = "demands/office/index.html"
    page_title = gettext_lazy("Demands")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Demands")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = DemandFilterForm(
            self.request.GET or None,
            units=units_for_user(user).order_by("path"),
            campaigns=campaigns_for_user(user, perm=VIEW_PERM),
        )
        demands = cast(DemandQuerySet, demands_for_user(user))
        filtered = form.is_valid()
        if filtered:
            demands = self.filtered(demands, form.cleaned_data, timezone.now())
        demands = with_contact_shown(demands, user)
        demands = demands.select_related("unit", "campaign").order_by(
            "-submitted_at", "-pk"
        )
        now = timezone.now()
        query = self.request.GET.copy()
        cursor = self.request.GET.get("after", "")
        data = form.cleaned_data if filtered else {}
        if data.get("risk") or data.get("order") == BY_RISK:
            rows, risks, next_url, ranked = self.by_risk(demands, data, query, now)
        else:
            rows = list(_after(demands, cursor)[: PAGE_SIZE + 1])
            more = len(rows) > PAGE_SIZE
            rows = rows[:PAGE_SIZE]
            risks = risk.risks_for(rows, now)
            ranked = None
            query.pop("after", None)
            next_url = ""
            if more:
                query["after"] = format_cursor(rows[-1].submitted_at, rows[-1].pk)
                next_url = f"?{query.urlencode()}"
        for demand in rows:
            # the leading group reads the titles with personal data masked
            demand.shown_title = demand.shown_texts(  # type: ignore[attr-defined]
                unmasked=demand.contact_shown  # type: ignore[attr-defined]
            )["title"]
            demand.risk = risks.get(demand.pk)  # type: ignore[attr-defined]
        query.pop("after", None)
        query.pop("page", None)
        paged = cursor or self.request.GET.get("page")
        context.update(
            form=form,
            rows=[(demand, card(demand, now)) for demand in rows],
            next_url=next_url,
            first_url=f"?{query.urlencode()}" if paged else "",
            risk_levels=[risk.level_label(name) for name, *_rest in risk.LEVELS],
            may_add=user.has_perm(ADD_PERM),
            # a filtered list says how many rows match: a cockpit figure's count
            matching=(
                ranked
                if ranked is not None
                else demands.order_by().count()
                if filtered
                else None
            ),
        )
        return context

    def by_risk(
        self,
        demands: DemandQuerySet,
        data: dict[str, Any],
        query: Any,
        now: datetime.datetime,
    ) -> tuple[list[Demand], dict[int, risk.Risk], str, int]:
        """The demands units hold, highest risk first (or of one level). The risk
        is counted, not stored, so the ``RISK_SCAN`` held demands due soonest are
        ranked: those further off are not at risk yet."""
        held = demands.filter(status__in=risk.IN_HAND).order_by("reply_due", "pk")
        rows = list(held[:RISK_SCAN])
        risks = risk.risks_for(rows, now)
        if data.get("risk"):
            level = data["risk"]
            rows = [d for d in rows if d.pk in risks and risks[d.pk].level == level]
        rows.sort(key=lambda d: (-risks[d.pk].probability, d.reply_due, d.pk))
        try:
            page = max(int(self.request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        start = (page - 1) * PAGE_SIZE
        next_url = ""
        if len(rows) > start + PAGE_SIZE:
            following = query.copy()
            following["page"] = str(page + 1)
            next_url = f"?{following.urlencode()}"
        return rows[start : start + PAGE_SIZE], risks, next_url, len(rows)

    @staticmethod
    def filtered(
        demands: DemandQuerySet, data: dict[str, Any], now: datetime.datetime
    ) -> DemandQuerySet:
        if data["q"]:
            text = data["q"].strip()
            # a title written in either script is found by a word in either
            demands = demands.filter(
                Q(tracking_no=text.upper())
                | Q(title__icontains=text)
                | Q(title__icontains=to_simplified(text))
                | Q(title__icontains=to_traditional(text))
            )
        if data["campaign"]:
            demands = demands.filter(campaign=data["campaign"])
        if data["status"] == OPEN:
            demands = demands.open()
        elif data["status"]:
            demands = demands.filter(status=data["status"])
        if data["unit"]:
            demands = demands.filter(unit=data["unit"])
        if data["main_task"] == NO_MAIN_TASK:
            demands = demands.filter(main_task__isnull=True)
        elif data["main_task"]:
            demands = demands.filter(main_task_id=int(data["main_task"]))
        # the period as the figures count it (``metrics.Period``)
        start, end = Period(data["start"], data["end"]).bounds()
        if start is not None:
            demands = demands.filter(submitted_at__gte=start)
        if end is not None:
            demands = demands.filter(submitted_at__lt=end)
        if data["rate"]:
            # the figure's rows: each parent order once, as the figures count
            demands = demands.counted().filter(behind(RATES_BY_NAME[data["rate"]], now))
        if data["kind"]:
            demands = demands.filter(kind=data["kind"])
        if data["urgency"]:
            demands = demands.filter(urgency=data["urgency"])
        if data["overdue"]:
            demands = demands.overdue(now)
        if data["duplicates"]:
            demands = demands.filter(possible_duplicate_of__isnull=False)
        return demands


# -- one demand ----------------------------------------------------------------------

# the data keys a demand's story shows, in this order
_DETAIL_KEYS = (
    "merged_into",
    "merged",
    "from_unit",
    "unit",
    "reason",
    "note",
    "days",
    "level",
    "approved",
    "solved",
    "rating",
)


def _history(
    demand: Demand, *, masked: bool
) -> list[tuple[ModelLogEntry, list[tuple[Any, Any]]]]:
    """The demand's story; ``masked``: with personal data in the notes masked (for
    readers who may not see the submitter's contact)."""
    entries = list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Demand),
            object_id=str(demand.pk),
        )
        # who was shown the contact is for the audit trail, not the case's story
        .exclude(action="sanfu.demand.view_contact")
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    wording = Wording()
    wording.prefetch((Demand, entry.data or {}) for entry in entries)
    rows = []
    for entry in entries:
        entry.who = _who(entry)  # type: ignore[attr-defined]
        details = [
            (
                wording.label(Demand, key),
                _readable(wording, key, entry.data[key], masked=masked),
            )
            for key in _DETAIL_KEYS
            if entry.data and entry.data.get(key) not in (None, "")
        ]
        rows.append((entry, details))
    return rows


# The steps a submitter takes without an account; every other step nobody signed
# in took is the clock's (return visits scheduled, unrated demands closed,
# notices issued, duplicates flagged, personal data erased).
_BY_THE_SUBMITTER = frozenset(
    {
        "sanfu.demand.submit",
        "sanfu.demand.rate",
        "sanfu.demand.reopen",
        "sanfu.demand.data_request",
    }
)


def _who(entry: ModelLogEntry) -> Any:
    if entry.user is not None:
        return entry.user.full_name or entry.user.username
    if entry.action in _BY_THE_SUBMITTER:
        return _("the submitter")
    return _("the system (automatic)")


def _readable(wording: Wording, key: str, value: Any, *, masked: bool = False) -> Any:
    if masked and isinstance(value, str):
        return mask_personal_data(value)
    if key == "rating" and value in Rating.values:
        return Rating(value).label
    return wording.value(key, value)


class DemandDetailView(OfficeView):
    template_name = "demands/office/detail.html"
    page_title = gettext_lazy("Demand")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.bound_forms: dict[str, forms.Form] = {}

    @property
    def demand(self) -> Demand:
        if not hasattr(self, "_demand"):
            self._demand = get_demand_for_user(self.request.user, self.kwargs["pk"])
        return self._demand

    def get_page_subtitle(self) -> str:
        return self.demand.tracking_no or ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, demand = self.request.user, self.demand
        office, handler = is_office(user, demand), is_handler(user, demand)
        extensions = list(
            demand.extension_requests.select_related("requested_by", "decided_by")
        )
        pending = next(
            (e for e in extensions if e.status == ExtensionStatus.PENDING), None
        )
        status = demand.status
        in_hand = status in (DemandStatus.ACCEPTED, DemandStatus.REOPENED)
        offers: dict[str, Callable[[], forms.Form]] = {}
        if office and status in (DemandStatus.SUBMITTED, DemandStatus.RETURNED):
            offers["dispatch_form"] = lambda: DispatchForm(demand=demand)
        if office and pending is not None:
            offers["decide_form"] = DecideExtensionForm
        if office and status in OPEN_STATUSES:
            offers["supervise_form"] = SuperviseForm
        children = list(
            demand.merged_children.select_related("unit").order_by("submitted_at")
        )
        if office and status in OPEN_STATUSES and not children:
            offers["merge_form"] = MergeForm
        if office and status == DemandStatus.MERGED:
            offers["split_form"] = SplitForm
        if office and status in actions.RECALLABLE:
            offers["recall_form"] = RecallForm
            offers["reassign_form"] = lambda: ReassignForm(demand=demand)
        if handler and status == DemandStatus.DISPATCHED:
            offers["accept_form"] = AcceptForm
        if handler and status in (DemandStatus.DISPATCHED, DemandStatus.ACCEPTED):
            offers["return_form"] = ReturnForm
        if handler and in_hand and pending is None:
            offers["extension_form"] = ExtensionRequestForm
        if handler and in_hand:
            offers["reply_form"] = ReplyForm
        for name, make in offers.items():
            context[name] = self.bound_forms.get(name) or make()
        for name, form in self.bound_forms.items():
            if name not in offers:  # refused on a page that no longer offers it
                for error in form.non_field_errors():
                    messages.error(self.request, error)
        now = timezone.now()
        # the people who must call the submitter back see whom to call, and each
        # time they are shown it is in the demand's history
        show_contact = office or handler
        if show_contact and (demand.submitter_name or demand.submitter_phone):
            actions.record_contact_view(demand, actor=person_of(self.request))
        if "dispatch_form" in offers:
            routing = context["routing"] = _routing_choices(demand)
            form = context["dispatch_form"]
            # no category to name the unit: the first suggestion is preselected
            if routing and demand.category is None and not form.is_bound:
                form.initial["unit"] = routing["rows"][0]["unit"].pk
        if "merge_form" in offers:
            context["merge_suggestions"] = duplicates.merge_suggestions(
                demand, demands_for_user(user, write=True)
            )
        context.update(
            demand=demand,
            merged_children=children,
            merged_into=(
                demands_for_user(user).filter(pk=demand.merged_into_id).first()
                if demand.merged_into_id
                else None
            ),
            show_contact=show_contact,
            texts=demand.shown_texts(unmasked=show_contact),
            card=card(demand, now),
            breach_risk=risk.risks_for([demand], now).get(demand.pk),
            # the flags of the reply about to be sent, and of the one sent
            reply_flags=getattr(self, "reply_flags", None),
            photos_dropped=getattr(self, "photos_dropped", False),
            sent_flags=reply_checks.flags_of(demand),
            due=demand.current_due(),
            attachments=list(demand.attachments.all()),
            history=_history(demand, masked=not show_contact),
            extensions=extensions,
            pending=pending,
            duplicate_of=(
                demands_for_user(user)
                .filter(pk=demand.possible_duplicate_of_id)
                .first()
                if demand.possible_duplicate_of_id
                else None
            ),
        )
        return context


def _routing_choices(demand: Demand) -> dict[str, Any] | None:
    """The suggested units with their categories, for the office's dispatch step."""
    suggestion = suggestion_for_office(demand)
    if suggestion is None or not suggestion.choices:
        return None
    units = Unit.objects.in_bulk([choice["unit"] for choice in suggestion.choices])
    categories = Category.objects.in_bulk(
        [choice["category"] for choice in suggestion.choices if choice["category"]]
    )
    rows = [
        {
            "unit": units[choice["unit"]],
            "category": categories.get(choice["category"] or 0),
            "percent": round(choice["confidence"] * 100),
            "words": choice["words"],
        }
        for choice in suggestion.choices
        if choice["unit"] in units
    ]
    return {"suggestion": suggestion, "rows": rows}


class DemandActionView(DemandDetailView):
    """Posts one step: form → action → message → back to the demand. An invalid
    form shows the demand's page again with the errors."""

    http_method_names = ["post"]
    form_name: str
    success_message: Any
    # who may take the step: the office of the demand's campaign or its handling unit
    may: Callable[[Viewer, Demand], bool]

    def make_form(self) -> forms.Form:
        raise NotImplementedError

    def act(self, form: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # a demand out of sight is 404 (self.demand), one the person may not act on
        # 403, before the form is read: its errors are for those who may act (the
        # action checks again on the locked row)
        if not self.may(request.user, self.demand):
            raise PermissionDenied
        form = self.make_form()
        if form.is_valid():
            outcome = take_step(request, lambda: self.act(form), form=form)
            if outcome.done:  # some steps choose their message as they act
                messages.success(request, str(self.success_message))
            if outcome.done or outcome.conflict:
                return redirect(self.detail_url)
        self.bound_forms[self.form_name] = form
        return self.render_to_response(self.get_context_data())

    @property
    def detail_url(self) -> str:
        return reverse("demands_office:detail", args=[self.demand.pk])


class DispatchView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "dispatch_form"
    success_message = gettext_lazy("The demand was dispatched.")

    def make_form(self) -> forms.Form:
        return DispatchForm(self.request.POST, demand=self.demand)

    def act(self, form: Any) -> None:
        data = form.cleaned_data
        actions.dispatch_demand(
            self.demand, data["unit"], actor=person_of(self.request), note=data["note"]
        )


class SuperviseView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "supervise_form"
    success_message = gettext_lazy("The demand is under supervision.")

    def make_form(self) -> forms.Form:
        return SuperviseForm(self.request.POST)

    def act(self, form: Any) -> None:
        data = form.cleaned_data
        actions.supervise_demand(
            self.demand,
            note=data["note"],
            days=data["days"],
            level=data["level"],
            actor=person_of(self.request),
        )


class RecallView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "recall_form"
    success_message = gettext_lazy(
        "The demand was recalled and waits in the dispatch queue."
    )

    def make_form(self) -> forms.Form:
        return RecallForm(self.request.POST)

    def act(self, form: Any) -> None:
        actions.recall_demand(
            self.demand,
            reason=form.cleaned_data["reason"],
            actor=person_of(self.request),
        )


class ReassignView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "reassign_form"
    success_message = gettext_lazy("The demand was reassigned.")

    def make_form(self) -> forms.Form:
        return ReassignForm(self.request.POST, demand=self.demand)

    def act(self, form: Any) -> None:
        data = form.cleaned_data
        actions.reassign_demand(
            self.demand,
            data["unit"],
            reason=data["reason"],
            actor=person_of(self.request),
        )


class DecideExtensionView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "decide_form"

    def make_form(self) -> forms.Form:
        return DecideExtensionForm(self.request.POST)

    def act(self, form: Any) -> None:
        extension = ExtensionRequest.objects.filter(
            demand=self.demand, pk=self.kwargs["extension"]
        ).first()
        if extension is None:
            raise Http404
        actions.decide_extension(
            extension,
            approve=form.approve,
            actor=person_of(self.request),
            note=form.cleaned_data["note"],
        )
        self.success_message = (
            _("The extension was approved.")
            if form.approve
            else _("The extension was refused.")
        )


class MergeView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "merge_form"
    success_message = gettext_lazy(
        "The demand was merged: the parent order's reply will reach its requester."
    )

    def make_form(self) -> forms.Form:
        return MergeForm(self.request.POST)

    def act(self, form: Any) -> None:
        data = form.cleaned_data
        user = self.request.user
        parent = (
            demands_for_user(user, write=True)
            .filter(tracking_no=data["parent"])
            .first()
        )
        if parent is None:
            raise Refused(
                gettext_lazy("No demand you handle has this tracking number."),
                code="not_found",
                field="parent",
            )
        actions.merge_demand(
            self.demand, parent, reason=data["reason"], actor=person_of(self.request)
        )


class SplitView(DemandActionView):
    may = staticmethod(is_office)
    form_name = "split_form"
    success_message = gettext_lazy(
        "The demand was split off its parent order and is handled on its own again."
    )

    def make_form(self) -> forms.Form:
        return SplitForm(self.request.POST)

    def act(self, form: Any) -> None:
        actions.split_demand(
            self.demand,
            reason=form.cleaned_data["reason"],
            actor=person_of(self.request),
        )


class AcceptView(DemandActionView):
    may = staticmethod(is_handler)
    form_name = "accept_form"
    success_message = gettext_lazy("The demand was accepted.")

    def make_form(self) -> forms.Form:
        return AcceptForm(self.request.POST)

    def act(self, form: Any) -> None:
        actions.accept_demand(self.demand, actor=person_of(self.request))


class ReturnView(DemandActionView):
    may = staticmethod(is_handler)
    form_name = "return_form"
    success_message = gettext_lazy("The demand was returned to the office.")

    @property
    def detail_url(self) -> str:  # the unit no longer sees it: back to the list
        return reverse("demands_office:index")

    def make_form(self) -> forms.Form:
        return ReturnForm(self.request.POST)

    def act(self, form: Any) -> None:
        actions.return_demand(
            self.demand,
            reason=form.cleaned_data["reason"],
            actor=person_of(self.request),
        )


class ExtensionRequestView(DemandActionView):
    may = staticmethod(is_handler)
    form_name = "extension_form"
    success_message = gettext_lazy("The extension was requested from the office.")

    def make_form(self) -> forms.Form:
        return ExtensionRequestForm(self.request.POST)

    def act(self, form: Any) -> None:
        actions.request_extension(
            self.demand,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            actor=person_of(self.request),
        )


class ReplyView(DemandActionView):
    """The reply goes through the checks first (``demands.reply_checks``): with
    flags, the page shows them and asks again; sent again unchanged, it goes."""

    may = staticmethod(is_handler)
    form_name = "reply_form"
    success_message = gettext_lazy("The reply was saved.")

    def make_form(self) -> forms.Form:
        return ReplyForm(self.request.POST, self.request.FILES)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may(request.user, self.demand):
            raise PermissionDenied
        form = cast(ReplyForm, self.make_form())
        if form.is_valid() and not form.confirmed:
            data = form.cleaned_data
            flags = reply_checks.check_reply(
                self.demand, data["reply"], photos=len(data["photos"])
            )
            if flags:
                again = request.POST.copy()
                again["confirm"] = form.fingerprint()
                self.bound_forms[self.form_name] = ReplyForm(again)
                self.reply_flags = flags
                self.photos_dropped = bool(data["photos"])
                return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def act(self, form: Any) -> None:
        actions.reply_demand(
            self.demand,
            reply=form.cleaned_data["reply"],
            solved=form.cleaned_data["solved"],
            actor=person_of(self.request),
            photos=form.cleaned_data["photos"],
        )


# -- intake --------------------------------------------------------------------------

_SESSION_CODES = "demands_office_query_codes"


class IntakeView(OfficeView):
    """The office enters a demand received by phone, letter or visit."""

    permission_required = ADD_PERM
    template_name = "demands/office/intake.html"
    page_title = gettext_lazy("Enter a demand")
    header_icon = "plus"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", IntakeForm(user=self.request.user))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = IntakeForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = dict(form.cleaned_data)
        campaign = data.pop("campaign")
        attachments = data.pop("attachments")
        outcome = take_step(
            request,
            lambda: actions.submit_demand(
                campaign, attachments=attachments, actor=person_of(request), **data
            ),
            form=form,
        )
        if not outcome.done:
            return self.render_to_response(self.get_context_data(form=form))
        demand, code = outcome.value
        # Shown once, on the next page, to be read out to the caller; only its hash
        # is stored with the demand.
        codes = request.session.get(_SESSION_CODES, {})
        codes[str(demand.pk)] = code
        request.session[_SESSION_CODES] = codes
        return redirect("demands_office:intake_done", demand.pk)


class IntakeDoneView(OfficeView):
    permission_required = ADD_PERM
    template_name = "demands/office/intake_done.html"
    page_title = gettext_lazy("Demand entered")
    header_icon = "success"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        demand = get_demand_for_user(self.request.user, self.kwargs["pk"])
        codes = self.request.session.get(_SESSION_CODES, {})
        code = codes.pop(str(demand.pk), "")
        self.request.session[_SESSION_CODES] = codes
        context.update(demand=demand, code=code)
        return context


def download_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> Any:
    """An attachment, only to those who may see its demand (files are not public)."""
    demand = get_demand_for_user(request.user, pk)
    attachment = demand.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return serve_private(
        request,
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _urls() -> list[Any]:
    return [
        path("", DemandIndexView.as_view(), name="index"),
        path("new/", IntakeView.as_view(), name="intake"),
        path("new/<int:pk>/", IntakeDoneView.as_view(), name="intake_done"),
        path("<int:pk>/", DemandDetailView.as_view(), name="detail"),
        path("<int:pk>/dispatch/", DispatchView.as_view(), name="dispatch"),
        path("<int:pk>/supervise/", SuperviseView.as_view(), name="supervise"),
        path("<int:pk>/recall/", RecallView.as_view(), name="recall"),
        path("<int:pk>/reassign/", ReassignView.as_view(), name="reassign"),
        path("<int:pk>/merge/", MergeView.as_view(), name="merge"),
        path("<int:pk>/split/", SplitView.as_view(), name="split"),
        path("<int:pk>/accept/", AcceptView.as_view(), name="accept"),
        path("<int:pk>/return/", ReturnView.as_view(), name="return"),
        path("<int:pk>/extend/", ExtensionRequestView.as_view(), name="extend"),
        path(
            "<int:pk>/extensions/<int:extension>/decide/",
            DecideExtensionView.as_view(),
            name="decide_extension",
        ),
        path("<int:pk>/reply/", ReplyView.as_view(), name="reply"),
        path(
            "<int:pk>/attachments/<int:attachment_pk>/",
            download_attachment,
            name="attachment",
        ),
    ]


def admin_urls() -> list[Any]:
    """The screens under /admin/demands/, for the ``register_admin_urls`` hook."""
    return [path("demands/", include((_urls(), "demands_office")))]
