"""Remind the ledgers' owners of near and passed deadlines; safe to run every few
minutes."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgers.sweeps import sweep


class Command(BaseCommand):
    help = (
        "Tell the owners of rectification measures, practical deeds and meeting "
        "decisions that a deadline is near or has passed, once per deadline."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep(timezone.now())
        self.stdout.write(
            _("deadlines near: %(near)d, deadlines passed: %(passed)d")
            % {"near": result.near, "passed": result.passed}
        )
