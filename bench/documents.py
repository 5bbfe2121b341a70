"""How long each document takes to make, and how long its URL takes to answer.

Run from the project root against the demo (``make demo``; by default the SQLite
database ``make run`` uses, copied aside so the site's own files are not touched)::

    .venv/bin/python bench/documents.py [--iterations 5]

Renders: each kind of document made by its own function, cold (the first in a fresh
process, as a restarted worker met it; each kind in a process of its own), after the
worker's warm-up (``sanfu``'s ``db_worker``: Wagtail's hooks, one WeasyPrint line,
jieba's dictionaries; the warm-up's own time is printed), and warm (median of
``--iterations`` more in the same process, with its CPU time: on a shared, loaded
host the wall time is mostly waiting for a core).

Requests: each document URL through Django's test client (as ``run.py`` does), as
the demo account that uses it, in a fresh process: the first request, then the
median and 95th percentile of ``--iterations`` more, against the bare floor
(``/bench/bare/<pk>/``, one primary-key query) in the same run. A briefing's file is
asked for twice: before the worker made it (the "being prepared" answer) and after.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ["briefing_docx", "briefing_pdf", "briefing_wallboard", "weekly", "phase"]
KINDS += ["circular", "notice"]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanfu.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def renderer(kind: str) -> Callable[[], Any]:
    """The function that makes one document of ``kind`` from the demo's data."""
    import datetime

    from django.utils import timezone, translation

    from campaigns.models import Campaign
    from publicity.briefings import files
    from publicity.models import BriefingPage

    campaign = Campaign.objects.order_by("starts_on").first()
    assert campaign is not None, "load the demo first (make demo)"
    if kind.startswith("briefing_"):
        page = BriefingPage.objects.live().first()
        assert page is not None

        def briefing() -> Any:
            with translation.override("zh-hans"):
                return files.render(page, kind.removeprefix("briefing_"))

        return briefing
    if kind in ("weekly", "phase"):
        from dashboard import reports
        from dashboard.figures import cockpit_figures

        phase = campaign.phases.order_by("sequence").first()  # type: ignore[attr-defined]
        assert phase is not None

        def report() -> Any:
            if kind == "weekly":
                end = timezone.localdate()
                start = end - datetime.timedelta(days=6)
                figures = cockpit_figures(campaign, start=start, end=end)
                return reports.weekly_report(figures)
            figures = cockpit_figures(
                campaign, start=phase.starts_on, end=phase.ends_on
            )
            return reports.phase_report(phase, figures)

        return report
    if kind == "circular":
        from evaluation import documents
        from evaluation.models import IndicatorSet

        indicator_set = IndicatorSet.objects.filter(campaign=campaign).first()
        assert indicator_set is not None
        month = campaign.starts_on.replace(day=1)
        return lambda: documents.monthly_circular(indicator_set, month)
    from demands.documents import notice_docx
    from demands.models import Demand
    from org.models import Unit

    demand = Demand.objects.first()
    unit = Unit.objects.filter(depth__gt=1).first() or Unit.objects.first()
    assert demand is not None and unit is not None
    return lambda: notice_docx(
        demand,
        kind="reminder",
        unit=unit,
        deadline=timezone.now(),
        now=timezone.now(),
    )


def render_times(kind: str, iterations: int, warm_first: bool) -> dict[str, Any]:
    """In this (fresh) process: the first render, then the median of the next."""
    setup()
    made = renderer(kind)
    out: dict[str, Any] = {}
    if warm_first:
        from sanfu.management.commands.db_worker import warm_up

        started = time.perf_counter()
        warm_up()
        out["warm_up"] = time.perf_counter() - started
    started = time.perf_counter()
    made()
    out["first"] = time.perf_counter() - started
    times, cpu = [], []
    for _ in range(iterations):
        started, cpu_started = time.perf_counter(), time.process_time()
        made()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    times.sort()
    cpu.sort()
    out["warm"] = times[len(times) // 2]
    out["warm_cpu"] = cpu[len(cpu) // 2]
    return out


def request_times(iterations: int) -> list[tuple[str, float, float, float, int]]:
    """(URL, first, median, p95, status of the last) for every document URL."""
    setup()
    from django.conf import settings
    from django.test import Client

    from bench.run import summary, timed
    from campaigns.models import Campaign
    from demands.models import Demand, ReminderNotice
    from evaluation.models import IndicatorSet
    from org.models import Person
    from publicity.briefings import files
    from publicity.briefings.models import BriefingFile, FileState
    from publicity.models import BriefingPage

    settings.ROOT_URLCONF = "bench.urls"
    campaign = Campaign.objects.order_by("starts_on").first()
    assert campaign is not None
    page = BriefingPage.objects.live().first()
    assert page is not None
    phase = campaign.phases.order_by("sequence").first()  # type: ignore[attr-defined]
    assert phase is not None
    indicator_set = IndicatorSet.objects.filter(campaign=campaign).first()
    assert indicator_set is not None
    notice = ReminderNotice.objects.first()
    some = Demand.objects.order_by("pk").first()
    assert some is not None

    def client_of(username: str) -> Client:
        client = Client()
        client.force_login(Person.objects.get(username=username))
        return client

    publicity, director = client_of("xuanchuan"), client_of("caishangtu")
    rows: list[tuple[str, float, float, float, int]] = []

    def measure(label: str, client: Client, url: str) -> None:
        started = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - started
        status = response.status_code
        times = timed(lambda: client.get(url), iterations, warmup=1)
        median, p95 = summary(times)
        rows.append((label, first * 1000, median, p95, status))

    measure("floor /bench/bare/<pk>/", director, f"/bench/bare/{some.pk}/")
    base = f"/column/briefings/{page.pk}"
    BriefingFile.objects.filter(briefing=page).delete()  # not made yet
    for kind in ("pdf", "wallboard", "docx"):
        measure(f"briefing {kind}, being prepared", publicity, f"{base}/{kind}/")
    measure("briefing pdf status", publicity, f"{base}/pdf/status/")
    for pk in BriefingFile.objects.filter(state=FileState.QUEUED).values_list(
        "pk", flat=True
    ):
        files.make_file(pk)  # the worker
    for kind in ("pdf", "wallboard", "docx"):
        measure(f"briefing {kind}, made", publicity, f"{base}/{kind}/")
    measure(
        "weekly report page (the job makes the .docx)",
        director,
        f"/admin/cockpit/weekly-report.docx?campaign={campaign.pk}",
    )
    measure(
        "phase report .docx", director, f"/admin/cockpit/phase-{phase.pk}-report.docx"
    )
    month = campaign.starts_on.strftime("%Y-%m")
    measure(
        "evaluation circular .docx",
        director,
        f"/admin/evaluation/sets/{indicator_set.pk}/circular.docx?month={month}",
    )
    if notice is not None:
        measure(
            "reminder notice .docx (stored)",
            director,
            f"/admin/demands/follow-up/notices/{notice.pk}/download/",
        )
    return rows


def in_fresh_process(*args: str, env: dict[str, str]) -> Any:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--render", help=argparse.SUPPRESS)
    parser.add_argument("--warm-first", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requests", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.render:
        print(
            json.dumps(
                render_times(options.render, options.iterations, options.warm_first)
            )
        )
        return
    if options.requests:
        print(json.dumps(request_times(options.iterations)))
        return

    aside = Path(tempfile.mkdtemp(prefix="sanfu-bench-documents-"))
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        shutil.copy(ROOT / "var" / "sanfu.sqlite3", aside / "sanfu.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{aside / 'sanfu.sqlite3'}"
    env["PRIVATE_MEDIA_ROOT"] = str(aside / "private")
    env["SANFU_TASKS_BACKEND"] = "database"  # nothing made in the request
    try:
        print("Renders (s): cold | warm-up, then first | warm (median), its CPU time")
        for kind in KINDS:
            cold = in_fresh_process("--render", kind, "--iterations", "3", env=env)
            warmed = in_fresh_process(
                "--render", kind, "--iterations", "1", "--warm-first", env=env
            )
            print(
                f"  {kind:20} {cold['first']:6.2f} | {warmed['warm_up']:5.2f}, "
                f"{warmed['first']:6.2f} | {cold['warm']:6.2f}, {cold['warm_cpu']:5.2f}"
            )
        print("Requests (ms): first | median | p95 | status")
        rows = in_fresh_process(
            "--requests", "--iterations", str(options.iterations), env=env
        )
        floor = rows[0][2]
        for label, first, median, p95, status in rows:
            print(
                f"  {label:36} {first:8.1f} | {median:7.1f} | {p95:7.1f} | {status}"
                f"  ({median / floor:.1f}× floor)"
            )
    finally:
        shutil.rmtree(aside, ignore_errors=True)


if __name__ == "__main__":
    main()
