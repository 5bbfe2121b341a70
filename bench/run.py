"""Server-side timings of the figures screen and the office's demand list.

Run from the project root against a database filled by ``generate_demands``::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanfu_bench \
        .venv/bin/python bench/run.py --size 10000 --size 100000

Each screen is requested in-process through Django's test client (the whole
middleware stack, URL resolution, access checks, the view, template rendering; no
socket and no WSGI server), as an office director of the campaign, many times after
a warm-up. The bare floor, in the same run and through the same client, is a view
that runs one primary-key query and returns a few bytes. The figures are wall
times: median, 95th percentile, and the median's ratio to the floor's. The database
part alone (the ORM queries each screen runs) is timed too, and ``EXPLAIN ANALYZE``
of each query touching the demands table is written to ``var/bench-explain/``.

Nothing here is a test: tests check correctness, this measures.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanfu.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sanfu_bench")
# Production-like: no query log kept in memory, no debug pages.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.models import Body, BodyKind, Campaign, Position  # noqa: E402
from campaigns.roles import CampaignRole  # noqa: E402
from demands import metrics  # noqa: E402
from demands.access import demands_for_user  # noqa: E402
from demands.models import Demand  # noqa: E402
from org.models import Person  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
settings.ROOT_URLCONF = "bench.urls"
EXPLAIN_DIR = ROOT / "var" / "bench-explain"


def director_of(campaign: Campaign) -> Person:
    """An office director of this campaign only, so access scoping is exercised."""
    person, _ = Person.objects.get_or_create(username=f"bench-{campaign.slug}")
    office, _ = Body.objects.get_or_create(
        campaign=campaign, kind=BodyKind.OFFICE, defaults={"name": "辦公室"}
    )
    Position.objects.get_or_create(
        person=person,
        body=office,
        defaults={"role": CampaignRole.OFFICE_DIRECTOR, "title": "主任"},
    )
    return person


def timed(call: Callable[[], Any], iterations: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def get(client: Client, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def explain(label: str, call: Callable[[], Any]) -> list[str]:
    """EXPLAIN ANALYZE every query of one call that reads the demands table; returns
    the plan nodes that scan it."""
    with CaptureQueriesContext(connection) as captured:
        call()
    scans: list[str] = []
    lines: list[str] = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if '"demands_demand"' not in sql or not sql.lstrip().upper().startswith(
            "SELECT"
        ):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        lines += [sql, *plan, ""]
        scans += [
            f"{line.strip()}"
            for line in plan
            if "demands_demand" in line and "Scan" in line
        ]
        scans += [line.strip() for line in plan if line.startswith("Execution Time")]
    EXPLAIN_DIR.mkdir(parents=True, exist_ok=True)
    (EXPLAIN_DIR / f"{label}.txt").write_text("\n".join(lines))
    return scans


def bench_campaign(campaign: Campaign, iterations: int) -> list[tuple[str, ...]]:
    client = Client()
    director = director_of(campaign)
    client.force_login(director)
    count = Demand.objects.filter(campaign=campaign).count()
    some = Demand.objects.filter(campaign=campaign).order_by("pk").first()
    assert some is not None
    unit = (
        Demand.objects.filter(campaign=campaign, unit__isnull=False)
        .values_list("unit", flat=True)
        .first()
    )
    recent = Demand.objects.filter(campaign=campaign).latest("submitted_at")
    month_end = recent.submitted_at.date()
    month_start = month_end.replace(day=1)
    screens = {
        "bare floor (1 pk query)": f"/bench/bare/{some.pk}/",
        "figures, whole campaign": f"/admin/demands/metrics/?campaign={campaign.pk}",
        "figures, one month": (
            f"/admin/demands/metrics/?campaign={campaign.pk}"
            f"&start={month_start}&end={month_end}"
        ),
        "figures, .xlsx export": (
            f"/admin/demands/metrics/export.xlsx?campaign={campaign.pk}"
        ),
        "office list, first page": "/admin/demands/",
        "office list, status=dispatched": "/admin/demands/?status=dispatched",
        "office list, one unit": f"/admin/demands/?unit={unit}",
        "office list, overdue": "/admin/demands/?overdue=on",
    }
    rows: list[tuple[str, ...]] = []
    floor = None
    for label, url in screens.items():
        median, p95 = summary(timed(get(client, url), iterations))
        floor = floor or median
        rows.append(
            (
                f"{count:,}",
                label,
                f"{median:.1f}",
                f"{p95:.1f}",
                f"{median / floor:.1f}×",
            )
        )
    # the database part alone
    month = metrics.Period(month_start, month_end)
    visible = demands_for_user(director).select_related("unit")
    database = {
        "DB only: figures report, whole campaign": lambda: metrics.report(campaign),
        "DB only: figures report, one month": lambda: metrics.report(
            campaign, period=month
        ),
        "DB only: list first page": lambda: list(
            visible.order_by("-submitted_at", "-pk")[:51]
        ),
    }
    for label, call in database.items():
        median, p95 = summary(timed(call, iterations))
        rows.append((f"{count:,}", label, f"{median:.1f}", f"{p95:.1f}", ""))
    if connection.vendor == "postgresql":
        slug = campaign.slug
        for label, url in list(screens.items())[1:]:
            if "xlsx" in url:
                continue
            name = f"{slug}-" + label.replace(", ", "-").replace(" ", "_").replace(
                "=", "-"
            )
            for line in explain(name, get(client, url)):
                print(f"  [{name}] {line}")
    return rows


def campaign_of_size(size: int, units: int) -> Campaign:
    """The campaign ``bench-<size>``, generated (500 units, a year to 2025-06-30)
    the first time."""
    slug = f"bench-{size}"
    if not Demand.objects.filter(campaign__slug=slug).exists():
        call_command(
            "generate_demands",
            f"--units={units}",
            f"--demands={size}",
            f"--campaign={slug}",
            "--until=2025-06-30",
        )
    return Campaign.objects.get(slug=slug)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        type=int,
        action="append",
        help="Demands in the campaign measured (repeat; default 10000 and 100000).",
    )
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=30)
    options = parser.parse_args()
    print(f"database: {connection.vendor}, {os.cpu_count()} CPUs")
    print("| demands | screen | median ms | p95 ms | × floor |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for size in options.size or [10_000, 100_000]:
        campaign = campaign_of_size(size, options.units)
        for row in bench_campaign(campaign, options.iterations):
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
