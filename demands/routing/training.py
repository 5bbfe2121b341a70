"""What a campaign's routing model learns from, and the model in use.

A model starts from the dispatch catalogue (each category's name and keywords point
to its default unit). It then learns from confirmed dispatches: demands of the
campaign, and of the organisation's earlier campaigns, that the unit they were
dispatched to kept (accepted, replied to, closed). A demand a unit returned (退回)
and the office sent elsewhere counts more (``CORRECTION_WEIGHT``): the office
corrected the route, and the next model should not repeat the first one.
"""

import hashlib
import threading
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, QuerySet, Sum
from wagtail.models import ModelLogEntry

from campaigns.models import Campaign
from demands.models import Category, Demand, DemandStatus
from demands.routing.engine import Example, Router
from demands.routing.models import RoutingModel, RoutingSource

# the states in which the unit holding a demand has kept it
KEPT = (
    DemandStatus.ACCEPTED,
    DemandStatus.REPLIED,
    DemandStatus.REOPENED,
    DemandStatus.CLOSED,
)
CORRECTION_WEIGHT = 5.0
RETURN_ACTION = "sanfu.demand.return"
# versions that keep their payload (the newest is in use; one before it is kept
# for a process that has not seen the new one yet)
KEPT_PAYLOADS = 2


@dataclass(frozen=True)
class TrainingSet:
    examples: list[Example]
    dispatches: int
    corrections: int


def _label(unit_id: int) -> str:
    return str(unit_id)


def _categories(campaign: Campaign) -> list[Category]:
    return list(
        Category.objects.filter(campaign=campaign, is_active=True).order_by(
            "sequence", "pk"
        )
    )


def catalogue_examples(campaign: Campaign) -> list[Example]:
    """Each category's name, each keyword, and all of them together, labelled with
    the category's default unit."""
    examples = []
    for category in _categories(campaign):
        words = [category.name, *category.keywords.split()]
        label = _label(category.default_unit_id)
        examples.append(Example(" ".join(words), label))
        examples.extend(Example(word, label) for word in words)
    return examples


def _kept(campaign: Campaign) -> QuerySet[Demand]:
    return Demand.objects.filter(
        campaign__organisation_id=campaign.organisation_id,
        campaign__starts_on__lte=campaign.starts_on,
        status__in=KEPT,
        unit__isnull=False,
    )


def _returns() -> QuerySet[ModelLogEntry]:
    content_type = ContentType.objects.get_for_model(Demand)
    return ModelLogEntry.objects.filter(content_type=content_type, action=RETURN_ACTION)


def signature(campaign: Campaign) -> str:
    """What a model of the campaign would learn from, in a few aggregates: the
    catalogue, and how many demands were kept, by which units, and how many
    returns there were. Cheap enough for every round of the clock."""
    kept = _kept(campaign).aggregate(
        count=Count("pk"), newest=Max("pk"), units=Sum("unit_id")
    )
    returns = _returns().aggregate(count=Count("pk"), newest=Max("pk"))
    digest = hashlib.sha256()
    for example in catalogue_examples(campaign):
        digest.update(f"{example.label}:{example.text}\n".encode())
    digest.update(repr(sorted(kept.items())).encode())
    digest.update(repr(sorted(returns.items())).encode())
    return digest.hexdigest()


def _returned(demand_ids: list[int]) -> set[int]:
    """Of ``demand_ids``, those a unit returned at least once."""
    wanted = {str(pk) for pk in demand_ids}
    found = _returns().values_list("object_id", flat=True)
    return {int(pk) for pk in found.iterator() if pk in wanted}


def training_set(campaign: Campaign) -> TrainingSet:
    limit = settings.SANFU_DEMANDS.get("ROUTING_TRAINING_LIMIT", 200_000)
    rows = list(
        _kept(campaign)
        .order_by("-pk")
        .values_list("pk", "title", "content", "unit_id")[:limit]
    )
    corrected = _returned([row[0] for row in rows])
    examples = catalogue_examples(campaign)
    for pk, title, content, unit_id in rows:
        weight = CORRECTION_WEIGHT if pk in corrected else 1.0
        examples.append(Example(f"{title}\n{content}", _label(unit_id), weight))
    return TrainingSet(examples, len(rows), len(corrected))


def retrain(campaign: Campaign, *, catalogue_only: bool = False) -> RoutingModel | None:
    """Train a new version when the campaign's catalogue or confirmed dispatches
    changed since the newest; returns it, or None when there was nothing new to
    learn or too little to learn from (fewer than two units). ``catalogue_only``:
    a first model from the catalogue alone, quick enough for a web request; its
    signature matches no state, so the clock's next round learns the dispatches."""
    newest = campaign.routing_models.defer("payload").order_by("-version").first()
    state = "catalogue-only" if catalogue_only else signature(campaign)
    if newest is not None and newest.signature == state:
        return None
    if catalogue_only:
        found = TrainingSet(catalogue_examples(campaign), 0, 0)
    else:
        found = training_set(campaign)
    if len({example.label for example in found.examples}) < 2:
        return None
    router = Router.train(found.examples)
    version = (newest.version if newest else 0) + 1
    model = RoutingModel.objects.create(
        campaign=campaign,
        version=version,
        source=RoutingSource.DISPATCHES
        if found.dispatches
        else RoutingSource.CATALOGUE,
        examples=found.dispatches,
        corrections=found.corrections,
        signature=state,
        payload=router.dumps(),
    )
    # the rows stay (suggestions name them); old payloads go
    RoutingModel.objects.filter(
        campaign=campaign, version__lte=version - KEPT_PAYLOADS
    ).exclude(payload=None).update(payload=None)
    _cache.put(campaign.pk, model.pk, router)
    return model


class _Routers:
    """The model in use per campaign, loaded once per process and version."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded: dict[int, tuple[int, Router]] = {}

    def get(self, campaign_id: int, model: RoutingModel) -> Router:
        found = self.loaded.get(campaign_id)
        if found is not None and found[0] == model.pk:
            return found[1]
        payload = (
            RoutingModel.objects.filter(pk=model.pk)
            .values_list("payload", flat=True)
            .first()
        )
        if payload is None:
            raise LookupError("the routing model has no payload")
        router = Router.loads(bytes(payload))
        self.put(campaign_id, model.pk, router)
        return router

    def put(self, campaign_id: int, model_pk: int, router: Router) -> None:
        with self.lock:
            self.loaded[campaign_id] = (model_pk, router)


_cache = _Routers()


def current_model(campaign: Campaign) -> tuple[RoutingModel, Router] | None:
    """The campaign's newest model and its router; the first time, one trained on
    the catalogue alone."""
    newest = (
        RoutingModel.objects.filter(campaign=campaign)
        .exclude(payload=None)
        .defer("payload")
        .order_by("-version")
        .first()
    )
    if newest is None:
        # the first suggestion of a campaign does not wait for its history to be
        # learnt (minutes for 100,000 demands): the clock learns it
        newest = retrain(campaign, catalogue_only=True)
        if newest is None:
            return None
    return newest, _cache.get(campaign.pk, newest)


def newest_version(campaign: Campaign) -> int | None:
    found = campaign.routing_models.aggregate(newest=Max("version"))["newest"]
    return int(found) if found is not None else None
