"""The look-back (回頭看) screens: the office draws or picks closed problems for a
re-check, the unit answers, the office passes or fails each."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from campaigns.models import Campaign
from core.errors import Conflict
from ledgers import access, lookback
from ledgers.models import LookBack, LookBackItem, ProblemStatus, RecheckOutcome
from ledgers.views.admin import LedgerView, StepView, _error_text
from org.actors import Viewer, person_of


class StartForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.none()
    )
    size = forms.IntegerField(
        label=gettext_lazy("Sample size"), required=False, min_value=1
    )
    percent = forms.IntegerField(
        label=gettext_lazy("or percentage"), required=False, min_value=1, max_value=100
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Seed (blank: a new one, recorded)"),
        required=False,
        min_value=0,
    )
    chosen = forms.CharField(
        label=gettext_lazy("or problem numbers chosen by hand (comma-separated)"),
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = access.office_campaigns(user)

    def clean_chosen(self) -> list[int]:
        text = self.cleaned_data["chosen"].replace("，", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise ValidationError(
                _("Give problem numbers separated by commas.")
            ) from error


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("Answer"), widget=forms.Textarea)


class DecideForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=gettext_lazy("Re-check"),
        choices=[("1", gettext_lazy("Passed")), ("0", gettext_lazy("Failed"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (if failed)"), required=False, widget=forms.Textarea
    )


class LookBackListView(LedgerView):
    template_name = "ledgers/admin/look_backs.html"
    page_title = gettext_lazy("Look-back (回頭看)")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = kwargs.get("form") or StartForm(user=user)
        context.update(
            look_backs=access.look_backs_for_user(user).select_related("campaign"),
            form=form if access.office_campaigns(user).exists() else None,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = StartForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                look_back = lookback.start_look_back(
                    data["campaign"],
                    size=data["size"],
                    percent=data["percent"],
                    seed=data["seed"],
                    chosen=data["chosen"],
                    note=data["note"],
                    actor=person_of(request),
                )
            except (Conflict, ValidationError) as error:
                messages.error(request, _error_text(error) or str(error))
            else:
                messages.success(
                    request, _("The problems were reopened for a re-check.")
                )
                return redirect("ledgers_admin:look_back", look_back.pk)
        return self.render_to_response(self.get_context_data(form=form))


class LookBackDetailView(LedgerView):
    template_name = "ledgers/admin/look_back.html"
    page_title = gettext_lazy("Look-back (回頭看)")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        look_back = access.get_look_back_for_user(user, self.kwargs["pk"])
        office = access.is_office(user, look_back.campaign_id)
        visible = set(
            access.problems_for_user(user)
            .filter(rechecks__look_back=look_back)
            .values_list("pk", flat=True)
        )
        items = []
        for item in look_back.items.select_related("problem", "problem__unit"):
            pending = (
                item.outcome == RecheckOutcome.PENDING
                and item.problem.status == ProblemStatus.RECHECK
            )
            items.append(
                {
                    "item": item,
                    "visible": item.problem_id in visible,
                    "may_answer": pending
                    and access.is_unit_writer(user, item.problem.unit_id),
                    "may_decide": pending and office and item.answered_at is not None,
                }
            )
        context.update(
            look_back=look_back,
            items=[i for i in items if office or i["visible"]],
            answer_form=AnswerForm(),
            decide_form=DecideForm(),
        )
        return context


def _item(look_back: LookBack, pk: int) -> LookBackItem:
    item = look_back.items.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


class RecheckAnswerView(StepView):
    form_class = AnswerForm
    getter = staticmethod(access.get_look_back_for_user)
    detail = "look_back"
    success_message = gettext_lazy("Your answer was sent to the office.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        item = _item(row, self.kwargs["item"])
        return lookback.answer_recheck(item, actor=person_of(self.request), **data)


class RecheckDecideView(StepView):
    form_class = DecideForm
    getter = staticmethod(access.get_look_back_for_user)
    detail = "look_back"
    success_message = gettext_lazy("The re-check was decided.")

    def act(self, row: Any, data: dict[str, Any]) -> Any:
        item = _item(row, self.kwargs["item"])
        return lookback.decide_recheck(item, actor=person_of(self.request), **data)
