"""Inspection and evaluation (檢查測評): the indicator tree of a campaign, inspection
rounds in which inspectors score units, democratic surveys (民主測評) and, from all
three, each unit's composite score (``evaluation.scoring``).

Survey answers are kept apart from the tokens that admitted them: an answer row has
no foreign key to a token, no timestamp and a random primary key, so nobody holding
the database can tell whose ballot it was (``SurveyToken`` keeps only a hash).
"""

import hashlib
import hmac
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask
from core.private_files import private_storage, random_name
from org.models import Unit


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")


class IndicatorSet(models.Model):
    """A campaign's tree of indicators. Edited while a draft; put in force only when
    every level's weights add up, and then no longer edited."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="indicator_sets",
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SetStatus.choices,
        default=SetStatus.DRAFT,
        editable=False,
    )
    in_force_at = models.DateTimeField(_("in force since"), null=True, editable=False)

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["campaign", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    MANUAL = "manual", _("Manual (scored by inspectors)")
    AUTOMATIC = "automatic", _("Automatic (computed from the platform's data)")
    SURVEY = "survey", _("Democratic survey")


class PointsRule(models.TextChoices):
    RATE = "rate", _("Rate × maximum score")
    INVERSE_RATE = "inverse_rate", _("(1 − rate) × maximum score")
    PER_COUNT = "per_count", _("Points per count, up to a cap")


class Indicator(models.Model):
    """One node of the tree. Only leaves are scored; a parent's weight is the sum of
    its children's, and the top level's weights add up to 100."""

    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("indicator set"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent indicator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    guidance = models.TextField(_("scoring guidance"), blank=True)
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("main task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    source_name = models.CharField(
        _("automatic source"),
        max_length=60,
        blank=True,
        help_text=_("For an automatic indicator: the figure it is computed from."),
    )
    survey = models.ForeignKey(
        "Survey",
        verbose_name=_("survey"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    points_rule = models.CharField(
        _("points rule"), max_length=15, choices=PointsRule.choices, blank=True
    )
    points_per_count = models.DecimalField(
        _("points per count"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    points_table = models.JSONField(
        _("points table"),
        default=dict,
        blank=True,
        help_text=_(
            'Points per kind of count, e.g. {"published": 1, "portal": 3}; kinds '
            "not listed earn the points per count."
        ),
    )
    cap = models.DecimalField(
        _("cap"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("At most this many points (never more than the maximum score)."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_set", "sequence", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="indicator_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="indicator_max_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A row's own consistency. A draft's weights are checked as a whole when
        the set is put in force (``evaluation.weights``); in a set in force, an edit
        that unbalances its siblings or its children is refused on the weight."""
        from evaluation import sources

        errors: dict[str, Any] = {}
        weight_error = self.in_force_weight_error()
        if weight_error:
            errors["weight"] = weight_error
        if self.parent_id is not None and (
            self.parent is None or self.parent.indicator_set_id != self.indicator_set_id
        ):
            errors["parent"] = _("The parent belongs to another indicator set.")
        if self.source == Source.AUTOMATIC:
            if self.source_name not in sources.REGISTRY:
                errors["source_name"] = _("Choose one of: %(names)s.") % {
                    "names": ", ".join(sources.REGISTRY)
                }
            if not self.points_rule:
                errors["points_rule"] = _("An automatic indicator needs a points rule.")
        if self.source == Source.SURVEY and self.survey_id is None:
            errors["survey"] = _("A survey indicator needs its survey.")
        if (
            self.survey_id is not None
            and self.indicator_set_id is not None
            and self.survey is not None
            and self.survey.campaign_id != self.indicator_set.campaign_id
        ):
            errors["survey"] = _("The survey belongs to another campaign.")
        table = self.points_table
        if not isinstance(table, dict) or not all(
            isinstance(v, int | float) and v >= 0 for v in table.values()
        ):
            errors["points_table"] = _(
                'Give the points table as kind → points, e.g. {"portal": 3}.'
            )
        if errors:
            raise ValidationError(errors)

    def in_force_weight_error(self) -> str:
        """Why this row's weight would unbalance its set in force ("" if it would
        not, or if the set is a draft)."""
        if self.indicator_set_id is None or self.weight is None:
            return ""
        # read from the database: a cached set may predate its putting in force
        in_force = IndicatorSet.objects.filter(
            pk=self.indicator_set_id, status=SetStatus.IN_FORCE
        )
        if not in_force.exists():
            return ""
        others = Indicator.objects.filter(
            indicator_set_id=self.indicator_set_id, parent_id=self.parent_id
        ).exclude(pk=self.pk)
        siblings = sum(others.values_list("weight", flat=True), Decimal("0"))
        expected = Decimal("100") if self.parent is None else self.parent.weight
        if siblings + self.weight != expected:
            return _(
                "In a set in force, this weight must keep its level's sum at "
                "%(expected)s (the others add up to %(others)s)."
            ) % {"expected": expected, "others": siblings}
        if self.pk is not None:
            children = list(
                Indicator.objects.filter(parent_id=self.pk).values_list(
                    "weight", flat=True
                )
            )
            if children and sum(children, Decimal("0")) != self.weight:
                return _(
                    "In a set in force, this weight must equal its children's sum, "
                    "%(sum)s."
                ) % {"sum": sum(children, Decimal("0"))}
        return ""


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Scoring")
    PUBLISHED = "published", _("Published")


class InspectionRound(models.Model):
    """An inspection (檢查): inspectors score the units in scope on the set's manual
    indicators; the units see their scores once the round is published."""

    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("indicator set"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspectors"),
        related_name="inspection_rounds",
    )
    units: "models.ManyToManyField[Unit, Any]" = models.ManyToManyField(
        Unit, verbose_name=_("units in scope"), related_name="inspection_rounds"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RoundStatus.choices,
        default=RoundStatus.OPEN,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, editable=False)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="round_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


def evidence_path(instance: "InspectionScore", filename: str) -> str:
    # a random name: the evidence is served only through a view that checks access
    return random_name("evaluation", instance.evidence_extension)


class InspectionScore(models.Model):
    inspection_round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("inspection round"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=evidence_path, storage=private_storage, blank=True
    )
    evidence_name = models.CharField(
        _("evidence file name"), max_length=200, blank=True
    )
    evidence_extension = models.CharField(max_length=10, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"))
    answer = models.TextField(_("the unit's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        permissions = [("answer_inspectionscore", _("Can answer inspection scores"))]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_round", "unit", "indicator"],
                name="inspection_score_unique",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="inspection_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator}: {self.score}"


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff")
    PUBLIC = "public", _("The public")


class SurveyMode(models.TextChoices):
    TOKENS = "tokens", _("One-use tokens")
    OPEN = "open", _("Open to anyone (rate-limited)")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(models.Model):
    """A democratic evaluation (民主測評) of some units by staff or the public."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    name = models.CharField(_("name"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=SurveyMode.choices, default=SurveyMode.TOKENS
    )
    units: "models.ManyToManyField[Unit, Any]" = models.ManyToManyField(
        Unit, verbose_name=_("units evaluated"), related_name="surveys"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SurveyStatus.choices,
        default=SurveyStatus.DRAFT,
        editable=False,
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["campaign", "name"]
        constraints = [
            # anyone may answer an open survey: staff surveys go by token only
            models.CheckConstraint(
                condition=~Q(audience="staff", mode="open"),
                name="survey_staff_by_token",
                violation_error_message=_(
                    "A staff survey is answered with tokens only."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating of each unit (satisfied … cannot say)")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Free text")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    # 不了解: the respondent cannot judge; not a vote
    UNKNOWN = "unknown", _("Cannot say")


VALID_RATINGS = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED)


class Question(models.Model):
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default="rating"
    )
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_("For a choice question: the list of options."),
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "sequence", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        options = self.choices
        if self.kind == QuestionKind.CHOICE and (
            not isinstance(options, list)
            or len(options) < 2
            or not all(isinstance(o, str) and o.strip() for o in options)
        ):
            raise ValidationError(
                {"choices": _("Give at least two options, as a list of texts.")}
            )


def hash_token(token: str) -> str:
    key = settings.SECRET_KEY.encode()
    normal = token.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


class SurveyToken(models.Model):
    """A one-use ticket to answer a survey: only its hash is kept, and nothing says
    when it was used or which ballot it admitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey token")
        verbose_name_plural = _("survey tokens")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.token_hash[:8]}"


class Answer(models.Model):
    """One answer of one ballot. ``ballot`` is a random id shared by the answers
    given together; it is derived from nothing, so it links to no token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.UUIDField(db_index=True)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rating = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["survey", "question", "unit"])]

    def __str__(self) -> str:
        return str(self.pk)
