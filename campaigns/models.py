import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.roles import CampaignRole
from org.models import Organisation


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Under way")
    CLOSED = "closed", _("Ended")


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def live(self) -> "CampaignQuerySet":
        """Published: under way or ended (their records stay public)."""
        return self.exclude(status=CampaignStatus.DRAFT)

    def accepting(self) -> "CampaignQuerySet":
        """Under way: the only campaigns that take new demands."""
        return self.filter(status=CampaignStatus.ACTIVE)


class Campaign(models.Model):
    """A theme practice activity (主題實踐活動), e.g. 「三服務一促進」."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    theme = models.CharField(_("theme"), max_length=300)
    slogan = models.CharField(_("slogan"), max_length=300, blank=True)
    ordered_by = models.CharField(
        _("ordered by"),
        max_length=200,
        blank=True,
        help_text=_("The body that decided on the campaign."),
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    yellow_card_percent = models.PositiveSmallIntegerField(
        _("yellow card at (percent of a time limit used)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_(
            "A deadline shows a yellow card once this share of its time limit has "
            "passed, and a red card once the limit is over."
        ),
    )

    auto_dispatch_percent = models.PositiveSmallIntegerField(
        _("dispatch automatically at (percent confidence)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_(
            "Empty: the office dispatches every demand itself (the default). Set, "
            "a new demand whose suggested unit has at least this confidence is "
            "dispatched to it at once, and marked as dispatched automatically."
        ),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(yellow_card_percent__gte=1, yellow_card_percent__lte=99),
                name="campaign_yellow_card_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def issuing_office(self) -> str:
        """The office that issues the campaign's documents (编印单位, 发文机关)."""
        return str(
            _("%(organisation)s campaign office")
            % {"organisation": self.organisation.name}
        )


class Phase(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sequence"], name="phase_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MainTask(models.Model):
    """One of the campaign's main tasks (主要任務).

    Measures, deeds, problems and indicators each tie to one.
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="main_tasks",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("main task")
        verbose_name_plural = _("main tasks")
        ordering = ["campaign", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sequence"], name="main_task_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "name"], name="main_task_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """A requirement the campaign sets for every unit (e.g. 加強領導，明確責任)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    text = models.CharField(_("text"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["campaign", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sequence"], name="requirement_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text


class BodyKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("Leading group")
    OFFICE = "office", _("Office")
    OFFICE_GROUP = "office_group", _("Office group")


class Body(models.Model):
    """A campaign body: the leading group, its office, the office's groups (a tree)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="bodies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["campaign", "sequence", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="body_name_unique_in_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A person's seat in a body; its role grants permissions in the campaign."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="positions"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(
        _("title in the body"), max_length=100, help_text=_("e.g. 組長, 副組長, 成員")
    )
    post = models.CharField(
        _("post held"),
        max_length=200,
        blank=True,
        help_text=_("The person's own post, e.g. 黨組書記、主任."),
    )
    role = models.CharField(_("role"), max_length=30, choices=CampaignRole.choices)
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["body", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person", "role"], name="position_once_per_body_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.title} · {self.person}"


class Meeting(models.Model):
    """A campaign meeting: who hosted, who attended, what was said."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendees"),
        blank=True,
        related_name="attended_meetings",
    )
    attendance_note = models.TextField(
        _("attendance"),
        blank=True,
        help_text=_("Who took part, as the record states it."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


def check_within(
    errors: dict[str, Any], field: str, day: Any, start: Any, end: Any, label: Any
) -> None:
    """Name ``field`` in ``errors`` if ``day`` lies outside ``start``–``end`` (the
    period of ``label``)."""
    if day is not None and not start <= day <= end:
        errors[field] = format_lazy(
            _("The date must lie within the {what} ({start} – {end})."),
            what=label,
            start=start,
            end=end,
        )


# -- meetings' decisions → action items -----------------------------------------------


class ActionStatus(models.TextChoices):
    # "Open" alone is translated as the verb (打开)
    OPEN = "open", pgettext_lazy("action item status", "Open")
    DONE = "done", _("Done")


class DecisionQuerySet(models.QuerySet["Decision"]):
    def overdue(self, today: datetime.date) -> "DecisionQuerySet":
        return self.filter(status=ActionStatus.OPEN, deadline__lt=today)


class Decision(models.Model):
    """A decision of a meeting, tracked as an action item until it is done."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    text = models.TextField(_("decision"))
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("owner (unit)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    done_note = models.TextField(_("note on completion"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "sequence", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False) | Q(owner_unit__isnull=False),
                name="decision_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ActionStatus.OPEN and self.deadline < today

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.owner_person_id is None and self.owner_unit_id is None:
            errors["owner_unit"] = _("Name a person or a unit as the owner.")
        if self.meeting_id is not None and self.deadline is not None:
            campaign = self.meeting.campaign
            check_within(
                errors,
                "deadline",
                self.deadline,
                campaign.starts_on,
                campaign.ends_on,
                _("campaign's period"),
            )
        if errors:
            raise ValidationError(errors)
