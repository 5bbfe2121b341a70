"""The routing model's versions and its suggestions, one row per demand and version.
Imported by ``demands.models``: they are the demands app's models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign


class RoutingSource(models.TextChoices):
    CATALOGUE = "catalogue", _("Dispatch catalogue only")
    DISPATCHES = "dispatches", _("Catalogue and confirmed dispatches")


class RoutingModel(models.Model):
    """One version of a campaign's routing model, as trained; the newest with a
    payload is the one in use. Older versions keep their row (the suggestions name
    them) and lose their payload."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="routing_models",
    )
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(
        _("trained on"), max_length=12, choices=RoutingSource.choices
    )
    trained_at = models.DateTimeField(_("trained at"), default=timezone.now)
    examples = models.PositiveIntegerField(_("confirmed dispatches learnt"), default=0)
    corrections = models.PositiveIntegerField(
        _("re-dispatches after a return learnt"), default=0
    )
    # what the model was trained on, to skip a retraining that would learn nothing
    signature = models.CharField(max_length=64, editable=False)
    payload = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "version"], name="one_routing_model_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} v{self.version}"


class RoutingSuggestion(models.Model):
    """The units (and categories) a model version suggests for a demand, best
    first, each with its confidence and the demand's words that drove it:
    ``[{"unit": pk, "category": pk or None, "confidence": 0.83, "words": [...]}]``."""

    demand = models.ForeignKey(
        "demands.Demand",
        verbose_name=_("demand"),
        on_delete=models.CASCADE,
        related_name="routing_suggestions",
    )
    model = models.ForeignKey(
        RoutingModel,
        verbose_name=_("routing model"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    choices = models.JSONField(_("suggested units"))
    # the demand was dispatched to the first choice without a person (the
    # campaign's threshold was met)
    automatic = models.BooleanField(_("dispatched automatically"), default=False)

    class Meta:
        verbose_name = _("routing suggestion")
        verbose_name_plural = _("routing suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "model"], name="one_routing_suggestion_per_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} · {self.model}"
