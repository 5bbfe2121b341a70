"""Who may hold an API token, and whose tokens a person sees and revokes.

The API is for systems that take demands in, dispatch them and answer them: the
office's own hotline system, and a unit's case system answering the demands
dispatched to it. So a token is held only by the office of a campaign
(``seats.OFFICE``) and by a unit's head and liaison (``seats.UNIT_WRITERS``), and
by superusers. The leading group, the publicity group and unit staff watch or
work in the back office and hold none. A token whose person no longer holds such a
role is refused as if it did not exist.

The office of a campaign sees every token of the campaign's people (those seated
in its bodies and the members of its organisation's units) and revokes any of
them; everyone else sees and revokes their own.
"""

from django.db.models import Q, QuerySet

from api.models import ApiToken
from campaigns import seats
from campaigns.models import Position
from org.actors import Viewer
from org.models import Membership


def may_hold_token(user: Viewer) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held = seats.seats_of(user)
    return bool(held.campaign_ids(seats.OFFICE) or held.unit_ids(seats.UNIT_WRITERS))


def valid_tokens() -> QuerySet[ApiToken]:
    """Tokens that authenticate now: not revoked, not expired, their person active
    and a superuser or still holding a token role (one query with the token)."""
    return ApiToken.objects.active().filter(
        Q(user__is_superuser=True)
        | seats.held_by("user", seats.OFFICE, seats.UNIT_WRITERS)
    )


def tokens_for_user(user: Viewer, *, write: bool = False) -> QuerySet[ApiToken]:
    """Tokens a person sees (with ``write``: may revoke): their own; the office's,
    all of its campaigns' people; a superuser's, all."""
    if not user.is_authenticated or not user.is_active:
        return ApiToken.objects.none()
    if user.is_superuser:
        return ApiToken.objects.all()
    campaigns = seats.seats_of(user).campaign_ids(seats.OFFICE)
    seated = Position.objects.filter(body__campaign__in=campaigns).values("person")
    members = Membership.objects.filter(
        unit__organisation__campaigns__in=campaigns
    ).values("person")
    return ApiToken.objects.filter(
        Q(user=user) | Q(user__in=seated) | Q(user__in=members)
    )


def token_organisation(token: ApiToken) -> int | None:
    """The organisation whose offices see the token in their trail: that of the
    campaign its person sits in, else of the unit it belongs to."""
    return seats.home_organisation(token.user_id)


def may_revoke_token(user: Viewer, token: ApiToken) -> bool:
    return tokens_for_user(user, write=True).filter(pk=token.pk).exists()
