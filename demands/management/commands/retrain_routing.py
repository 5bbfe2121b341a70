"""Retrain the routing model of every campaign under way whose catalogue or
confirmed dispatches changed; safe to run every round of the clock (a campaign
with nothing new costs a few aggregate queries)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demands.routing.actions import retrain_campaigns


class Command(BaseCommand):
    help = "Retrain the routing models that have new confirmed dispatches to learn."

    def handle(self, *args: Any, **options: Any) -> None:
        made = retrain_campaigns()
        self.stdout.write(_("routing models retrained: %(made)d") % {"made": made})
