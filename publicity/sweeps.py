"""What happens to the column's records by the clock, run every few minutes by
``manage.py sweep_publicity``: objections to advanced models lose their authors'
name and phone once their retention has passed."""

import datetime

from django.conf import settings
from django.db.models import Q

from core.errors import Conflict
from publicity import actions
from publicity.models import Objection


def erase_expired_objection_contacts(now: datetime.datetime) -> int:
    """Erase the contacts of objections filed longer ago than the retention."""
    days = settings.SANFU_OBJECTION_RETENTION_DAYS
    expired = (
        Objection.objects.filter(submitted_at__lte=now - datetime.timedelta(days=days))
        .exclude(Q(name="") & Q(phone=""))
        .order_by("pk")
    )
    erased = 0
    for objection in expired.iterator(chunk_size=500):
        try:
            actions.erase_objection_contacts(objection, now=now)
        except Conflict:
            continue  # erased by a run at the same time
        erased += 1
    return erased
