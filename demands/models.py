"""The voice of the grassroots and the masses (基層呼聲、群眾訴求): demands and their
dispatch catalogue, as a 12345 hotline back office keeps them."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask
from core.masking import mask_name, mask_phone
from core.private_files import private_storage, random_name
from org.models import Unit
from text.personal import mask_personal_data


class DemandKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation (咨詢)")
    HELP = "help", _("Request for help (求助)")
    COMPLAINT = "complaint", _("Complaint (投訴)")
    REPORT = "report", _("Report (舉報)")
    SUGGESTION = "suggestion", _("Suggestion (建議)")
    PRAISE = "praise", _("Praise (表揚)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal (一般)")
    URGENT = "urgent", _("Urgent (緊急)")
    CRITICAL = "critical", _("Critical (特急)")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    RESEARCH = "research", _("Research visit")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")


# channels through which staff enter a demand on someone else's behalf
STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.VISIT, Channel.RESEARCH)


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DISPATCHED = "dispatched", _("Dispatched")
    RETURNED = "returned", _("Returned for re-dispatch")
    ACCEPTED = "accepted", _("Accepted")
    REPLIED = "replied", _("Replied")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    # handled with the parent order it was merged into (``Demand.merged_into``)
    MERGED = "merged", _("Merged into another demand")


OPEN_STATUSES = (
    DemandStatus.SUBMITTED,
    DemandStatus.DISPATCHED,
    DemandStatus.RETURNED,
    DemandStatus.ACCEPTED,
    DemandStatus.REOPENED,
)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (滿意)")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied (基本滿意)")
    UNSATISFIED = "unsatisfied", _("Unsatisfied (不滿意)")
    # 不了解 is an answer, not a rating: it leaves the demand unrated.
    UNKNOWN = "unknown", _("Cannot say (不了解)")


COUNTED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED)


class Category(models.Model):
    """An entry of the dispatch catalogue: what the demand is about, which main task
    it serves and which unit handles it by default."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="demand_categories",
    )
    name = models.CharField(_("name"), max_length=100)
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("main task"),
        on_delete=models.PROTECT,
        related_name="demand_categories",
    )
    default_unit = models.ForeignKey(
        Unit,
        verbose_name=_("default handling unit"),
        on_delete=models.PROTECT,
        related_name="demand_categories",
    )
    is_active = models.BooleanField(_("open for new demands"), default=True)
    on_site = models.BooleanField(
        _("on-site work: ask for a photo"),
        default=False,
        help_text=_(
            "Demands of this category are handled on the spot (a blocked channel, "
            "a leaking dyke): a reply without a photo of the site is flagged."
        ),
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_(
            "Words that point a demand to this category, separated by spaces: what "
            "the routing suggestion knows before the first dispatch."
        ),
    )

    class Meta:
        verbose_name = _("demand category")
        verbose_name_plural = _("demand categories")
        ordering = ["campaign", "sequence", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="demand_category_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A district (區) of the campaign's territory, or a street or town (街道、鎮)
    inside one: the structured part of a demand's place, kept by the office so
    that demands can be counted and dispatched by where they are."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="demand_areas",
    )
    district = models.ForeignKey(
        "self",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="streets",
        help_text=_("Empty for a district; the district of a street or town."),
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("offered for new demands"), default=True)
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["campaign", "sequence", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                condition=Q(district__isnull=True),
                name="demand_area_unique_district",
            ),
            models.UniqueConstraint(
                fields=["district", "name"],
                condition=Q(district__isnull=False),
                name="demand_area_unique_street",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        district = self.district
        if district is None:
            return
        if district.district_id is not None:
            raise ValidationError(
                {"district": _("Choose a district, not a street, as the district.")}
            )
        if self.campaign_id and district.campaign_id != self.campaign_id:
            raise ValidationError(
                {"district": _("This district belongs to another campaign.")}
            )

    @property
    def full_name(self) -> str:
        """The district and the street, as an address is written in Chinese."""
        district = self.district
        if district is None:
            return self.name
        return f"{district.name}{self.name}"


# A demand's dates, submission to closing and the deadlines it works against: the
# latest of them is its last activity. A deadline counts (a demand whose reply is
# due next month is not idle), so an idle demand is one whose every date is past.
ACTIVITY_FIELDS = (
    "submitted_at",
    "dispatch_due",
    "dispatched_at",
    "accept_due",
    "accepted_at",
    "reply_due",
    "replied_at",
    "rated_at",
    "closed_at",
)


class DemandQuerySet(models.QuerySet["Demand"]):
    def open(self) -> "DemandQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def counted(self) -> "DemandQuerySet":
        """The demands the figures count: a demand merged into a parent order is
        counted with its parent, not on its own."""
        return self.filter(merged_into__isnull=True)

    def idle_since(self, moment: datetime.datetime) -> "DemandQuerySet":
        """Demands with no activity after ``moment``. Greatest is NULL on SQLite as
        soon as one argument is: every date falls back to the submission."""
        last = Greatest(
            *(Coalesce(F(name), F("submitted_at")) for name in ACTIVITY_FIELDS)
        )
        return self.alias(last_activity=last).filter(last_activity__lte=moment)

    def for_unit(self, unit: Unit) -> "DemandQuerySet":
        return self.filter(unit=unit)

    def overdue(self, now: datetime.datetime | None = None) -> "DemandQuerySet":
        return self.filter(overdue_q(now or timezone.now()))

    def for_supervision(self, now: datetime.datetime | None = None) -> "DemandQuerySet":
        """The office's supervision list (督辦): open demands past their deadline or
        placed under supervision."""
        supervised = Exists(
            Supervision.objects.filter(demand=OuterRef("pk"), ended_at__isnull=True)
        )
        return self.open().filter(overdue_q(now or timezone.now()) | Q(supervised))


def overdue_q(now: datetime.datetime) -> Q:
    """Demands whose present deadline passed before ``now``."""
    return (
        Q(status=DemandStatus.SUBMITTED, dispatch_due__lt=now)
        | Q(status=DemandStatus.RETURNED, dispatch_due__lt=now)
        | Q(status=DemandStatus.DISPATCHED, accept_due__lt=now)
        | Q(
            status__in=[DemandStatus.ACCEPTED, DemandStatus.REOPENED],
            reply_due__lt=now,
        )
    )


def new_query_code() -> str:
    """Eight characters a person can read out on the phone: no 0/O or 1/I/L."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def hash_query_code(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


class Demand(models.Model):
    # No index of its own for the campaign, the unit or the tracking number's
    # prefix: the composite indexes below lead with the campaign or the unit, no
    # query looks a number up by its beginning, and every index is written (and,
    # by a new database connection, loaded) at each submission.
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="demands",
        db_index=False,
    )
    # Derived from the primary key, reserved before the INSERT (demands/numbering.py).
    # NULL (not "") where a demand has none yet: NULLs do not collide under the
    # unique constraint.
    tracking_no = models.CharField(  # noqa: DJ001
        _("tracking number"), max_length=20, null=True, editable=False
    )
    query_code_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=DemandKind.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("main task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    # the district or street (Area) and the rest of the address, as typed
    area = models.ForeignKey(
        Area,
        verbose_name=_("district or street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        # no index of its own: only the rare deletion of an area looks it up
        db_index=False,
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    # a point the submitter gave (Open311's lat/long, WGS 84); both or neither
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # the submitter: anonymous demands leave name and phone empty
    submitter_name = models.CharField(_("name"), max_length=100, blank=True)
    submitter_phone = models.CharField(_("phone"), max_length=30, blank=True)
    submitter_email = models.EmailField(_("e-mail"), blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands_submitted",
    )
    # set when the retention period erased the submitter's personal data
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )
    allow_publish = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("The reply may be shown publicly, with personal data masked."),
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
    )
    # The parent order the office merged this duplicate into (合併): the parent's
    # reply reaches it, its requester rates it, the figures count the parent once.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_children",
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # the status the demand had when it was merged, restored when it is split off
    status_before_merge = models.CharField(
        max_length=12, choices=DemandStatus.choices, blank=True, editable=False
    )
    # looked for a possible duplicate yet (demands.actions.check_new_demands)
    duplicate_checked = models.BooleanField(
        _("checked for duplicates"), default=False, editable=False
    )
    # handling
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DemandStatus.choices,
        default=DemandStatus.SUBMITTED,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        db_index=False,
    )
    # The unit whose research visit raised the demand (research channel): its
    # head and liaison read it, before and after dispatch; the office dispatches.
    raised_by_unit = models.ForeignKey(
        Unit,
        verbose_name=_("raised by unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_demands",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    dispatch_due = models.DateTimeField(_("dispatch due"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accept_due = models.DateTimeField(_("acceptance due"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reply_due = models.DateTimeField(_("reply due"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    # what the checks before sending found missing in the reply (demands.
    # reply_checks), stored with it: the unit may send a flagged reply, the office
    # sees the flags at the return visit; ``reply_flagged`` is whether there are
    # any, for the figures' count
    reply_flags = models.JSONField(
        _("reply flags"), default=list, blank=True, editable=False
    )
    reply_flagged = models.BooleanField(
        _("reply flagged"), default=False, editable=False
    )
    rating = models.CharField(
        _("rating"), max_length=20, choices=Rating.choices, blank=True
    )
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=0
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # the first reply of a reopened demand, kept for the record
    first_reply = models.TextField(_("first reply"), blank=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # the sweeps' searches across campaigns
            models.Index(fields=["status"], name="demand_status"),
            models.Index(fields=["unit", "status", "-submitted_at"]),
            models.Index(fields=["campaign", "status", "-submitted_at"]),
            models.Index(fields=["campaign", "-submitted_at", "-id"]),
            models.Index(fields=["submitter_phone", "status"]),
            # the open demands only (a few percent of a year's): the supervision
            # list in its order (reply_due, id) with a LIMIT that stops early, and
            # the open and overdue counts from the index alone (index-only scans)
            models.Index(
                fields=[
                    "campaign",
                    "reply_due",
                    "id",
                    "status",
                    "dispatch_due",
                    "accept_due",
                    "unit",
                ],
                condition=Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="demand_open_by_reply_due",
            ),
            # the duplicate check's queue: the few demands filed and not checked yet
            models.Index(
                fields=["id"],
                condition=Q(duplicate_checked=False),
                name="demand_duplicate_unchecked",
            ),
            # the retention sweep: closed demands whose personal data is still held
            models.Index(
                fields=["closed_at"],
                condition=Q(status="closed", personal_data_erased_at__isnull=True),
                name="demand_personal_data_held",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_no"], name="demand_tracking_no_unique"
            ),
            # 重辦 happens once: an unsatisfied second reply closes the demand.
            models.CheckConstraint(
                condition=Q(reopen_count__lte=1), name="demand_reopened_at_most_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "returned", "merged"])
                | Q(unit__isnull=False),
                name="demand_in_hand_has_unit",
            ),
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="demand_point_whole_and_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no or '—'} {self.title}"

    @property
    def audit_label(self) -> str:
        return self.tracking_no or ""

    def check_query_code(self, code: str) -> bool:
        return hmac.compare_digest(self.query_code_hash, hash_query_code(code))

    @property
    def masked_name(self) -> str:
        return mask_name(self.submitter_name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.submitter_phone)

    def masked_text(self, text: str) -> str:
        """``text`` with the personal data in it masked, the submitter's own name
        wherever it stands included: what the public and the leading group read."""
        return mask_personal_data(text, names=[self.submitter_name])

    @property
    def masked_title(self) -> str:
        return self.masked_text(self.title)

    @property
    def masked_reply(self) -> str:
        return self.masked_text(self.reply)

    def shown_texts(self, *, unmasked: bool) -> dict[str, str]:
        """The demand's free text for one reader: as typed for those who may see
        the submitter's contact (the office and the handling unit), masked for
        everyone else."""
        texts = {
            "title": self.title,
            "content": self.content,
            "location": self.location,
            "reply": self.reply,
            "first_reply": self.first_reply,
        }
        if unmasked:
            return texts
        return {name: self.masked_text(text) for name, text in texts.items()}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_merged(self) -> bool:
        """Merged into a parent order (waiting for its reply, or answered by it)."""
        return self.merged_into_id is not None

    @property
    def last_activity_at(self) -> datetime.datetime:
        """The latest of the demand's dates (``ACTIVITY_FIELDS``)."""
        dates = (getattr(self, name) for name in ACTIVITY_FIELDS)
        return max(date for date in dates if date is not None)

    def current_due(self) -> datetime.datetime | None:
        """The deadline the demand is working against in its present state."""
        if self.status in (DemandStatus.SUBMITTED, DemandStatus.RETURNED):
            return self.dispatch_due
        if self.status == DemandStatus.DISPATCHED:
            return self.accept_due
        if self.status in (DemandStatus.ACCEPTED, DemandStatus.REOPENED):
            return self.reply_due
        return None


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """A unit's request for more time to reply (延期), decided by the office."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="extension_requests"
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["demand"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_demand",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=30), name="extension_days_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand} +{self.days}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return random_name("demands", instance.extension)


class Attachment(models.Model):
    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    extension = models.CharField(max_length=10)
    # a photo the handling unit sent with its reply, not the submitter's file
    from_reply = models.BooleanField(_("sent with the reply"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class DeadlineRule(models.Model):
    """Working days a unit has to reply, per campaign and kind (else the settings)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="demand_deadlines"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DemandKind.choices)
    reply_days = models.PositiveSmallIntegerField(_("working days to reply"))

    class Meta:
        verbose_name = _("reply deadline")
        verbose_name_plural = _("reply deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind"], name="one_deadline_rule_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reply_days}"


class SupervisionLevel(models.TextChoices):
    OFFICE = "office", _("Office supervision (辦公室督辦)")
    LEADER = "leader", _("Leader supervision (領導督辦)")


class Supervision(models.Model):
    """The office puts a demand under supervision (督辦): a note to the unit that
    the office is watching it, at the office's or a leader's level."""

    demand = models.ForeignKey(
        Demand,
        verbose_name=_("demand"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=SupervisionLevel.choices,
        default=SupervisionLevel.OFFICE,
    )
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # by when the office expects the unit to have acted (a number of working days
    # after the supervision); past it with the demand still open, the sweep
    # escalates the supervision to the unit's head and the leading group, once
    due_at = models.DateTimeField(_("supervision deadline"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # a supervision watches the unit that holds the demand: it ends when the demand
    # leaves that unit (returned, recalled or reassigned), and is never escalated
    # after; the office may supervise the next unit afresh
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.demand} · {self.get_level_display()}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder notice (催辦通知)")
    CIRCULAR = "circular", _("Circular (通報)")


def notice_path(instance: "ReminderNotice", filename: str) -> str:
    return random_name("notices", ".docx")


class ReminderNotice(models.Model):
    """A document the sweep writes once per missed deadline: the reminder (催辦) the
    working day after it, the circular (通報) naming the unit five working days
    later."""

    demand = models.ForeignKey(
        Demand,
        verbose_name=_("demand"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind.choices)
    # the deadline that was missed; a later deadline (after an extension, a late
    # acceptance or a reopening) gets notices of its own
    deadline = models.DateTimeField(_("missed deadline"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="demand_notices",
    )
    file = models.FileField(_("file"), upload_to=notice_path, storage=private_storage)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder notice")
        verbose_name_plural = _("reminder notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "kind", "deadline"], name="one_notice_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.demand}"


class ReturnVisitQuerySet(models.QuerySet["ReturnVisit"]):
    def pending(self) -> "ReturnVisitQuerySet":
        """Not done, and still about the reply the demand stands on (a visit for a
        reply the submitter already rated, or that was replaced, is moot)."""
        return self.filter(
            done_at__isnull=True,
            demand__status=DemandStatus.REPLIED,
            demand__replied_at=models.F("replied_at"),
        )


class ReturnVisit(models.Model):
    """The office's call-back (回訪) to a submitter who left a phone number, due the
    working day after the reply; the office may record the rating on their
    behalf."""

    demand = models.ForeignKey(
        Demand,
        verbose_name=_("demand"),
        on_delete=models.CASCADE,
        related_name="return_visits",
    )
    # the reply the visit follows up: a reopened demand's second reply gets its own
    replied_at = models.DateTimeField(_("replied at"))
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    rating = models.CharField(
        _("rating"), max_length=20, choices=Rating.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReturnVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "replied_at"], name="one_return_visit_per_reply"
            )
        ]
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.demand} · {self.due_on}"


def _count_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0)


class DemandCounts(models.Model):
    """The figures' counts (``demands.metrics.COUNTS``) of a group of one campaign's
    demands, per unit and main task: the columns both levels of the rollup share."""

    # indexed by the constraint and the index of each level, which lead with it
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # NULL: not dispatched yet (no unit), or no category (no main task)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    main_task = models.ForeignKey(
        MainTask, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    received = _count_field()
    dispatched = _count_field()
    accepted_in_time = _count_field()
    replied = _count_field()
    reply_timed = _count_field()
    replied_in_time = _count_field()
    solved = _count_field()
    rated = _count_field()
    satisfied = _count_field()
    reopened = _count_field()
    reply_flagged = _count_field()

    class Meta:
        abstract = True


def _one_row_per_group(period: str, name: str) -> models.UniqueConstraint:
    # NULLs never collide in a plain unique constraint; COALESCE to 0 (no primary key
    # is 0) makes the undispatched row unique too, on PostgreSQL and SQLite alike
    # (nulls_distinct is PostgreSQL-only). demands.rollup's upserts name these
    # expressions as their conflict target.
    return models.UniqueConstraint(
        F("campaign"),
        Coalesce("unit", Value(0)),
        Coalesce("main_task", Value(0)),
        F(period),
        name=name,
    )


class DemandDayStat(DemandCounts):
    """The counts of one campaign's demands submitted on one day (in
    ``settings.TIME_ZONE``), per unit and main task: the rollup the figures add up
    instead of the raw demands. ``demands.rollup`` writes it; nothing else does."""

    day = models.DateField()

    class Meta:
        verbose_name = _("demand day figures")
        verbose_name_plural = _("demand day figures")
        constraints = [_one_row_per_group("day", "one_demand_day_stat_per_group")]
        indexes = [models.Index(fields=["campaign", "day"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day} {self.unit_id} {self.main_task_id}"


class DemandMonthStat(DemandCounts):
    """The same counts per calendar month of submission (``month`` is its first
    day): the sums of the month's ``DemandDayStat`` rows, kept by ``demands.rollup``
    with them, so that a period's whole months cost one row per group instead of
    thirty (``demands.metrics.report`` adds the partial months' days)."""

    month = models.DateField()

    class Meta:
        verbose_name = _("demand month figures")
        verbose_name_plural = _("demand month figures")
        constraints = [_one_row_per_group("month", "one_demand_month_stat_per_group")]
        indexes = [models.Index(fields=["campaign", "month"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.month} {self.unit_id} {self.main_task_id}"


# the routing model's tables live beside the code that trains it
from demands.hotspots.models import Hotspot, HotspotRun  # noqa: E402
from demands.routing.models import (  # noqa: E402
    RoutingModel,
    RoutingSource,
    RoutingSuggestion,
)

__all__ = [
    "Hotspot",
    "HotspotRun",
    "RoutingModel",
    "RoutingSource",
    "RoutingSuggestion",
]
