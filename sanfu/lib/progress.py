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
