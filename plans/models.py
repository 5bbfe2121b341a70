"""The work plan, its division of duties and schedule, and the units' plans.

The models moved here from ``campaigns`` without touching the database: each keeps
its table (``db_table``, ``campaigns_*``) and its content type (the rows'
``app_label`` renamed by ``plans/migrations/0002``), so permissions, group grants and
the audit trail's entries still point at them.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask, Phase, check_within
from core.private_files import extension_of, private_storage, random_name


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
        db_table = "campaigns_workplanversion"
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
        db_table = "campaigns_responsibility"
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
        db_table = "campaigns_milestone"
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
            check_within(
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
        db_table = "campaigns_unitplan"
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
        db_table = "campaigns_measure"
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
