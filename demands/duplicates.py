"""Spotting a demand that repeats an open one: the same phone number, or text that is
nearly the same once both are in one script and stripped of punctuation."""

import datetime
import re

from django.db.models import Q
from django.utils import timezone

from demands.models import Demand
from text.script import to_simplified

WINDOW = datetime.timedelta(days=30)
CANDIDATES = 200
SIMILARITY = 0.8
_NOT_WORDS = re.compile(r"[\W_]+")


def fingerprint(text: str) -> set[str]:
    """Character bigrams of the text, normalised to simplified script."""
    plain = _NOT_WORDS.sub("", to_simplified(text).lower())
    if len(plain) < 2:
        return {plain} if plain else set()
    return {plain[i : i + 2] for i in range(len(plain) - 1)}


def similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def find_possible_duplicate(demand: Demand) -> Demand | None:
    recent = Demand.objects.open().filter(
        campaign_id=demand.campaign_id, submitted_at__gte=timezone.now() - WINDOW
    )
    if demand.pk:
        recent = recent.exclude(pk=demand.pk)
    if demand.submitter_phone:
        same_person = recent.filter(submitter_phone=demand.submitter_phone).first()
        if same_person is not None:
            return same_person
    mine = fingerprint(demand.title + demand.content)
    nearby = recent.filter(Q(category_id=demand.category_id) | Q(kind=demand.kind))
    for other in nearby.order_by("-submitted_at")[:CANDIDATES]:
        if similarity(mine, fingerprint(other.title + other.content)) >= SIMILARITY:
            return other
    return None
