"""Readings of articles, gathered in the app server's memory and written in batches.

An article served from the page cache costs no database query; writing its reading
at once would cost an UPDATE and a commit per request. Readings are added up per
article and day here and written at most every ``SANFU_READINGS_FLUSH_SECONDS`` (by
the request that finds the interval over, and when the process exits). A process
killed outright loses at most that many seconds of readings: they are statistics,
not records.
"""

import atexit
import datetime
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: Counter[tuple[int, datetime.date]] = Counter()
_last_write = time.monotonic()


def count_reading(page_id: int) -> None:
    """One reading of a live article today."""
    day = timezone.localdate()
    with _lock:
        _pending[(page_id, day)] += 1
        due = time.monotonic() - _last_write >= settings.SANFU_READINGS_FLUSH_SECONDS
    if due:
        write_readings()


def write_readings() -> None:
    """Write the readings gathered so far."""
    global _last_write
    from publicity.actions import add_hits

    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_write = time.monotonic()
    for (page_id, day), hits in sorted(batch.items()):
        add_hits(page_id, day, hits)


def _write_at_exit() -> None:
    try:
        write_readings()
    except Exception:  # the database may already be gone at shutdown
        logger.exception("article readings not written at exit")


atexit.register(_write_at_exit)
