"""The weekly hotspot job (the periodic ``find_hotspots``): each campaign under way
gets one run per week, over the demands of that week and the ``WEEKS - 1``
before it, clustered by text and place (``demands.hotspots.engine``); each
hotspot is stored with its demands and its count in each week, and marked
rising when its last week's count clearly exceeds the weeks before."""

import datetime
import math
import time
from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.actions import record
from campaigns.models import Campaign, CampaignStatus
from demands.hotspots.engine import Cluster, Item, find_clusters
from demands.hotspots.models import WEEKS, Hotspot, HotspotRun
from demands.models import Area, Demand
from text.folding import fold, fold_with_positions

# a hotspot rises when its last week holds at least RISING_MIN demands,
# RISING_FACTOR times the mean of the weeks before, and RISING_SIGMAS standard
# deviations above it: a steady matter's weekly count varies like a Poisson
# count (its variance is its mean), and among a month's hundreds of hotspots
# two or three deviations happen by chance (the bench's 100,000 demands: 126 of
# 1,544 rose at 1.5 times alone, all but the planted ones noise)
RISING_MIN = 3
RISING_FACTOR = 1.5
RISING_SIGMAS = 4
# a later run's hotspot continues an earlier one when they share this share of
# the smaller one's demands
SAME_MATTER = 0.3
SHOWN_WORDS = 3
# what of a demand's content the clustering reads after its title
CONTENT_READ = 200


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def last_complete_week(today: datetime.date) -> datetime.date:
    """The Monday of the last week that ended before ``today``."""
    return monday(today) - datetime.timedelta(weeks=1)


def _window(week: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    first = week - datetime.timedelta(weeks=WEEKS - 1)
    end = week + datetime.timedelta(weeks=1)
    return (
        datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
        datetime.datetime.combine(end, datetime.time(), tzinfo=tz),
    )


def _read(campaign: Campaign, week: datetime.date) -> tuple[list[Item], list[int]]:
    """The window's demands as the engine reads them, and each one's week index."""
    start, end = _window(week)
    tz = timezone.get_current_timezone()
    first = week - datetime.timedelta(weeks=WEEKS - 1)
    rows = (
        Demand.objects.filter(
            campaign=campaign, submitted_at__gte=start, submitted_at__lt=end
        )
        .annotate(place=Coalesce(F("area__district_id"), F("area_id")))
        .values_list("pk", "title", "content", "place", "submitted_at")
        .iterator(chunk_size=5000)
    )
    items, weeks = [], []
    for pk, title, content, place, submitted in rows:
        items.append(Item(pk, f"{title}\n{content[:CONTENT_READ]}", place))
        day = timezone.localtime(submitted, tz).date()
        weeks.append(min(WEEKS - 1, (day - first).days // 7))
    return items, weeks


def _as_written(words: tuple[str, ...], text: str, places: list[str]) -> str:
    """The cluster's words (folded to simplified) as one of its demands writes
    them (水錶, not 水表), where it can be found there; none that is part of a
    place's name (jieba reads 河南 in 天河南街道: the place is shown beside)."""
    folded = fold_with_positions(text)
    shown = []
    words = tuple(w for w in words if not any(w in place for place in places))
    for word in words[:SHOWN_WORDS]:
        spans = folded.find_all(word)
        shown.append(text[spans[0][0] : spans[0][1]] if spans else word)
    return " ".join(shown)


def _counts(cluster: Cluster, week_of: dict[int, int]) -> list[int]:
    counts = Counter(week_of[key] for key in cluster.keys)
    return [counts.get(index, 0) for index in range(WEEKS)]


def _growth(counts: list[int]) -> tuple[bool, float]:
    last, earlier = counts[-1], counts[:-1]
    before = sum(earlier) / len(earlier) if earlier else 0.0
    rising = (
        last >= RISING_MIN
        and last >= RISING_FACTOR * before
        and last >= before + RISING_SIGMAS * math.sqrt(max(before, 1.0))
    )
    return rising, (last - before) / max(before, 1.0)


def _lineages(
    campaign: Campaign, week: datetime.date, clusters: list[Cluster]
) -> list[str | None]:
    """For each cluster, the lineage of the previous run's hotspot it continues."""
    previous = (
        HotspotRun.objects.filter(campaign=campaign, week__lt=week)
        .order_by("-week")
        .first()
    )
    if previous is None:
        return [None] * len(clusters)
    members: dict[int, set[int]] = {}
    lineage: dict[int, str] = {}
    through = Hotspot.demands.through.objects.filter(hotspot__run=previous)
    for hotspot_id, demand_id in through.values_list("hotspot_id", "demand_id"):
        members.setdefault(hotspot_id, set()).add(demand_id)
    for pk, value in previous.hotspots.values_list("pk", "lineage"):
        lineage[pk] = str(value)
    owner = {demand: pk for pk, keys in members.items() for demand in keys}
    found: list[str | None] = []
    for cluster in clusters:
        shared = Counter(owner[key] for key in cluster.keys if key in owner)
        best = shared.most_common(1)
        if best:
            pk, count = best[0]
            smaller = min(len(cluster.keys), len(members[pk]))
            if count >= SAME_MATTER * smaller:
                found.append(lineage[pk])
                continue
        found.append(None)
    return found


def find_hotspots(campaign: Campaign, week: datetime.date) -> HotspotRun | None:
    """The campaign's run for ``week`` (a Monday), made now; None where it was
    made already (the job is safe to repeat)."""
    week = monday(week)
    if HotspotRun.objects.filter(campaign=campaign, week=week).exists():
        return None
    started = time.monotonic()
    items, weeks = _read(campaign, week)
    clusters = find_clusters(items)
    week_of = {item.key: index for item, index in zip(items, weeks, strict=True)}
    texts = {item.key: item.text for item in items}
    lineages = _lineages(campaign, week, clusters)
    areas = set(
        Area.objects.filter(
            campaign=campaign, pk__in={c.place for c in clusters if c.place}
        ).values_list("pk", flat=True)
    )
    places = [
        fold(name)
        for name in Area.objects.filter(campaign=campaign).values_list(
            "name", flat=True
        )
    ]
    try:
        with transaction.atomic():
            run = HotspotRun.objects.create(
                campaign=campaign, week=week, demands=len(items)
            )
            _store(run, clusters, lineages, week_of, areas, texts, places)
            run.seconds = round(time.monotonic() - started, 3)
            run.save(update_fields=["seconds"])
            record(
                campaign,
                "sanfu.hotspots.find",
                data={
                    "week": week.isoformat(),
                    "demands": len(items),
                    "hotspots": len(clusters),
                },
            )
    except IntegrityError:  # made meanwhile by another process
        return None
    return run


def _store(
    run: HotspotRun,
    clusters: list[Cluster],
    lineages: list[str | None],
    week_of: dict[int, int],
    areas: set[int],
    texts: dict[int, str],
    places: list[str],
) -> None:
    hotspots = []
    for cluster, lineage in zip(clusters, lineages, strict=True):
        counts = _counts(cluster, week_of)
        rising, growth = _growth(counts)
        hotspot = Hotspot(
            run=run,
            label=_as_written(cluster.words, texts[cluster.keys[0]], places)[:200],
            area_id=cluster.place if cluster.place in areas else None,
            size=len(cluster.keys),
            counts=counts,
            rising=rising,
            growth=round(growth, 4),
        )
        if lineage is not None:
            hotspot.lineage = lineage  # type: ignore[assignment]
        hotspots.append(hotspot)
    Hotspot.objects.bulk_create(hotspots)
    through = Hotspot.demands.through
    through.objects.bulk_create(
        (
            through(hotspot_id=hotspot.pk, demand_id=key)
            for hotspot, cluster in zip(hotspots, clusters, strict=True)
            for key in cluster.keys
        ),
        batch_size=5000,
    )


def find_weekly(*, today: datetime.date | None = None) -> int:
    """Make the last complete week's run of every campaign under way that has none;
    returns how many were made."""
    week = last_complete_week(today or timezone.localdate())
    made = 0
    for campaign in _due(week):
        if find_hotspots(campaign, week) is not None:
            made += 1
    return made


def _due(week: datetime.date) -> Iterable[Campaign]:
    done = HotspotRun.objects.filter(week=week).values("campaign")
    return Campaign.objects.filter(status=CampaignStatus.ACTIVE).exclude(pk__in=done)
