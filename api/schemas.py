"""What the API reads and writes: request bodies validate and clean, responses show
only what the reader may see."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from demands.models import DemandKind, DemandStatus, Rating, Urgency
from text.cleaning import clean_text
from text.normalise import normalise_text

# Database keys: an out-of-range integer must be a 400, not a database error.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
TRACKING_NO = r"^[0-9A-Za-z]{1,20}$"
QUERY_CODE = r"^[0-9A-Za-z]{1,32}$"
SLUG = r"^[-a-zA-Z0-9_]{1,80}$"


def clean(value: str) -> str:
    """The house text cleaning after the Unicode normaliser; ill-formed text (a lone
    surrogate, which no database stores) is refused with ``ValueError``, which the
    schemas report as a field error."""
    try:
        text = normalise_text(value)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return clean_text(text)


class FieldError(Schema):
    field: str
    location: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] | None = None


class CleanedText(Schema):
    """Text fields are cleaned before their length is checked."""

    @field_validator("*", mode="before")
    @classmethod
    def clean_strings(cls, value: Any) -> Any:
        return clean(value) if isinstance(value, str) else value


class DemandIn(CleanedText):
    campaign: str = Field(..., pattern=SLUG, description="The campaign's slug.")
    kind: DemandKind
    urgency: Urgency = Urgency.NORMAL
    category: Id | None = Field(None, description="A category of the campaign.")
    title: str = Field(..., min_length=1, max_length=200)
    content: str = Field(..., min_length=1, max_length=5000)
    location: str = Field("", max_length=200)
    name: str = Field("", max_length=100, description="Empty for anonymous.")
    phone: str = Field("", max_length=30, pattern=r"^[0-9+\-() ]*$")
    allow_publish: bool = False

    @field_validator("title", "location", "name")
    @classmethod
    def one_line(cls, value: str) -> str:
        """A title, a place and a name are one line, whatever the client sent."""
        return " ".join(line.strip() for line in value.splitlines() if line.strip())

    @field_validator("title", "content")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Required: it cannot be left blank."))
        return value


class DemandCreated(Schema):
    tracking_no: str
    query_code: str = Field(
        ..., description="Shown once: with the number, it opens the demand's status."
    )
    status: DemandStatus


class RateIn(Schema):
    code: str = Field(..., pattern=QUERY_CODE)
    rating: Rating


class PublicDemandOut(Schema):
    tracking_no: str
    status: DemandStatus
    status_label: str
    kind: DemandKind
    title: str
    unit: str | None
    submitted_at: datetime.datetime
    dispatched_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    reply: str | None
    solved: bool | None
    rating: Rating | None
    merged_into: str | None = Field(
        None,
        description="The tracking number of the parent order this demand was merged "
        "into (status merged): the parent's reply reaches it.",
    )


class StaffDemandOut(Schema):
    id: int
    tracking_no: str
    campaign: str
    kind: DemandKind
    urgency: Urgency
    channel: str
    status: DemandStatus
    category: int | None
    category_name: str | None
    unit: int | None
    unit_name: str | None
    title: str
    content: str
    location: str
    submitter_name: str
    submitter_phone: str
    allow_publish: bool
    possible_duplicate_of: int | None
    merged_into: int | None = Field(
        None, description="The id of the parent order this demand was merged into."
    )
    merged_into_tracking_no: str | None = Field(
        None, description="The tracking number of that parent order."
    )
    submitted_at: datetime.datetime
    dispatch_due: datetime.datetime
    dispatched_at: datetime.datetime | None
    accept_due: datetime.datetime | None
    accepted_at: datetime.datetime | None
    reply_due: datetime.datetime | None
    replied_at: datetime.datetime | None
    reply: str
    solved: bool | None
    rating: Rating | None
    closed_at: datetime.datetime | None
    extension_days: int
    reopen_count: int


class DemandPage(Schema):
    items: list[StaffDemandOut]
    next: str | None = Field(
        None, description="Pass as `after` for the next page; null on the last."
    )


class DispatchIn(CleanedText):
    unit: Id
    note: str = Field("", max_length=1000)


class ReplyIn(CleanedText):
    reply: str = Field(..., min_length=1, max_length=5000)
    solved: bool


class ReturnIn(CleanedText):
    reason: str = Field(..., min_length=1, max_length=1000)


class ExtendIn(CleanedText):
    days: int = Field(..., ge=1, le=30, description="Working days.")
    reason: str = Field(..., min_length=1, max_length=1000)


class ExtensionOut(Schema):
    id: int
    days: int
    reason: str
    status: str


class DecideExtensionIn(CleanedText):
    extension: Id
    approve: bool
    note: str = Field("", max_length=1000)
