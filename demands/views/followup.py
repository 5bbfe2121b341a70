"""What follows a demand by the clock, in the back office: the office's return
visits (回訪) to record, and the reminder notices (催辦) and circulars (通報) the
sweep wrote, for the office and the unit they name (/admin/demands/follow-up/)."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from campaigns.seats import OFFICE, seats_of
from core.errors import Conflict
from core.private_files import serve_private
from demands import actions, reply_checks
from demands.access import (
    notices_for_user,
    return_visits_for_user,
    sees_contact,
    supervisions_for_user,
)
from demands.models import OPEN_STATUSES, Rating, Supervision
from org.actors import Viewer, person_of

PAGE_SIZE = 100


def _is_office(user: Viewer) -> bool:
    """Whether the person sits in the office of some campaign."""
    return user.is_superuser or bool(seats_of(user).campaign_ids(OFFICE))


class ReturnVisitForm(forms.Form):
    rating = forms.ChoiceField(label=gettext_lazy("Rating"), choices=Rating.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class FollowUpView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "time"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("demands_office:index"), "label": _("Demands")},
            {"url": "", "label": self.get_page_title()},
        ]


class ReturnVisitListView(FollowUpView):
    """The office's pending return visits, oldest due first, with the phone number
    to call (the one place besides the demand's page that shows it) and the reply
    to ask about, PAGE_SIZE a page (``?p=``, the other parameters kept)."""

    template_name = "demands/followup/visits.html"
    page_title = gettext_lazy("Return visits")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _is_office(request.user):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visits = (
            return_visits_for_user(user)
            .pending()
            .select_related("demand", "demand__unit")
            .order_by("due_on", "pk")
        )
        paginator = WagtailPaginator(visits, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        rows = []
        for visit in page:
            # as on the demand's page: as typed for those who call back, else masked
            shown = sees_contact(user, visit.demand)
            visit.shown_contact = (  # type: ignore[attr-defined]
                f"{visit.demand.submitter_name} {visit.demand.submitter_phone}"
                if shown
                else f"{visit.demand.masked_name} {visit.demand.masked_phone}"
            ).strip()
            visit.shown_reply = visit.demand.shown_texts(  # type: ignore[attr-defined]
                unmasked=shown
            )["reply"]
            # what the reply check flagged when the unit sent it: what to ask about
            visit.reply_flags = reply_checks.flags_of(  # type: ignore[attr-defined]
                visit.demand
            )
            rows.append((visit, ReturnVisitForm()))
        context.update(
            rows=rows,
            items=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
        )
        return context


def record_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = return_visits_for_user(request.user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    if request.method != "POST":
        return redirect("demands_followup:visits")
    form = ReturnVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the rating the submitter gave."))
        return redirect("demands_followup:visits")
    try:
        actions.record_return_visit(
            visit,
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
            actor=person_of(request),
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(
            request,
            _("The return visit for demand %(number)s was recorded.")
            % {"number": visit.demand.tracking_no},
        )
    return redirect("demands_followup:visits")


class NoticeListView(FollowUpView):
    template_name = "demands/followup/notices.html"
    page_title = gettext_lazy("Reminder notices and circulars")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        notices = (
            notices_for_user(self.request.user)
            .select_related("demand", "unit")
            .order_by("-created_at", "-pk")
        )
        # paged as the return visits are (``?p=``)
        paginator = WagtailPaginator(notices, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(
            notices=list(page),
            items=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
        )
        return context


def supervision_state(supervision: Supervision, now: Any) -> tuple[str, str]:
    """Where a supervision stands: (a key for the style, its words)."""
    if supervision.ended_at is not None:
        return "ended", _("Ended: the demand left the unit")
    if supervision.demand.status not in OPEN_STATUSES:
        return "answered", _("Answered")
    if supervision.escalated_at is not None:
        return "escalated", _("Escalated to the leaders")
    if supervision.due_at is None:
        return "open", _("Running, no deadline")
    if supervision.due_at < now:
        return "overdue", _("Past its deadline")
    return "open", _("Running")


class SupervisionListView(FollowUpView):
    """The office's supervisions (督辦), newest first, each with its demand's state
    and where it stands against its deadline, PAGE_SIZE a page (``?p=``);
    ``?open=1`` only those whose demand is still open."""

    template_name = "demands/followup/supervision.html"
    page_title = gettext_lazy("Supervision")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _is_office(request.user):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        supervisions = supervisions_for_user(self.request.user).select_related(
            "demand", "demand__unit", "by"
        )
        only_open = self.request.GET.get("open") == "1"
        if only_open:
            supervisions = supervisions.filter(
                demand__status__in=OPEN_STATUSES, ended_at__isnull=True
            )
        paginator = WagtailPaginator(
            supervisions.order_by("-created_at", "-pk"), PAGE_SIZE
        )
        page = paginator.get_page(self.request.GET.get("p"))
        now = timezone.now()
        context.update(
            rows=[(s, *supervision_state(s, now)) for s in page],
            items=page,
            only_open=only_open,
            elided_page_range=paginator.get_elided_page_range(page.number),
        )
        return context


def download_notice(request: HttpRequest, pk: int) -> HttpResponseBase:
    notice = notices_for_user(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return serve_private(
        request,
        notice.file,
        filename=f"{notice.kind}-{notice.demand.tracking_no}.docx",
    )


def _urls() -> list[Any]:
    return [
        path("visits/", ReturnVisitListView.as_view(), name="visits"),
        path("visits/<int:pk>/record/", record_visit, name="record_visit"),
        path("notices/", NoticeListView.as_view(), name="notices"),
        path("supervision/", SupervisionListView.as_view(), name="supervision"),
        path("notices/<int:pk>/download/", download_notice, name="download"),
    ]


@hooks.register("register_admin_urls")
def register_followup_urls() -> list[Any]:
    return [path("demands/follow-up/", include((_urls(), "demands_followup")))]


class OfficeMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return _is_office(request.user)


class HandlerMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("demands.view_demand")


@hooks.register("register_admin_menu_item")
def register_visits_menu_item() -> MenuItem:
    return OfficeMenuItem(
        gettext_lazy("Return visits"),
        reverse_lazy("demands_followup:visits"),
        name="return-visits",
        icon_name="time",
        order=221,
    )


@hooks.register("register_admin_menu_item")
def register_notices_menu_item() -> MenuItem:
    return HandlerMenuItem(
        gettext_lazy("Reminder notices"),
        reverse_lazy("demands_followup:notices"),
        name="reminder-notices",
        icon_name="warning",
        order=222,
    )


@hooks.register("register_admin_menu_item")
def register_supervision_menu_item() -> MenuItem:
    return OfficeMenuItem(
        gettext_lazy("Supervision"),
        reverse_lazy("demands_followup:supervision"),
        name="supervision",
        icon_name="view",
        order=223,
    )
