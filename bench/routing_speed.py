"""How fast the routing model suggests and trains, in-process (no database).

    .venv/bin/python bench/routing_speed.py [--train 100000]

Trains on the labelled set in ``bench/routing`` (and its catalogue), then times one
suggestion with its words for each of the set's 420 texts (after one warm-up call,
which loads jieba's dictionary). ``--train N`` also times a training on N demands:
the labelled texts repeated with a number appended (a different text each, so the
vocabulary grows as with real demands), which measures the time, not the accuracy.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanfu.settings")

import django  # noqa: E402

django.setup()

from demands.routing.engine import Example, Router  # noqa: E402
from demands.routing.evaluation import (  # noqa: E402
    catalogue_examples,
    read_catalogue,
    read_labelled,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", type=int, default=0)
    args = parser.parse_args()
    rows = read_labelled(ROOT / "bench/routing/water_demands.csv")
    catalogue = read_catalogue(ROOT / "bench/routing/water_catalogue.csv")
    examples = [*catalogue_examples(catalogue)]
    examples += [Example(row.text, row.unit) for row in rows]
    started = time.perf_counter()
    router = Router.train(examples)
    seconds = time.perf_counter() - started
    print(f"trained on {len(examples)} examples in {seconds:.2f} s")
    router.suggest("熱身")
    times: list[float] = []
    cpu_started = time.process_time()
    for row in rows:
        started = time.perf_counter()
        router.suggest(row.text)
        times.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / len(rows)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(
        f"suggestion with words, {len(times)} demands: median "
        f"{statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms"
        f" (wall); {cpu:.2f} ms of CPU each on average"
    )
    print(f"model payload: {len(router.dumps()) / 1024:.0f} KiB")
    if args.train:
        many = [
            Example(f"{rows[i % len(rows)].text}（{i}）", rows[i % len(rows)].unit)
            for i in range(args.train)
        ]
        started, cpu_started = time.perf_counter(), time.process_time()
        big = Router.train([*catalogue_examples(catalogue), *many], min_df=2)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        print(
            f"trained on {args.train} demands in {seconds:.1f} s "
            f"({cpu_seconds:.1f} s of CPU)"
        )
        print(f"model payload: {len(big.dumps()) / 1024:.0f} KiB")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
