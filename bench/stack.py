"""Throughput through nginx with two app servers: the column's list page and the
demand intake (``POST /api/v1/demands``), each against a bare Django view through
the same nginx, in the same run, with the load average beside each figure.

Run from the project root::

    .venv/bin/python bench/stack.py [--seconds 10 --rounds 2 --threads 8]

It starts a private stack (``deploy/stack.py --private``: its own PostgreSQL and
Redis on free ports, two gunicorn app servers with one sync worker per core, the task
worker, nginx) with the settings ``bench.settings`` (the project's, plus the bare
views and a public rate limit out of reach), measures, and stops all of it. The
floors are ``/bench/bare-page/<size>/`` (a template rendered to the column page's
size, no database) and ``/bench/bare-write/`` (parse a JSON body, INSERT one row).
Targets alternate (floor, page, floor, page) after a warm-up. The client threads run
on the same machine and take part of its CPU.

Nothing here is a test: tests check correctness, this measures.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import column, intake  # noqa: E402
from deploy.stack import running  # noqa: E402


def loadavg() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.threads <= 64 or not 1 <= args.rounds <= 10:
        parser.error("--threads is 1..64 and --rounds 1..10")
    state = ROOT / "var" / "bench-stack"
    rows: list[tuple[str, tuple[float, float, float, int], str]] = []
    with running(
        ["--private", "--state", str(state), "--settings", "bench.settings"]
    ) as stack:
        port = stack.data["nginx_port"]
        status, page = column.fetch(port, column.COLUMN_PATH)
        assert status == 200, status
        bare_page = f"/bench/bare-page/{len(page)}/"
        campaign = "sanfu-2007"
        api = intake.api_body(campaign, None)
        gets = {"column list": column.COLUMN_PATH, "bare page": bare_page}
        posts = {
            "POST /api/v1/demands": (intake.API_PATH, api),
            "bare POST": (intake.FLOOR_PATH, intake.floor_body),
        }
        common = {"threads": args.threads}
        for path in gets.values():
            column.load(port, "warm-up", path, seconds=args.warmup, **common)
        for path, body in posts.values():
            intake.load(port, "warm-up", path, body, seconds=args.warmup, **common)
        phases: dict[str, list[intake.Phase]] = {label: [] for label in gets}
        phases.update({label: [] for label in posts})
        loads: dict[str, list[str]] = {label: [] for label in phases}
        timed = {**common, "seconds": args.seconds}
        for n in range(args.rounds):
            for label in ("bare page", "column list"):
                name = f"{label} {n}"
                phases[label].append(column.load(port, name, gets[label], **timed))
                loads[label].append(loadavg())
            for label in ("bare POST", "POST /api/v1/demands"):
                path, body = posts[label]
                name = f"{label} {n}"
                phases[label].append(intake.load(port, name, path, body, **timed))
                loads[label].append(loadavg())
        for label, measured in phases.items():
            rows.append((label, intake.summary(measured), ", ".join(loads[label])))
        workers = os.cpu_count()
    print(
        f"\nnginx → 2 gunicorn app servers × {workers} sync workers, "
        f"{args.threads} client threads, {args.rounds} × {args.seconds:.0f} s per "
        f"target, column page {len(page)} bytes\n"
    )
    print("| target | req/s | median ms | p95 ms | errors | load avg (1/5/15 min) |")
    print("|---|---:|---:|---:|---:|---|")
    for label, (rps, median, p95, errors), load in rows:
        print(f"| {label} | {rps:.1f} | {median:.1f} | {p95:.1f} | {errors} | {load} |")
    by_label = {label: figures[0] for label, figures, _ in rows}
    for page_label, floor_label in (
        ("column list", "bare page"),
        ("POST /api/v1/demands", "bare POST"),
    ):
        floor = by_label[floor_label]
        ratio = by_label[page_label] / floor if floor else float("nan")
        print(f"{page_label} / {floor_label}: {ratio:.0%} of the floor's throughput")


if __name__ == "__main__":
    main()
