"""Forms of the column: a submitter's article, the review steps, the public's
filters, search and objections. Forms validate and normalise; actions decide."""

import datetime
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.rich_text import DraftailRichTextArea

import files.fields
from campaigns.models import Campaign, MainTask
from org.models import Unit
from publicity.models import (
    TITLE_MAX_LENGTH,
    ArticleCategory,
    BallotChoice,
    FindingKind,
    ModelKind,
    ModelStage,
)
from publicity.uploads import MAX_FILES, CheckedUpload, check_file
from text.cleaning import clean_text
from text.forms import DOCUMENT_MAX, TextField
from text.search import sources


class FilesField(files.fields.FilesField):
    """A submitter's images, or images and documents (``publicity.uploads``)."""

    def __init__(self, *args: Any, images_only: bool, **kwargs: Any) -> None:
        self.accept = "image/*" if images_only else "image/*,.pdf,.docx,.xlsx"
        kwargs.setdefault("required", False)
        self.images_only = images_only
        super().__init__(*args, **kwargs)

    def max_files(self) -> int:
        return MAX_FILES

    def check(self, upload: UploadedFile) -> CheckedUpload:
        return check_file(upload, images_only=self.images_only)


# what a unit may use in an article: what publicity.sanitise keeps
ARTICLE_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul"]


class ArticleEditor(DraftailRichTextArea):
    """Wagtail's own rich-text editor (Draftail), as on the office's pages. It
    posts the editor's JSON; a browser without scripts, or a client, posts text
    or HTML, which the form turns into paragraphs or sanitises."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(features=ARTICLE_FEATURES, **kwargs)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        # the editable box is named by the field's label, which the form's
        # template gives the id "<field id>-label" (WCAG 4.1.2)
        context: dict[str, Any] = super().get_context(name, value, attrs)
        options = {**self.options, "ariaLabelledBy": f"{attrs['id']}-label"}
        context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
            options, cls=DjangoJSONEncoder
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = data.get(name)
        if raw is None:
            return None
        try:
            posted = json.loads(raw)
        except ValueError:
            return raw
        if not isinstance(posted, dict):
            return raw  # "0", "[1]", "null": JSON, but text, not the editor's
        try:
            return super().value_from_datadict(data, files, name)
        except (AttributeError, KeyError, TypeError, ValueError):
            return raw  # an object, but not the editor's: text as well


CAPTION_MAX = 200


class ArticleForm(forms.Form):
    title = TextField(label=gettext_lazy("Title"), max_length=TITLE_MAX_LENGTH)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=ArticleCategory.choices
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Source unit"), queryset=Unit.objects.none()
    )
    author = TextField(label=gettext_lazy("Author"), max_length=100, required=False)
    source = TextField(
        label=gettext_lazy("Original source"), max_length=200, required=False
    )
    published_on = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        # a date input takes ISO dates only: the locale's 2007/06/12 shows empty
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    main_task = forms.ModelChoiceField(
        label=gettext_lazy("Related main task"),
        queryset=MainTask.objects.none(),
        required=False,
    )
    summary = TextField(
        label=gettext_lazy("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = TextField(
        label=gettext_lazy("Article text"),
        max_length=DOCUMENT_MAX,
        widget=ArticleEditor,
    )
    go_live_at = forms.DateTimeField(
        label=gettext_lazy("Publish at (optional)"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    images = FilesField(label=gettext_lazy("Images"), images_only=True)
    captions = TextField(
        label=gettext_lazy("Captions of the new images"),
        max_length=CAPTION_MAX * MAX_FILES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One line for each image chosen above, in the same order."
        ),
    )
    attachments = FilesField(label=gettext_lazy("Attachments"), images_only=False)

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        units: Any,
        images: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["unit"]
        unit.queryset = units
        if units.count() == 1:
            # the one unit the person writes for is chosen already: a choice
            # left blank returned the form, and a browser keeps no picked file
            unit.empty_label = None
        task: Any = self.fields["main_task"]
        task.queryset = campaign.main_tasks.all()
        # the images already attached: each caption editable, each removable
        self.existing_images = list(images)
        for item in self.existing_images:
            self.fields[f"caption_{item.image_id}"] = TextField(
                label=gettext_lazy("Caption"),
                max_length=CAPTION_MAX,
                required=False,
                initial=item.caption,
            )
            self.fields[f"remove_{item.image_id}"] = forms.BooleanField(
                label=gettext_lazy("Remove this image"), required=False
            )

    def existing_image_fields(self) -> list[tuple[Any, Any, Any]]:
        """(image row, caption field, remove field) for the template."""
        return [
            (item, self[f"caption_{item.image_id}"], self[f"remove_{item.image_id}"])
            for item in self.existing_images
        ]

    def main_fields(self) -> list[Any]:
        return [
            field
            for field in self
            if not field.name.startswith(("caption_", "remove_"))
        ]

    def image_changes(self) -> dict[int, str | None]:
        """Each existing image's new caption, or None to remove it."""
        return {
            item.image_id: (
                None
                if self.cleaned_data.get(f"remove_{item.image_id}")
                else clean_text(
                    self.cleaned_data.get(f"caption_{item.image_id}", "")
                ).strip()
            )
            for item in self.existing_images
        }

    def clean_captions(self) -> list[str]:
        lines = [
            clean_text(line).strip()
            for line in self.cleaned_data.get("captions", "").splitlines()
        ]
        while lines and not lines[-1]:
            lines.pop()
        if any(len(line) > CAPTION_MAX for line in lines):
            raise ValidationError(
                _("A caption is at most %(count)d characters.")
                % {"count": CAPTION_MAX},
                code="caption_too_long",
            )
        return lines

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        images, captions = data.get("images") or [], data.get("captions") or []
        if len(captions) > len(images):
            self.add_error(
                "captions",
                _("There are more captions than new images (%(count)d).")
                % {"count": len(images)},
            )
        return data

    def clean_title(self) -> str:
        title = clean_text(self.cleaned_data["title"]).strip()
        if not title:
            raise ValidationError(_("Give the article a title."), code="required")
        return title

    def clean_body(self) -> str:
        from publicity.actions import paragraphs_to_html
        from publicity.sanitise import clean_stored_html, plain_text

        body: str = self.cleaned_data["body"]
        html = body if "<" in body else paragraphs_to_html(clean_text(body))
        html = clean_stored_html(html)
        if not plain_text(html):
            raise ValidationError(_("Write the article's text."), code="required")
        return html

    def clean_go_live_at(self) -> datetime.datetime | None:
        moment: datetime.datetime | None = self.cleaned_data["go_live_at"]
        return moment


class CommentForm(forms.Form):
    comment = TextField(
        label=gettext_lazy("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DismissFindingForm(forms.Form):
    kind = forms.ChoiceField(choices=FindingKind.choices, widget=forms.HiddenInput)
    text = TextField(max_length=100, widget=forms.HiddenInput)
    reason = TextField(
        label=gettext_lazy("Why this is not confidential"), max_length=500
    )


class ColumnFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("All categories")), *ArticleCategory.choices],
        required=False,
    )
    unit = forms.IntegerField(required=False, min_value=1)
    month = forms.RegexField(
        label=gettext_lazy("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False
    )
    after = forms.RegexField(regex=r"^\d{4}-\d{2}-\d{2}_\d{1,18}$", required=False)

    def month_range(self) -> tuple[datetime.date, datetime.date] | None:
        month = self.cleaned_data.get("month")
        if not month:
            return None
        year, number = (int(part) for part in month.split("-"))
        first = datetime.date(year, number, 1)
        last = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, last - datetime.timedelta(days=1)

    def cursor(self) -> tuple[datetime.date, int] | None:
        after = self.cleaned_data.get("after")
        if not after:
            return None
        day, pk = after.split("_")
        try:
            return datetime.date.fromisoformat(day), int(pk)
        except ValueError:
            return None


class SearchForm(forms.Form):
    q = TextField(label=gettext_lazy("Search"), max_length=100, required=False)
    kind = forms.CharField(required=False, max_length=20)
    page = forms.IntegerField(required=False, min_value=1)

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        return kind if kind in {source.kind for source in sources()} else ""


class ObjectionForm(forms.Form):
    text = TextField(
        label=gettext_lazy("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    name = TextField(
        label=gettext_lazy("Name (optional)"), max_length=50, required=False
    )
    phone = TextField(
        label=gettext_lazy("Phone (optional)"), max_length=30, required=False
    )


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ModelKind.choices)
    nominee = TextField(label=gettext_lazy("Nominee"), max_length=100)
    deeds = TextField(label=gettext_lazy("Deeds"), widget=forms.Textarea)
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=gettext_lazy("A JPEG, PNG or GIF image of at most 5 MB."),
    )

    def clean_photo(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return check_file(upload, images_only=True)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Your ballot"),
        choices=BallotChoice.choices,
        widget=forms.RadioSelect,
    )


class AnswerForm(forms.Form):
    answer = TextField(
        label=gettext_lazy("Answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What was checked, what was found and how the objector was told."
        ),
    )


class ModelFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        choices=[("", gettext_lazy("All stages")), *ModelStage.choices],
        required=False,
    )
    q = TextField(label=gettext_lazy("Nominee"), max_length=100, required=False)


class NoticeForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Days of public notice"),
        min_value=1,
        max_value=30,
        initial=7,
    )
