"""The rules of an advanced model's procedure, as questions: who casts a ballot,
the tally, and why a step may not be taken now. The actions (publicity.actions)
enforce them; the screens show the same reasons on disabled buttons."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.seats import BALLOT, holders
from publicity import access
from publicity.models import AdvancedModelPage, BallotChoice, ModelStage


def ballot_members(page: AdvancedModelPage) -> QuerySet[Any]:
    """Who casts a ballot on the nomination: its campaign's leading group."""
    column = access.column_of(page)
    if column is None:
        return get_user_model().objects.none()
    return holders(column.campaign_id, BALLOT)


@dataclass(frozen=True)
class Tally:
    members: int
    cast: int
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def complete(self) -> bool:
        return self.members > 0 and self.cast >= self.members

    @property
    def quorum(self) -> bool:
        """More than half of the members have voted: the vote may be closed."""
        return self.cast * 2 > self.members


def tally(page: AdvancedModelPage) -> Tally:
    """The ballots cast so far, counted (the members who left the leading group
    since are not counted)."""
    members = ballot_members(page)
    choices = list(
        page.ballots.filter(voter__in=members).values_list("choice", flat=True)
    )
    return Tally(
        members=members.count(),
        cast=len(choices),
        votes_for=choices.count(BallotChoice.FOR),
        votes_against=choices.count(BallotChoice.AGAINST),
        abstentions=choices.count(BallotChoice.ABSTAIN),
    )


def close_vote_refusal(page: AdvancedModelPage) -> str | None:
    """Why the vote may not be closed now, or None."""
    if page.stage != ModelStage.NOMINATED:
        return str(_("The vote on this nomination is closed."))
    if not tally(page).quorum:
        return str(_("Fewer than half of the leading group have voted."))
    return None


def award_refusal(page: AdvancedModelPage) -> str | None:
    """Why the model may not be awarded now, or None: the notice must have ended
    and every objection been answered and closed."""
    if page.stage != ModelStage.NOTICE or page.notice_ends_at is None:
        return str(_("Only a model after its public notice can be awarded."))
    if timezone.now() < page.notice_ends_at:
        return str(
            _("The public notice runs until %(ends)s.")
            % {
                "ends": formats.date_format(
                    timezone.localtime(page.notice_ends_at), "Y-m-d H:i"
                )
            }
        )
    open_count = page.objections.filter(closed_at__isnull=True).count()
    if open_count:
        return str(
            ngettext(
                "%(count)d objection is not answered and closed yet.",
                "%(count)d objections are not answered and closed yet.",
                open_count,
            )
            % {"count": open_count}
        )
    return None
