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
from core.private_files import extension_of, private_storage, random_name
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


# -- the work plan, its responsibilities and schedule ---------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    SUPERSEDED = "superseded", _("Superseded")


def _work_plan_upload_to(instance: "WorkPlanVersion", filename: str) -> str:
    return random_name("workplans", extension_of(filename))


class WorkPlanVersion(models.Model):
    """One version of the campaign's work plan (工作方案). The leading group approves
    a submitted version; it becomes the current one and the one before it is kept,
    superseded."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="work_plan_versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Sanitised HTML."))
    attachment = models.FileField(
        _("attachment"),
        upload_to=_work_plan_upload_to,
        storage=private_storage,
        blank=True,
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("work plan version")
        verbose_name_plural = _("work plan versions")
        ordering = ["campaign", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="work_plan_version_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status="approved"),
                name="work_plan_one_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Responsibility(models.Model):
    """A row of the division of responsibilities (職責分工)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    work_item = models.CharField(_("work item"), max_length=300)
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_responsibilities",
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("cooperating units"),
        blank=True,
        related_name="cooperating_responsibilities",
    )
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("main task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibilities",
    )

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["campaign", "sequence", "id"]

    def __str__(self) -> str:
        return self.work_item

    def clean(self) -> None:
        errors = {}
        if (
            self.main_task is not None
            and self.main_task.campaign_id != self.campaign_id
        ):
            errors["main_task"] = _("The main task belongs to another campaign.")
        if (
            self.lead_unit_id
            and self.campaign_id
            and self.lead_unit.organisation_id != self.campaign.organisation_id
        ):
            errors["lead_unit"] = _("The unit belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


def _check_within(
    errors: dict[str, Any], field: str, day: Any, start: Any, end: Any, label: Any
) -> None:
    if day is not None and not start <= day <= end:
        errors[field] = format_lazy(
            _("The date must lie within the {what} ({start} – {end})."),
            what=label,
            start=start,
            end=end,
        )


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def overdue(self, today: datetime.date) -> "MilestoneQuerySet":
        return self.filter(done_on__isnull=True, due_on__lt=today)


class Milestone(models.Model):
    """A point of the schedule (工作計劃安排) in a phase, with its owner."""

    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=200)
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
        related_name="milestones",
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False) | Q(owner_unit__isnull=False),
                name="milestone_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.owner_person_id is None and self.owner_unit_id is None:
            errors["owner_unit"] = _("Name a person or a unit as the owner.")
        if self.phase_id is not None:
            phase = self.phase
            _check_within(
                errors,
                "due_on",
                self.due_on,
                phase.starts_on,
                phase.ends_on,
                _("phase"),
            )
            if (
                self.owner_unit is not None
                and self.owner_unit.organisation_id != phase.campaign.organisation_id
            ):
                errors["owner_unit"] = _("The unit belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


# -- unit plans (實施方案) -------------------------------------------------------------


class UnitPlan(models.Model):
    """A unit's implementation plan (實施方案) for a campaign."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="unit_plans",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="unit_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_comment = models.TextField(_("comments on return"), blank=True)

    class Meta:
        verbose_name = _("unit plan")
        verbose_name_plural = _("unit plans")
        ordering = ["campaign", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="unit_plan_once_per_unit"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class Measure(models.Model):
    """A measure of a unit plan, tied to a main task, with its owner and deadline."""

    plan = models.ForeignKey(
        UnitPlan,
        verbose_name=_("unit plan"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("main task"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    content = models.TextField(_("measure"))
    owner = models.CharField(
        _("owner"), max_length=100, help_text=_("The person responsible.")
    )
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "deadline", "id"]

    def __str__(self) -> str:
        return self.content[:50]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.owner.strip():
            errors["owner"] = _("Name the person responsible for the measure.")
        campaign = self.plan.campaign
        if self.main_task_id is not None and self.main_task.campaign_id != campaign.pk:
            errors["main_task"] = _("The main task belongs to another campaign.")
        _check_within(
            errors,
            "deadline",
            self.deadline,
            campaign.starts_on,
            campaign.ends_on,
            _("campaign's period"),
        )
        if errors:
            raise ValidationError(errors)


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
            _check_within(
                errors,
                "deadline",
                self.deadline,
                campaign.starts_on,
                campaign.ends_on,
                _("campaign's period"),
            )
        if errors:
            raise ValidationError(errors)
