"""The campaign's ledgers (台賬) that offices would otherwise keep in Excel: research
visits (調研) and their findings, the problem list with its rectification measures
(問題清單、整改台賬), and the list of practical deeds (辦實事清單)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask
from core.private_files import private_storage, random_name
from demands.models import Demand, Hotspot
from org.models import Unit
from text.personal import mask_person_name


def _evidence_path(instance: models.Model, filename: str) -> str:
    return random_name("ledgers", getattr(instance, "extension", ""))


class CheckedFile(models.Model):
    """A stored upload that passed ``files.evidence.check_upload``."""

    file = models.FileField(
        _("file"), upload_to=_evidence_path, storage=private_storage
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    extension = models.CharField(max_length=10)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


# -- research visits -----------------------------------------------------------------


class ResearchVisit(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="research_visits",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="research_visits",
    )
    visited_on = models.DateField(_("date"))
    place = models.CharField(_("place or grassroots unit visited"), max_length=200)
    participants = models.TextField(_("participants"))
    topic = models.CharField(_("topic"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("research visit")
        verbose_name_plural = _("research visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["campaign", "unit", "-visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.topic}"


class Finding(models.Model):
    """One thing the visit found; it may become a problem or a demand, which keeps
    the link back here."""

    visit = models.ForeignKey(
        ResearchVisit,
        verbose_name=_("research visit"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    text = models.TextField(_("finding"))
    demand = models.OneToOneField(
        Demand,
        verbose_name=_("demand"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["visit", "sequence", "id"]

    def __str__(self) -> str:
        return self.text[:60]


# -- problems and rectification ------------------------------------------------------


class ProblemSource(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("Self-inspection (自查)")
    RESEARCH = "research", _("Research visit (調研)")
    DEMAND = "demand", _("Demand (群眾訴求)")
    INSPECTION = "inspection", _("Inspection (檢查)")
    PUBLIC = "public", _("Public supervision (群眾監督)")


class Severity(models.TextChoices):
    GENERAL = "general", _("General (一般)")
    SERIOUS = "serious", _("Serious (較重)")
    CRITICAL = "critical", _("Critical (嚴重)")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Being rectified (整改中)")
    APPLIED = "applied", _("Closure applied for (申請銷號)")
    CONFIRMED = "confirmed", _("Confirmed by the reviewers (審核通過)")
    CLOSED = "closed", _("Closed (已銷號)")
    RECHECK = "recheck", _("Under re-check (回頭看)")


class HotspotOutcome(models.Model):
    """What the office made of a hotspot (a deed or a problem): the hotspot, and
    every demand in it, kept when the weekly runs are cleared.

    The hotspot's side is named by each model's ``default_related_name``
    (``hotspot.deeds``, ``hotspot.problems``); a demand's is
    ``demand.hotspot_problems`` or ``demand.hotspot_practicaldeeds``, apart from
    the problem's own ``demand`` (``demand.problems``)."""

    hotspot = models.ForeignKey(
        Hotspot,
        verbose_name=_("hotspot"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    demands = models.ManyToManyField(
        Demand,
        verbose_name=_("demands of the hotspot"),
        blank=True,
        related_name="hotspot_%(class)ss",
    )

    class Meta:
        abstract = True


class ProblemQuerySet(models.QuerySet["Problem"]):
    def published(self) -> "ProblemQuerySet":
        return self.filter(is_published=True)


class Problem(HotspotOutcome):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="problems"
    )
    source = models.CharField(_("source"), max_length=20, choices=ProblemSource.choices)
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("main task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    description = models.TextField(_("description"))
    finding = models.OneToOneField(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problem",
    )
    demand = models.ForeignKey(
        Demand,
        verbose_name=_("demand"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
        db_index=True,
    )
    return_reason = models.TextField(_("reason sent back"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    applied_at = models.DateTimeField(_("closure applied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        default_related_name = "problems"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "unit", "status"]),
            models.Index(fields=["campaign", "is_published", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="closed_problem_has_closed_at",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class RectificationMeasure(models.Model):
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    description = models.TextField(_("measure"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="ledger_measures_owned",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="ledger_measures_reviewed",
    )
    deadline = models.DateField(_("deadline"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification measure")
        verbose_name_plural = _("rectification measures")
        ordering = ["problem", "id"]
        indexes = [models.Index(fields=["deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="measure_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(owner=models.F("reviewer")),
                name="measure_reviewer_is_not_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def masked_owner(self) -> str:
        return mask_person_name(self.owner.get_full_name())


class ProgressUpdate(models.Model):
    measure = models.ForeignKey(
        RectificationMeasure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["measure", "reported_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="progress_update_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.percent}%"


class EvidenceKind(models.TextChoices):
    BEFORE = "before", _("Before (整改前)")
    AFTER = "after", _("After (整改後)")


class Evidence(CheckedFile):
    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


# -- practical deeds -----------------------------------------------------------------


class DeedClass(models.TextChoices):
    IMMEDIATE = "immediate", _("Do now (立即辦)")
    TIME_LIMITED = "time_limited", _("By a deadline (限時辦)")
    STAGED = "staged", _("In stages (分步辦)")


class DeedStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress (推進中)")
    DONE = "done", _("Done, awaiting verification (待核實)")
    VERIFIED = "verified", _("Verified (已核實)")


class DeedQuerySet(models.QuerySet["PracticalDeed"]):
    def published(self) -> "DeedQuerySet":
        return self.filter(is_published=True)


class PracticalDeed(HotspotOutcome):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="deeds",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="deeds"
    )
    title = models.CharField(_("title"), max_length=200)
    deed_class = models.CharField(_("class"), max_length=15, choices=DeedClass.choices)
    beneficiaries = models.CharField(_("beneficiaries"), max_length=200)
    target = models.TextField(_("target"))
    deadline = models.DateField(_("deadline"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeedStatus.choices,
        default=DeedStatus.IN_PROGRESS,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = DeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("practical deed")
        verbose_name_plural = _("practical deeds")
        default_related_name = "deeds"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["campaign", "unit", "deadline"]),
            models.Index(fields=["campaign", "is_published", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="deed_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DeedStage(models.Model):
    deed = models.ForeignKey(
        PracticalDeed,
        verbose_name=_("practical deed"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("stage"), max_length=200)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["deed", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["deed", "sequence"], name="one_deed_stage_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeedUpdate(models.Model):
    deed = models.ForeignKey(
        PracticalDeed,
        verbose_name=_("practical deed"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deed update")
        verbose_name_plural = _("deed updates")
        ordering = ["deed", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="deed_update_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.percent}%"


class DeedPhoto(CheckedFile):
    update = models.ForeignKey(
        DeedUpdate,
        verbose_name=_("deed update"),
        on_delete=models.CASCADE,
        related_name="photos",
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class DeedScore(models.IntegerChoices):
    SATISFIED = 3, _("Satisfied (滿意)")
    BASICALLY_SATISFIED = 2, _("Basically satisfied (基本滿意)")
    UNSATISFIED = 1, _("Unsatisfied (不滿意)")


class DeedRating(models.Model):
    """A member of the public's rating of a published deed. ``rater`` is a keyed
    hash of the rater's cookie and address prefix for this deed: nothing personal is
    stored, and the constraint keeps one rating per rater and deed."""

    deed = models.ForeignKey(
        PracticalDeed, on_delete=models.CASCADE, related_name="ratings"
    )
    rater = models.CharField(max_length=64)
    score = models.PositiveSmallIntegerField(_("rating"), choices=DeedScore.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deed rating")
        verbose_name_plural = _("deed ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["deed", "rater"], name="one_rating_per_rater_and_deed"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=3), name="deed_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deed_id}: {self.score}"


# -- reminders -----------------------------------------------------------------------


class NoticeSubject(models.TextChoices):
    MEASURE = "measure", _("rectification measure")
    DEED = "deed", _("practical deed")
    DECISION = "decision", _("meeting decision")


class DeadlineNoticeKind(models.TextChoices):
    NEAR = "near", _("Deadline near")
    PASSED = "passed", _("Deadline passed")


class DeadlineNotice(models.Model):
    """That the owners of a measure, a deed or a meeting decision were told once
    that its deadline nears or has passed. A later deadline gets notices of its own;
    the constraint keeps a second sweep from telling them again."""

    subject = models.CharField(
        _("subject"), max_length=10, choices=NoticeSubject.choices
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    kind = models.CharField(_("kind"), max_length=6, choices=DeadlineNoticeKind.choices)
    deadline = models.DateField(_("deadline"))
    recipients = models.PositiveSmallIntegerField(_("people told"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_id", "kind", "deadline"],
                name="one_ledger_notice_per_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id} {self.kind} {self.deadline}"


# -- look-back (回頭看) ----------------------------------------------------------------


class LookBackMethod(models.TextChoices):
    RANDOM = "random", _("Random sample")
    CHOSEN = "chosen", _("Chosen by hand")


class LookBack(models.Model):
    """The office reopens a sample of closed problems for a re-check (回頭看).
    A random sample records its seed, so that the same draw can be repeated."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="look_backs",
    )
    method = models.CharField(_("method"), max_length=6, choices=LookBackMethod.choices)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    population = models.PositiveIntegerField(_("closed problems to draw from"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.created_at:%Y-%m-%d}"


class RecheckOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting re-check")
    PASSED = "passed", _("Re-check passed")
    FAILED = "failed", _("Re-check failed")


class LookBackItem(models.Model):
    look_back = models.ForeignKey(
        LookBack,
        verbose_name=_("look-back"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.CASCADE,
        related_name="rechecks",
    )
    answer = models.TextField(_("unit's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=8,
        choices=RecheckOutcome.choices,
        default=RecheckOutcome.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("re-checked problem")
        verbose_name_plural = _("re-checked problems")
        ordering = ["look_back", "problem_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["look_back", "problem"], name="one_recheck_per_look_back"
            )
        ]

    def __str__(self) -> str:
        return f"{self.look_back_id}: {self.problem_id}"


def hotspot_outcome(hotspot: Hotspot) -> "PracticalDeed | Problem | None":
    """The deed or problem the office made of this hotspot or of the same matter
    found in an earlier week (the same lineage)."""
    deed = PracticalDeed.objects.filter(hotspot__lineage=hotspot.lineage).first()
    if deed is not None:
        return deed
    return Problem.objects.filter(hotspot__lineage=hotspot.lineage).first()
