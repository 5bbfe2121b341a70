"""Recount a campaign's figures rollup (``DemandDayStat`` and the sums of its days,
``DemandMonthStat``) from its demands: after demands were written behind the
actions' back (a bulk load, a data fix)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from demands import rollup


class Command(BaseCommand):
    help = "Recount the figures rollup of a campaign from its demands."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", required=True, help="Campaign slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(_("No campaign has this slug."))
        started = time.monotonic()
        rows = rollup.rebuild(campaign.pk)
        self.stdout.write(
            _("%(rows)d rows for campaign %(slug)s in %(seconds).1f s")
            % {
                "rows": rows,
                "slug": campaign.slug,
                "seconds": time.monotonic() - started,
            }
        )
