"""Run the demands' clock-driven sweeps; safe to run every few minutes."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from demands.sweeps import sweep


class Command(BaseCommand):
    help = (
        "Close unrated demands, issue reminder notices and circulars, and schedule "
        "return visits that are due, erase personal data past its retention, and "
        "make up duplicate checks that were lost."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep(timezone.now())
        self.stdout.write(
            _(
                "closed unrated: %(closed)d, reminders: %(reminders)d, "
                "circulars: %(circulars)d, return visits: %(visits)d, "
                "personal data erased: %(erased)d, duplicate checks made up: "
                "%(checked)d"
            )
            % {
                "closed": result.closed_unrated,
                "reminders": result.reminders,
                "circulars": result.circulars,
                "visits": result.return_visits,
                "erased": result.erased,
                "checked": result.duplicates_checked,
            }
        )
        self.stdout.write(
            _("supervisions escalated: %(escalated)d")
            % {"escalated": result.escalations}
        )
