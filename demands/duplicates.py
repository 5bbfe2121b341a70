"""Spotting a demand that repeats an open one: the same phone number, or text that is
nearly the same once both are in one script and stripped of punctuation."""

import datetime
import re
from collections import OrderedDict
from typing import Any

from django.db import connection

from demands.models import OPEN_STATUSES, Demand
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


_OPEN = [status.value for status in OPEN_STATUSES]


def _recent_open(
    demand: Demand, condition: str, params: list[Any], limit: int
) -> list[Stamp]:
    """The open demands of ``demand``'s campaign filed in the window before it
    that meet ``condition``, newest first: keys and code hashes. Raw SQL over the
    index (campaign, submitted_at, id): this runs for every demand filed, and the
    ORM took longer to build the query than the database to answer it."""
    statuses = ", ".join(["%s"] * len(_OPEN))
    since = connection.ops.adapt_datetimefield_value(demand.submitted_at - WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, query_code_hash FROM {Demand._meta.db_table}"
            f" WHERE campaign_id = %s AND status IN ({statuses})"
            f" AND submitted_at >= %s AND id < %s AND ({condition})"
            " ORDER BY submitted_at DESC, id DESC LIMIT %s",
            [demand.campaign_id, *_OPEN, since, demand.pk, *params, limit],
        )
        return [(pk, code_hash) for pk, code_hash in cursor.fetchall()]


def find_possible_duplicate(demand: Demand) -> Demand | None:
    """An open demand filed before ``demand`` (a stored one) that it seems to
    repeat. Only earlier demands count, however late the check runs: two alike
    demands flag the later one, as when the check ran inside the submission."""
    if demand.submitter_phone:
        same_person = _recent_open(
            demand, "submitter_phone = %s", [demand.submitter_phone], 1
        )
        if same_person:
            return Demand.objects.get(pk=same_person[0][0])
    mine = fingerprint(demand.title + demand.content)
    # the next check in this process compares with this demand first
    _fingerprints.remember((demand.pk, demand.query_code_hash), mine)
    if demand.category_id is None:
        nearby = _recent_open(
            demand, "category_id IS NULL OR kind = %s", [demand.kind], CANDIDATES
        )
    else:
        nearby = _recent_open(
            demand,
            "category_id = %s OR kind = %s",
            [demand.category_id, demand.kind],
            CANDIDATES,
        )
    for (pk, _filed), other in _fingerprints.of(nearby).items():
        if similarity(mine, other) >= SIMILARITY:
            return Demand.objects.get(pk=pk)
    return None
