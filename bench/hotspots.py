"""How long the weekly hotspot job takes over a month of demands, with the database.

    export DATABASE_URL=sqlite:////tmp/hotspots-bench.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/hotspots.py --demands 100000

Makes (once per ``--demands``) a campaign ``hotspots-<N>`` whose N demands are spread
over the four weeks the job reads, inserted in bulk: each is one of the 420
hand-written demands of ``bench/routing/water_demands.csv`` (colloquial, a quarter in
traditional script) with one of 40 streets of 8 districts and a house number put in
front (so that nearly every text differs, as a hotline's do), and a planted matter (a
burst main in one street) that rises in the last week. Then runs the job
(``demands.hotspots.actions.find_hotspots``: reading the rows, clustering, storing
every hotspot with its demands) and prints its wall and CPU time, how many hotspots
it found and whether the planted one was found rising. The run is removed after, so
the command can be repeated.
"""

import argparse
import csv
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanfu.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Campaign, CampaignStatus  # noqa: E402
from demands.hotspots.actions import find_hotspots  # noqa: E402
from demands.models import Area, Demand, HotspotRun  # noqa: E402
from org.models import Organisation  # noqa: E402

WEEK = datetime.date(2026, 11, 23)
PLANTED = [
    "天河南二路水管爆裂，路面積水",
    "水管爆了，天河南二路全是水",
    "天河南二路爆管停水",
]


def _texts() -> list[str]:
    with (ROOT / "bench/routing/water_demands.csv").open(encoding="utf-8") as source:
        return [row["text"] for row in csv.DictReader(source)]


def _campaign(size: int) -> Campaign:
    slug = f"hotspots-{size}"
    found = Campaign.objects.filter(slug=slug).first()
    if found is not None:
        return found
    rng = random.Random(size)
    texts = _texts()
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(
        WEEK - datetime.timedelta(weeks=3), datetime.time(), tzinfo=tz
    )
    with transaction.atomic():
        organisation, _ = Organisation.objects.get_or_create(name="熱點基準測試委員會")
        campaign = Campaign.objects.create(
            organisation=organisation,
            slug=slug,
            name=f"熱點基準 {size}",
            starts_on=WEEK - datetime.timedelta(weeks=8),
            ends_on=WEEK + datetime.timedelta(weeks=8),
            status=CampaignStatus.ACTIVE,
        )
        streets = []
        for number in range(8):
            district = Area.objects.create(campaign=campaign, name=f"第{number}區")
            streets += [
                Area.objects.create(
                    campaign=campaign, district=district, name=f"第{number}區{s}街道"
                )
                for s in range(5)
            ]
        planted = streets[0]
        rows = []
        for n in range(size):
            if n % 500 == 0:  # 0.2 %, nearly all of it in the last week
                last = rng.random() < 0.8
                day = 21 + rng.randrange(7) if last else rng.randrange(21)
                text, area = rng.choice(PLANTED), planted
            else:
                day = rng.randrange(28)
                text, area = rng.choice(texts), rng.choice(streets)
            moment = start + datetime.timedelta(days=day, seconds=rng.randrange(86400))
            title = f"{area.name}{rng.randrange(1, 300)}號"
            rows.append(
                Demand(
                    campaign=campaign,
                    tracking_no=f"H{size}-{n:08d}",
                    query_code_hash="-",
                    kind="help",
                    urgency="normal",
                    channel="phone",
                    title=title,
                    content=text,
                    area=area,
                    submitted_at=moment,
                    dispatch_due=moment + datetime.timedelta(days=1),
                    duplicate_checked=True,
                )
            )
        Demand.objects.bulk_create(rows, batch_size=5000)
    return campaign


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    campaign = _campaign(args.demands)
    print(f"campaign ready in {time.perf_counter() - started:.1f} s")
    HotspotRun.objects.filter(campaign=campaign).delete()
    wall, cpu = time.perf_counter(), time.process_time()
    run = find_hotspots(campaign, WEEK)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert run is not None
    hotspots = list(run.hotspots.all())
    rising = [h for h in hotspots if h.rising]
    sown = set(
        Demand.objects.filter(campaign=campaign, content__in=PLANTED).values_list(
            "pk", flat=True
        )
    )
    planted = [
        h
        for h in rising
        if len(sown & set(h.demands.values_list("pk", flat=True))) > h.size / 2
    ]
    print(
        f"hotspot job over {run.demands} demands: {wall:.1f} s wall, "
        f"{cpu:.1f} s of CPU; {len(hotspots)} hotspots, {len(rising)} rising"
    )
    for hotspot in rising:
        mark = "planted" if hotspot in planted else "other"
        print(f"rising ({mark}): {hotspot.label} {hotspot.counts}")
    if not planted:
        print("planted matter: NOT FOUND rising")


if __name__ == "__main__":
    main()
