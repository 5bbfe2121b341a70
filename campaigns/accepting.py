"""The open campaign a public submission names, without a query for each one.

Every submission through the API names its campaign by slug. On a new database
connection (production keeps one for a minute, the benchmarks open one per
request) that lookup was the dearest statement of a submission (figures in
``bench/results.md``): the first read of any table costs a new connection more
than a round trip, the campaign table's most. Campaigns change a few times a year,
so each process keeps the open campaigns it has read for ``KEPT_SECONDS``:

- a change saved or deleted in this process is seen at once (the signals below
  empty what it keeps, and again when the change commits);
- one made in another process is seen within ``KEPT_SECONDS``: a campaign just
  closed there may take submissions here for that long. They are filed as any
  other, and the office deals with them as with a late letter. One just deleted
  there (a campaign with no demand yet) fails a submission here at its commit,
  where the demand's key to it is checked, and nothing is written:
  ``still_exists`` tells the caller so.

Only campaigns that were found are kept, so slugs sent by anyone cannot fill the
memory; each caller gets its own copy of the row.
"""

import copy
import threading
import time
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns.models import Campaign

KEPT_SECONDS = 5.0

_lock = threading.Lock()
_kept: dict[str, tuple[float, Campaign]] = {}


def accepting_campaign(slug: str) -> Campaign | None:
    """The campaign under way with this slug, or None."""
    now = time.monotonic()
    kept = _kept.get(slug)
    if kept is not None and now - kept[0] < KEPT_SECONDS:
        return copy.copy(kept[1])
    campaign = Campaign.objects.accepting().filter(slug=slug).first()
    with _lock:
        if campaign is None:
            _kept.pop(slug, None)
        else:
            _kept[slug] = (now, campaign)
    return copy.copy(campaign)


def still_exists(campaign: Campaign) -> bool:
    """Whether ``campaign``, as this process kept it, is still in the database;
    asked when a submission to it failed. What was kept is read afresh next time."""
    forget()
    return Campaign.objects.filter(pk=campaign.pk).exists()


def forget() -> None:
    """Read every campaign afresh at its next submission."""
    with _lock:
        _kept.clear()


@receiver(post_save, sender=Campaign, dispatch_uid="campaigns.accepting.saved")
@receiver(post_delete, sender=Campaign, dispatch_uid="campaigns.accepting.deleted")
def _campaign_changed(**kwargs: Any) -> None:
    # again once it commits: a submission meanwhile reads the row as it was
    forget()
    transaction.on_commit(forget)
