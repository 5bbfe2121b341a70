"""Fail the background jobs whose worker stopped mid-way; safe to run every few
minutes."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.actions import fail_stale_jobs


class Command(BaseCommand):
    help = "Fail background jobs that a worker took and never ended (to retry them)."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = fail_stale_jobs(timezone.now())
        self.stdout.write(_("stale jobs failed: %(count)d") % {"count": failed})
