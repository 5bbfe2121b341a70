"""The working-day calendar's yearly notice: the office pastes the State Council's
holiday notice (or enters days one a line), checks the days read from it, and
saves them as working-day overrides (``org.actions.enter_holiday_notice``)."""

import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from core.holiday_notice import NoticeDay, NoticeError, parse_notice
from demands.views.office import OfficeView
from org.actions import enter_holiday_notice
from org.actors import person_of
from org.calendar import calendar_gaps

# The calendar is one for every campaign: whoever keeps its overrides enters the
# notice (the office director, by the role mapping).
CALENDAR_PERM = "org.change_workdayoverride"


class HolidayNoticeForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100
    )
    text = forms.CharField(
        label=gettext_lazy("The notice, or one day a line"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Paste the State Council's notice as published (一、元旦：1月1日"
            "（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。), "
            "or enter days as “2027-02-20 上班” or “2027-01-01 放假”."
        ),
    )

    days: list[NoticeDay]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, text = data.get("year"), data.get("text")
        if year is None or not text:
            return data
        try:
            self.days = parse_notice(text, year)
        except NoticeError:
            raise forms.ValidationError(
                _("No holiday or working day could be read from the text.")
            ) from None
        strays = [d.day for d in self.days if d.day.year not in (year - 1, year)]
        if strays:
            raise forms.ValidationError(
                _("These dates are not in %(year)s: %(dates)s")
                % {"year": year, "dates": ", ".join(map(str, strays))}
            )
        return data


class HolidayNoticeView(OfficeView):
    """Paste → check the days read → save. Nothing is saved before the check."""

    permission_required = CALENDAR_PERM
    template_name = "demands/calendar/notice.html"
    page_title = gettext_lazy("Enter the year's holiday notice")
    header_icon = "date"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            gaps = calendar_gaps(timezone.localdate())
            year = gaps[0] if gaps else timezone.localdate().year + 1
            context["form"] = HolidayNoticeForm(initial={"year": year})
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = HolidayNoticeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if "confirm" not in request.POST:
            rows = [(d, _weekday(d.day)) for d in form.days]
            return self.render_to_response(self.get_context_data(form=form, rows=rows))
        year = form.cleaned_data["year"]
        enter_holiday_notice(
            year, form.cleaned_data["text"], form.days, actor=person_of(request)
        )
        messages.success(
            request,
            _("The holiday notice for %(year)s was saved: %(count)d days.")
            % {"year": year, "count": len(form.days)},
        )
        return redirect("workday_override:index")


def _weekday(day: datetime.date) -> str:
    return date_format(day, "l")


def admin_urls() -> list[Any]:
    """The screen under /admin/calendar/, for the ``register_admin_urls`` hook."""
    view = HolidayNoticeView.as_view()
    return [
        path(
            "calendar/",
            include(([path("notice/", view, name="notice")], "demands_calendar")),
        )
    ]
