"""The column through a real server: the column's list page and an article page
against a bare Django view rendering a template of the same size with no database,
in the same run; then a publish, which must show in the list at once.

Run from the project root (PostgreSQL; migrated and given the demo campaign here)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanfu_bench_column \\
        .venv/bin/python bench/column.py

It starts gunicorn as ``bench/intake.py`` does (sync workers, ``DEBUG`` off,
``bench.settings``), measures the byte size of each page, and GETs each target for a
fixed time with client threads, floor and page in alternation after a warm-up. The
floor is ``/bench/bare-page/<size>/`` (``bench/urls.py``). At the end it approves a
waiting submission of the demo (as the publicity group, through
``publicity.actions``) and reads the list once more: the new title must be there in
the very next response: the pages are served whole from the cache to anonymous
readers (``publicity.page_cache``), and the publish bumps the version every stored
page is checked against. Set ``REDIS_URL`` to measure the cache production uses
(shared by the workers, the version read with the page in one round trip); without
it each worker keeps its own pages in memory and reads the version from the
database.

Nothing here is a test: tests check correctness, this measures.
"""

import argparse
import http.client
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import (  # noqa: E402
    HOST,
    MAX_PHASE_REQUESTS,
    MAX_PHASE_SECONDS,
    Phase,
    free_port,
    server_env,
    start_server,
    stop_server,
    summary,
    wait_ready,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sanfu_bench_column"
COLUMN_PATH = "/dangqun/sanfu-2007/"


def prepare(env: dict[str, str]) -> str:
    """Migrate, load the demo when missing; the path of one live article."""
    import subprocess

    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from publicity.models import ArticlePage, CampaignPage

    if not CampaignPage.objects.filter(slug="sanfu-2007").exists():
        subprocess.run([*manage, "load_demo"], env=env, check=True)
    article = ArticlePage.objects.live().order_by("-published_on").first()
    assert article is not None
    path = quote(article.url_path.removeprefix("/home"))
    connection.close()
    return path


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def load(port: int, label: str, path: str, *, threads: int, seconds: float) -> Phase:
    seconds = min(seconds, MAX_PHASE_SECONDS)
    phase = Phase(label)
    lock = threading.Lock()
    budget = MAX_PHASE_REQUESTS // threads
    started = time.perf_counter()
    deadline = started + seconds

    def client() -> None:
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        for _ in range(budget):
            if time.perf_counter() >= deadline:
                break
            begin = time.perf_counter()
            try:
                status, _body = fetch(port, path)
            except (OSError, http.client.HTTPException):
                status = 0
            statuses[status] += 1
            if status == 200:
                latencies.append((time.perf_counter() - begin) * 1000)
        with lock:
            phase.latencies.extend(latencies)
            phase.statuses.update(statuses)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 60)
    phase.seconds = time.perf_counter() - started
    return phase


def publish_one() -> str:
    """Approve a waiting demo submission as the publicity group; its title."""
    from django.db import connection
    from wagtail.models import WorkflowState

    from org.models import Person
    from publicity import actions
    from publicity.models import ArticlePage

    editor = Person.objects.get(username="xuanchuan")
    waiting = WorkflowState.objects.filter(status="in_progress").values("object_id")
    page = ArticlePage.objects.filter(
        pk__in=[int(row["object_id"]) for row in waiting]
    ).first()
    if page is None:  # an earlier run used it: write and submit another
        liaison = Person.objects.get(username="shuizheng_liaison")
        column = ArticlePage.objects.live().first().get_parent().specific
        page = actions.save_draft(
            column,
            actions.ArticleDraft(
                title=f"基准测试报道{int(time.time())}",
                category="activities",
                summary="",
                body="<p>基准测试。</p>",
            ),
            unit=liaison.memberships.get().unit,
            actor=liaison,
        )
        actions.submit_article(page, actor=liaison)
    actions.approve_article(page, actor=editor)
    title = page.title
    connection.close()
    return title


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.threads <= 64 or not 1 <= args.rounds <= 10:
        parser.error("--threads is 1..64 and --rounds 1..10")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    env = server_env(database_url, int(os.environ.get("DATABASE_CONN_MAX_AGE") or 0))
    article_path = prepare(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    results: list[tuple[str, int, tuple, tuple]] = []
    visible = "not measured"
    try:
        wait_ready(server, port, timeout=180)
        for label, path in (("column list", COLUMN_PATH), ("article", article_path)):
            status, body = fetch(port, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            floor_path = f"/bench/bare-page/{len(body)}/"
            load(port, "warm-up", path, threads=args.threads, seconds=args.warmup)
            load(port, "warm-up", floor_path, threads=args.threads, seconds=args.warmup)
            floors, pages = [], []
            for n in range(args.rounds):
                floors.append(
                    load(
                        port,
                        f"floor {n}",
                        floor_path,
                        threads=args.threads,
                        seconds=args.seconds,
                    )
                )
                pages.append(
                    load(
                        port,
                        f"{label} {n}",
                        path,
                        threads=args.threads,
                        seconds=args.seconds,
                    )
                )
            results.append((label, len(body), summary(floors), summary(pages)))
            print(
                f"  {label}: {summary(pages)[0]:.1f} req/s, floor "
                f"{summary(floors)[0]:.1f} req/s ({len(body)} bytes)"
            )
        title = publish_one()
        _status, body = fetch(port, COLUMN_PATH)
        from text.script import to_simplified

        visible = "yes" if to_simplified(title) in body.decode() else "NO"
    finally:
        stop_server(server)
    print(
        f"\ngunicorn sync x{args.workers}, {args.threads} client threads, "
        f"{args.seconds:.0f} s x {args.rounds} per target, {os.cpu_count()} CPUs, "
        f"cache: {'Redis' if env.get('REDIS_URL') else 'each process memory'}, "
        f"load average {' '.join(f'{n:.1f}' for n in os.getloadavg())}"
    )
    print("\n| page | bytes | req/s | median ms | p95 ms | floor req/s | page/floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, size, floor, page in results:
        ratio = page[0] / floor[0] if floor[0] else float("nan")
        print(
            f"| {label} | {size} | {page[0]:.1f} | {page[1]:.1f} | {page[2]:.1f} "
            f"| {floor[0]:.1f} | {ratio:.0%} |"
        )
    print(f"\nA publish shows in the very next list response: {visible}")


if __name__ == "__main__":
    main()
