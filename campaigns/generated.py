"""What the benchmark generators (``generate_demands``, ``generate_ledgers``,
``generate_articles``, ``generate_scale``) share: their common arguments and the
campaign they add to."""

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser

from campaigns.models import Campaign


def add_campaign_arguments(parser: CommandParser) -> None:
    """``--campaign``, ``--seed`` and ``--until``."""
    parser.add_argument("--campaign", required=True, help="Campaign slug.")
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument(
        "--until",
        type=datetime.date.fromisoformat,
        default=None,
        help=(
            "Last day of the simulated year (default: the campaign's end; "
            "today for a campaign generate_demands creates)."
        ),
    )


def add_arguments(
    parser: CommandParser, *, count: str, default: int, batch: int
) -> None:
    """The campaign's arguments, ``--<count>`` and ``--batch``."""
    add_campaign_arguments(parser)
    parser.add_argument(f"--{count}", type=int, default=default)
    parser.add_argument("--batch", type=int, default=batch)


def generated_campaign(options: dict[str, Any], count: str) -> Campaign:
    """The campaign named by ``--campaign``, once the counts are checked."""
    if options[count] < 0 or options["batch"] < 1:
        raise CommandError(f"--{count} must not be negative, --batch must be positive")
    campaign = Campaign.objects.filter(slug=options["campaign"]).first()
    if campaign is None:
        raise CommandError(
            f"No campaign {options['campaign']!r}: run generate_demands first."
        )
    return campaign
