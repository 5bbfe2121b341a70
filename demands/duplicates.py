"""Spotting a demand that repeats an open one: the same phone number, or text that is
nearly the same once both are in one script and stripped of punctuation."""

import datetime
import re
from collections import OrderedDict

from django.db.models import Q

from demands.models import Demand
from text.script import to_simplified

WINDOW = datetime.timedelta(days=30)
CANDIDATES = 200
SIMILARITY = 0.8
BATCH = 200  # demands checked per query of the not yet checked
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
# reuses keys after a rollback). Read for a few hundred demands per check, a short
# string costs far less to load than a timestamp with its zone.
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


def find_possible_duplicate(demand: Demand) -> Demand | None:
    """An open demand filed before ``demand`` (a stored one) that it seems to
    repeat. Only earlier demands count, however late the check runs: two alike
    demands flag the later one, as when the check ran inside the submission."""
    recent = Demand.objects.open().filter(
        campaign_id=demand.campaign_id,
        submitted_at__gte=demand.submitted_at - WINDOW,
        pk__lt=demand.pk,
    )
    if demand.submitter_phone:
        same_person = recent.filter(submitter_phone=demand.submitter_phone).first()
        if same_person is not None:
            return same_person
    mine = fingerprint(demand.title + demand.content)
    # the next check in this process compares with this demand first
    _fingerprints.remember((demand.pk, demand.query_code_hash), mine)
    nearby = recent.filter(Q(category_id=demand.category_id) | Q(kind=demand.kind))
    stamps = list(
        nearby.order_by("-submitted_at").values_list("pk", "query_code_hash")[
            :CANDIDATES
        ]
    )
    for (pk, _filed), other in _fingerprints.of(stamps).items():
        if similarity(mine, other) >= SIMILARITY:
            return Demand.objects.get(pk=pk)
    return None
