"""Forms of the work plan, unit plan and action item steps: they validate and
normalise; the actions in ``plans.actions`` decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask
from files.evidence import CheckedUpload, check_upload
from text.forms import DOCUMENT_MAX, TextField


class DateInput(forms.DateInput):
    input_type = "date"


class WorkPlanForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    body = TextField(
        label=_("Text"),
        max_length=DOCUMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paragraphs, lists, headings and tables are kept; nothing else."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A PDF or an image of the signed document."),
    )

    def clean_attachment(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("attachment")
        return check_upload(upload) if upload else None


class CommentForm(forms.Form):
    # Left optional here so that the action's own refusal names the field.
    comment = TextField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UnitPlanForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    summary = TextField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MeasureForm(forms.Form):
    main_task = forms.ModelChoiceField(
        label=_("Main task"), queryset=MainTask.objects.none()
    )
    content = TextField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = TextField(label=_("Owner"), max_length=100)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["main_task"]
        field.queryset = campaign.main_tasks.all()


class DoneForm(forms.Form):
    note = TextField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
