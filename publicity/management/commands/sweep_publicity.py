"""Run the column's clock-driven sweeps; safe to run every few minutes."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from publicity.sweeps import erase_expired_objection_contacts


class Command(BaseCommand):
    help = "Erase the names and phones of objections past their retention."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erase_expired_objection_contacts(timezone.now())
        self.stdout.write(_("objection contacts erased: %(count)d") % {"count": erased})
