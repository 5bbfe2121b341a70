"""Suggesting a demand's unit, dispatching on it where the campaign allows, and
retraining the campaigns' models (the periodic ``retrain_routing``)."""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.actions import record
from campaigns.models import Campaign, CampaignStatus
from demands import actions as demand_actions
from demands.models import Category, Demand, DemandStatus
from demands.routing import training
from demands.routing.engine import Guess, fold
from demands.routing.models import RoutingModel, RoutingSuggestion
from org.models import Unit
from text.folding import fold as fold_for_search
from text.folding import fold_with_positions

logger = logging.getLogger(__name__)
AWAITING_DISPATCH = (DemandStatus.SUBMITTED, DemandStatus.RETURNED)


def _category_for(unit_id: int, text: str, categories: list[Category]) -> int | None:
    """The unit's category whose name or keywords the text holds most of; the
    demand's own category where it names this unit; else the unit's first one."""
    folded = fold(text)
    best, best_hits = None, -1
    for category in categories:
        if category.default_unit_id != unit_id:
            continue
        words = [category.name, *category.keywords.split()]
        hits = sum(1 for word in words if fold(word) in folded)
        if hits > best_hits:
            best, best_hits = category.pk, hits
    return best


def _as_written(text: str) -> Callable[[str], str]:
    """The model's words are folded (simplified script, lower case): each is shown
    as the demand writes it (採砂, not 采砂), where it can be found."""
    folded = fold_with_positions(text)

    def written(word: str) -> str:
        spans = folded.find_all(fold_for_search(word))
        if not spans:
            return word
        start, end = spans[0]
        return text[start:end]

    return written


def _choices(
    demand: Demand, guesses: list[Guess], units: dict[int, Unit]
) -> list[dict[str, Any]]:
    categories = list(
        Category.objects.filter(
            campaign_id=demand.campaign_id, is_active=True
        ).order_by("sequence", "pk")
    )
    text = f"{demand.title}\n{demand.content}"
    written = _as_written(text)
    choices = []
    for guess in guesses:
        unit_id = int(guess.label)
        if unit_id not in units:  # removed since the model was trained
            continue
        own = demand.category
        category = (
            own.pk
            if own is not None and own.default_unit_id == unit_id
            else _category_for(unit_id, text, categories)
        )
        choices.append(
            {
                "unit": unit_id,
                "category": category,
                "confidence": round(guess.confidence, 4),
                "words": [written(word) for word in guess.words],
            }
        )
    return choices


def suggest_routing(demand: Demand) -> RoutingSuggestion | None:
    """The current model's suggestion for the demand (made and stored once per
    model version); then, for a new demand of a campaign that switched automatic
    dispatch on, the dispatch when the first choice is confident enough."""
    current = training.current_model(demand.campaign)
    if current is None:  # no catalogue of two units yet: nothing to suggest
        return None
    model, router = current
    found = RoutingSuggestion.objects.filter(demand=demand, model=model).first()
    if found is not None:
        return found
    guesses = router.suggest(f"{demand.title}\n{demand.content}")
    units = Unit.objects.filter(
        organisation_id=demand.campaign.organisation_id,
        pk__in=[int(guess.label) for guess in guesses],
    ).in_bulk()
    try:
        with transaction.atomic():
            suggestion = RoutingSuggestion.objects.create(
                demand=demand, model=model, choices=_choices(demand, guesses, units)
            )
    except IntegrityError:  # made meanwhile by another process
        return RoutingSuggestion.objects.get(demand=demand, model=model)
    _maybe_dispatch(demand, suggestion, units)
    return suggestion


def _maybe_dispatch(
    demand: Demand, suggestion: RoutingSuggestion, units: dict[int, Unit]
) -> None:
    threshold = demand.campaign.auto_dispatch_percent
    if threshold is None or not suggestion.choices:
        return
    first = suggestion.choices[0]
    if demand.status != DemandStatus.SUBMITTED or first["confidence"] * 100 < threshold:
        return
    try:
        with transaction.atomic():
            demand_actions.dispatch_automatically(
                demand, units[first["unit"]], confidence=first["confidence"]
            )
            suggestion.automatic = True
            suggestion.save(update_fields=["automatic"])
    except Exception:  # the office dispatches it by hand; the suggestion stays
        logger.warning("automatic dispatch of %s failed", demand.pk, exc_info=True)


def suggestion_for_office(demand: Demand) -> RoutingSuggestion | None:
    """What the office's page shows: for a demand awaiting dispatch, the current
    model's suggestion (made now if the model is newer than the last one); for one
    dispatched, the last suggestion made."""
    if demand.status in AWAITING_DISPATCH:
        try:
            return suggest_routing(demand)
        except Exception:  # a suggestion is help, never a reason the page fails
            logger.warning("routing suggestion for %s failed", demand.pk, exc_info=True)
    return demand.routing_suggestions.select_related("model").order_by("-pk").first()


def retrain_campaigns(*, now: datetime.datetime | None = None) -> int:
    """Retrain every campaign under way whose catalogue or confirmed dispatches
    changed since its newest model, and whose newest model is older than
    ``ROUTING_RETRAIN_MINUTES``; returns how many new versions were made."""
    minutes = settings.SANFU_DEMANDS["ROUTING_RETRAIN_MINUTES"]
    since = (now or timezone.now()) - datetime.timedelta(minutes=minutes)
    recent = RoutingModel.objects.filter(campaign=OuterRef("pk"), trained_at__gt=since)
    made = 0
    due = Campaign.objects.filter(status=CampaignStatus.ACTIVE).exclude(Exists(recent))
    for campaign in due:
        model = retrain_campaign(campaign)
        if model is not None:
            made += 1
    return made


def retrain_campaign(campaign: Campaign) -> RoutingModel | None:
    model = training.retrain(campaign)
    if model is not None:
        record(
            campaign,
            "sanfu.routing.retrain",
            data={
                "version": model.version,
                "examples": model.examples,
                "corrections": model.corrections,
            },
        )
    return model
