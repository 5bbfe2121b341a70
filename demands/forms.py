"""Forms of the public side: filing a demand, looking one up, rating the reply.

Forms validate and normalise (the text cleaner, phone numbers, attachment checks);
the actions decide.
"""

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from demands.models import Category, DemandKind, Rating, Urgency
from demands.places import PlaceFormMixin
from files.fields import AttachmentsField
from text.cleaning import clean_text
from text.forms import TextField

TITLE_MAX = 100
CONTENT_MAX = 3000
LOCATION_MAX = 200
NAME_MAX = 50

_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# area code (010, 020–029 or a four-digit one) and a seven- or eight-digit number
_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")


def normalise_phone(value: str) -> str:
    """A mainland mobile or landline number as digits only, or ValidationError.

    Spaces, dashes and brackets are dropped, and so is a +86 / 0086 country code,
    so that one number is stored one way (the duplicate check compares them)."""
    digits = _PHONE_SEPARATORS.sub("", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if _MOBILE.fullmatch(digits) or (
        _LANDLINE.fullmatch(digits) and 10 <= len(digits) <= 12
    ):
        return digits
    raise ValidationError(
        _(
            "Enter a mainland mobile number (11 digits) or a landline number "
            "with its area code."
        ),
        code="phone",
    )


class CleanTextField(TextField):
    """A text field normalised, then run through the Chinese text cleaner before
    its checks, so that a value of only spaces or pinyin annotations counts as
    empty."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return clean_text(text) if text else text


class PublicForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DemandSubmitForm(PlaceFormMixin, PublicForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DemandKind.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Not sure / other"),
    )
    title = CleanTextField(label=_("Title"), max_length=TITLE_MAX)
    content = CleanTextField(
        label=_("What happened, and what you ask for"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    location = CleanTextField(
        label=_("Address or place"),
        max_length=LOCATION_MAX,
        required=False,
        help_text=_("Road and number, village or landmark."),
    )
    submitter_name = CleanTextField(
        label=_("Your name"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Optional. Leave name and phone empty to remain anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    submitter_phone = CleanTextField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_(
            "Optional. Only the unit handling your demand sees it, to call you back."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    allow_publish = forms.BooleanField(
        label=_("The demand and its reply may be published, with my name masked"),
        required=False,
    )
    attachments = AttachmentsField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["attachments"].help_text = _(
            "Up to %(count)d images (JPEG, PNG, GIF, WebP) or PDF files, "
            "%(size)d MB each."
        ) % {
            "count": settings.SANFU_DEMANDS["ATTACHMENT_MAX_COUNT"],
            "size": settings.SANFU_DEMANDS["ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
        }
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(
            campaign=campaign, is_active=True
        ).order_by("sequence", "name")
        self.offer_areas(Campaign.objects.filter(pk=campaign.pk))

    def clean(self) -> dict[str, Any]:
        return self.clean_place(super().clean() or {})

    def clean_submitter_phone(self) -> str:
        phone: str = self.cleaned_data["submitter_phone"]
        return normalise_phone(phone) if phone else ""


class SecretInput(forms.TextInput):
    """A text box that never echoes its value back into the page (as a password
    box does), yet shows what is typed: query codes are read off a slip."""

    def format_value(self, value: Any) -> str | None:
        return None


class TrackForm(PublicForm):
    tracking_no = TextField(
        label=_("Tracking number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    query_code = TextField(
        label=_("Query code"),
        max_length=20,
        widget=SecretInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )

    def clean_tracking_no(self) -> str:
        return re.sub(r"\s+", "", self.cleaned_data["tracking_no"]).upper()

    def clean_query_code(self) -> str:
        return re.sub(r"\s+", "", self.cleaned_data["query_code"]).upper()


class RatingForm(PublicForm):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
