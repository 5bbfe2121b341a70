"""Counting a long loop for a progress bar."""

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
Report = Callable[[int, int], None]


def counted(
    items: Iterable[T], total: int, report: Report, every: int = 500
) -> Iterator[T]:
    """Yield ``items``, calling ``report(done, total)`` every ``every`` items and once
    at the end."""
    done = 0
    report(0, total)
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            report(done, max(total, done))
    report(done, max(total, done))


def part(report: Report, index: int, parts: int) -> Report:
    """``report`` for step ``index`` (from 0) of ``parts`` equal steps: the step's
    own (done, total) become the whole job's, so a bar runs once through them all."""

    def step(done: int, total: int) -> None:
        scale = 1000
        share = done * scale // total if total else scale
        report(index * scale + share, parts * scale)

    return step
