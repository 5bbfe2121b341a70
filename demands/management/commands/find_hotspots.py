"""Group the last complete week's demands of every campaign under way into hotspots
(once a week: a week already done costs one query); ``--campaign SLUG --week
YYYY-MM-DD`` makes one campaign's run of the week holding that day."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from demands.hotspots.actions import find_hotspots, find_weekly


class Command(BaseCommand):
    help = "Find each campaign's hotspots of the last complete week."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", help="The campaign's slug.")
        parser.add_argument("--week", type=datetime.date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["campaign"] is None:
            if options["week"] is not None:
                raise CommandError(_("--week needs --campaign."))
            made = find_weekly()
            self.stdout.write(_("hotspot runs made: %(made)d") % {"made": made})
            return
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(_("No campaign with this slug."))
        run = find_hotspots(campaign, options["week"] or timezone.localdate())
        if run is None:
            self.stdout.write(_("This week's hotspots were found already."))
            return
        self.stdout.write(
            _("%(hotspots)d hotspots among %(demands)d demands in %(seconds).1f s")
            % {
                "hotspots": run.hotspots.count(),
                "demands": run.demands,
                "seconds": run.seconds,
            }
        )
