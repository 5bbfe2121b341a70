"""Forms of the evaluation screens: they validate and normalise; actions decide."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.actions import MAX_TOKENS, Given
from evaluation.models import Indicator, Question, QuestionKind, Rating, Survey
from files.evidence import CheckedUpload, check_upload
from org.models import Unit
from text.forms import TextField


class ScoreForm(forms.Form):
    score = forms.DecimalField(
        label=gettext_lazy("Score"), min_value=Decimal("0"), decimal_places=2
    )
    comment = TextField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"i{indicator.pk}")
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["score"].widget.attrs["max"] = str(indicator.max_score)

    def clean_score(self) -> Decimal:
        score: Decimal = self.cleaned_data["score"]
        if score > self.indicator.max_score:
            raise ValidationError(
                _("The score must be between 0 and %(max)s.")
                % {"max": self.indicator.max_score}
            )
        return score

    def clean_evidence(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("evidence")
        return check_upload(upload) if upload else None


class AnswerForm(forms.Form):
    answer = TextField(
        label=gettext_lazy("Your answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TokensForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("Number of tokens"), min_value=1, max_value=MAX_TOKENS
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data


class MonthForm(forms.Form):
    month = TextField(label=gettext_lazy("Month (YYYY-MM)"), max_length=7)

    def clean_month(self) -> datetime.date:
        try:
            return datetime.datetime.strptime(
                self.cleaned_data["month"], "%Y-%m"
            ).date()
        except ValueError:
            raise ValidationError(_("Give the month as YYYY-MM.")) from None


class BallotForm(forms.Form):
    """One field per rating question and unit, and per other question; ``given()``
    turns the cleaned data into the action's answers."""

    token = TextField(label=gettext_lazy("Token"), max_length=30, required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.all())
        self.units = list(survey.units.order_by("path"))
        self.rows: list[tuple[str, Question, Unit | None]] = []
        if survey.mode != "tokens":
            del self.fields["token"]
        else:
            self.fields["token"].required = True
        for question in self.questions:
            if question.kind == QuestionKind.RATING:
                for unit in self.units:
                    name = f"q{question.pk}_u{unit.pk}"
                    self.fields[name] = forms.ChoiceField(
                        label=f"{unit.name}",
                        choices=Rating.choices,
                        widget=forms.RadioSelect,
                        required=question.required,
                    )
                    self.rows.append((name, question, unit))
            else:
                name = f"q{question.pk}"
                if question.kind == QuestionKind.CHOICE:
                    field: forms.Field = forms.ChoiceField(
                        choices=[(choice, choice) for choice in question.choices],
                        widget=forms.RadioSelect,
                        required=question.required,
                    )
                else:
                    field = TextField(
                        max_length=2000,
                        required=question.required,
                        widget=forms.Textarea(attrs={"rows": 3}),
                    )
                field.label = question.text
                self.fields[name] = field
                self.rows.append((name, question, None))

    def grouped(self) -> list[tuple[Question, list[Any]]]:
        """The bound fields under their question, for the template."""
        return [
            (question, [self[name] for name, q, _unit in self.rows if q == question])
            for question in self.questions
        ]

    def given(self) -> list[Given]:
        answers = []
        for name, question, unit in self.rows:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if question.kind == QuestionKind.RATING:
                answers.append(Given(question, unit, rating=value))
            elif question.kind == QuestionKind.CHOICE:
                answers.append(Given(question, choice=value))
            else:
                answers.append(Given(question, text=value.strip()))
        return answers
