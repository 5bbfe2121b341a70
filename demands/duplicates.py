"""Spotting a demand that repeats an open one: the same phone number, or text that is
nearly the same once both are in one script and stripped of punctuation."""

import datetime
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from demands.models import OPEN_STATUSES, Demand
from text.script import to_simplified

WINDOW = datetime.timedelta(days=30)
CANDIDATES = 200
SIMILARITY = 0.8
BATCH = 200  # demands checked per query of the not yet checked
# a batch reads the newest CANDIDATES × (its size, at most this) + its size open
# demands of its campaign at once
WINDOW_DEPTH = 4
_NOT_WORDS = re.compile(r"[\W_]+")
# the fields of a demand the check reads (the task loads no others)
READS = (
    "campaign",
    "submitted_at",
    "submitter_phone",
    "title",
    "content",
    "category",
    "kind",
    "query_code_hash",
    "possible_duplicate_of",
)


def fingerprint(text: str) -> set[str]:
    """Character bigrams of the text, normalised to simplified script."""
    plain = _NOT_WORDS.sub("", to_simplified(text).lower())
    if len(plain) < 2:
        return {plain} if plain else set()
    return {plain[i : i + 2] for i in range(len(plain) - 1)}


def similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)  # the union's size follows: no second set is built
    return common / (len(a) + len(b) - common)


# a demand as the cache knows it: its key and the hash of its query code, random
# per demand, which tells apart two demands given one key in turn (a test database
# reuses keys after a rollback).
Stamp = tuple[int, str]


class _Fingerprints:
    """Fingerprints of recent demands, kept by each process: a demand's title and
    text never change once filed, and each intake compares against mostly the same
    recent demands, so each is read and fingerprinted about once per process
    instead of once per intake."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.known: OrderedDict[Stamp, set[str]] = OrderedDict()

    def of(self, stamps: list[Stamp]) -> dict[Stamp, set[str]]:
        missing = {stamp[0]: stamp for stamp in stamps if stamp not in self.known}
        if missing:
            rows = Demand.objects.filter(pk__in=missing).values_list(
                "pk", "title", "content"
            )
            for pk, title, content in rows:
                self.known[missing[pk]] = fingerprint(title + content)
        found = {}
        for stamp in stamps:
            if stamp in self.known:  # not deleted meanwhile
                self.known.move_to_end(stamp)
                found[stamp] = self.known[stamp]
        while len(self.known) > self.size:
            self.known.popitem(last=False)
        return found

    def remember(self, stamp: Stamp, fingerprint: set[str]) -> None:
        self.known[stamp] = fingerprint


_fingerprints = _Fingerprints(size=20 * CANDIDATES)


_OPEN = [status.value for status in OPEN_STATUSES]


class _Recent(NamedTuple):
    """An open demand that may be repeated, as the window's query reads it."""

    pk: int
    code_hash: str
    submitted_at: datetime.datetime
    category_id: int | None
    kind: str
    phone: str

    @property
    def stamp(self) -> Stamp:
        return self[:2]  # type: ignore[return-value]


_RECENT_FIELDS = (
    "pk",
    "query_code_hash",
    "submitted_at",
    "category_id",
    "kind",
    "submitter_phone",
)


def _open_before(
    campaign_id: int, since: datetime.datetime, below: int
) -> QuerySet[Demand, tuple[Any, ...]]:
    """The open demands of a campaign filed since ``since`` with a key below
    ``below``, newest first (the index on campaign, submitted_at, id)."""
    return (
        Demand.objects.filter(
            campaign_id=campaign_id,
            status__in=_OPEN,
            submitted_at__gte=since,
            pk__lt=below,
        )
        .order_by("-submitted_at", "-pk")
        .values_list(*_RECENT_FIELDS)
    )


@dataclass(frozen=True)
class _Match:
    """Which earlier demands a check wants: as a query and as a test of a row."""

    query: Q
    test: Callable[[_Recent], bool]


class _Window:
    """The open demands that the demands of one campaign in a batch may repeat, read
    with one query for the batch: the newest of those filed in the 30 days before
    its oldest demand with a key below its highest. For each demand the rows it may
    repeat (filed before it, in its own window, matching) are taken from these,
    newest first; the rows read are the newest of all, so what is found there is
    what a query of the demand's own would find. Only when the window was cut off
    at its limit and holds too few for a demand is that demand's own query run."""

    def __init__(self, demands: list[Demand]) -> None:
        since = min(demand.submitted_at for demand in demands) - WINDOW
        below = max(demand.pk for demand in demands)
        self.campaign_id = demands[0].campaign_id
        limit = CANDIDATES * min(len(demands), WINDOW_DEPTH) + len(demands)
        rows = _open_before(self.campaign_id, since, below)[:limit]
        self.rows = [_Recent(*row) for row in rows]
        self.complete = len(self.rows) < limit

    def before(self, demand: Demand, match: _Match, limit: int) -> list[_Recent]:
        """Up to ``limit`` matching rows that ``demand`` may repeat, newest first."""
        pk, since, test = demand.pk, demand.submitted_at - WINDOW, match.test
        found = []
        for row in self.rows:
            if row.pk < pk and row.submitted_at >= since and test(row):
                found.append(row)
                if len(found) == limit:
                    return found
        if self.complete:
            return found
        own = _open_before(self.campaign_id, since, demand.pk).filter(match.query)
        return [_Recent(*row) for row in own[:limit]]


def _same_phone(phone: str) -> _Match:
    return _Match(Q(submitter_phone=phone), lambda row: row.phone == phone)


def _same_category_or_kind(demand: Demand) -> _Match:
    """The demands whose text is compared with the demand's: those of its category
    or its kind (with no category: those with none, or of its kind)."""
    kind, category = demand.kind, demand.category_id
    return _Match(
        Q(category_id=category) | Q(kind=kind),
        lambda row: row.category_id == category or row.kind == kind,
    )


def _repeated(demand: Demand, window: _Window) -> int | None:
    """The key of the open demand filed before ``demand`` that it seems to repeat."""
    if demand.submitter_phone:
        same_person = window.before(demand, _same_phone(demand.submitter_phone), 1)
        if same_person:
            return same_person[0].pk
    mine = fingerprint(demand.title + demand.content)
    # the next check in this process compares with this demand first
    _fingerprints.remember((demand.pk, demand.query_code_hash), mine)
    nearby = window.before(demand, _same_category_or_kind(demand), CANDIDATES)
    for (pk, _filed), other in _fingerprints.of([row.stamp for row in nearby]).items():
        if similarity(mine, other) >= SIMILARITY:
            return pk
    return None


def possible_duplicates(demands: list[Demand]) -> dict[int, int]:
    """For each stored demand that seems to repeat an open demand filed before it,
    the key of that demand: ``{demand key: earlier demand key}``. Only earlier
    demands count, however late the check runs: of two alike demands the later one
    is the repeat. One query reads the recent open demands of each campaign."""
    by_campaign: dict[int, list[Demand]] = {}
    for demand in demands:
        by_campaign.setdefault(demand.campaign_id, []).append(demand)
    found = {}
    for group in by_campaign.values():
        window = _Window(group)
        for demand in group:
            original = _repeated(demand, window)
            if original is not None:
                found[demand.pk] = original
    return found


# -- the office's merge step -----------------------------------------------------------

# text this alike suggests a parent order on its own; at the same place, less will do
SUGGEST_SIMILARITY = 0.4
SAME_PLACE_SIMILARITY = 0.15
SUGGESTIONS = 5


@dataclass(frozen=True)
class MergeSuggestion:
    """An open demand the office might merge ``demand`` into, and why: the duplicate
    check flagged the pair, the text is alike (``percent``), the place is the same."""

    demand: Demand
    percent: int
    flagged: bool
    same_place: bool
    same_phone: bool


def _same_place(a: Demand, b: Demand) -> bool:
    if a.area_id is not None and a.area_id == b.area_id:
        return True
    place = _NOT_WORDS.sub("", to_simplified(a.location))
    return bool(place) and place == _NOT_WORDS.sub("", to_simplified(b.location))


def merge_suggestions(
    demand: Demand, candidates: QuerySet[Demand]
) -> list[MergeSuggestion]:
    """The parent orders to offer for merging ``demand``, best first: among
    ``candidates`` (those the office may act on), the open demands of its campaign
    filed within the window either side of it, not merged themselves, that the
    duplicate check flagged as its original or as its repeat, or whose text is
    alike (``SUGGEST_SIMILARITY``; ``SAME_PLACE_SIMILARITY`` at the same place:
    area, or the address as typed), or that the same phone number filed. One
    query, the newest ``CANDIDATES`` of the window."""
    rows = (
        candidates.filter(
            campaign_id=demand.campaign_id,
            status__in=_OPEN,
            merged_into__isnull=True,
            submitted_at__gte=demand.submitted_at - WINDOW,
            submitted_at__lte=demand.submitted_at + WINDOW,
        )
        .exclude(pk=demand.pk)
        .order_by("-submitted_at", "-pk")[:CANDIDATES]
    )
    mine = fingerprint(demand.title + demand.content)
    found = []
    for row in rows:
        flagged = demand.possible_duplicate_of_id == row.pk or (
            row.possible_duplicate_of_id == demand.pk
        )
        alike = similarity(mine, fingerprint(row.title + row.content))
        same_place = _same_place(demand, row)
        same_phone = bool(demand.submitter_phone) and (
            demand.submitter_phone == row.submitter_phone
        )
        threshold = SAME_PLACE_SIMILARITY if same_place else SUGGEST_SIMILARITY
        if flagged or same_phone or alike >= threshold:
            found.append(
                MergeSuggestion(
                    row, round(alike * 100), flagged, same_place, same_phone
                )
            )
    found.sort(key=lambda s: (not s.flagged, -(s.percent + 20 * s.same_place)))
    return found[:SUGGESTIONS]
