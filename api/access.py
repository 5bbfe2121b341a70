"""Who may hold an API token, and whose tokens a person sees and revokes.

The API is for systems that take demands in, dispatch them and answer them: the
office's own hotline system, and a unit's case system answering the demands
dispatched to it. So a token is held only by the office of a campaign
(``TOKEN_CAMPAIGN_ROLES``) and by a unit's head and liaison (``TOKEN_UNIT_ROLES``),
and by superusers. The leading group, the publicity group and unit staff watch or
work in the back office and hold none. A token whose person no longer holds such a
role is refused as if it did not exist.

The office of a campaign sees every token of the campaign's people (those seated
in its bodies and the members of its organisation's units) and revokes any of
them; everyone else sees and revokes their own.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from api.models import ApiToken
from campaigns.models import Position
from campaigns.roles import UNIT_WRITE_ROLES
from demands.access import OFFICE_ROLES
from org.models import Membership

# The one rule: the roles that may hold an API token.
TOKEN_CAMPAIGN_ROLES = frozenset(OFFICE_ROLES)
TOKEN_UNIT_ROLES = frozenset(UNIT_WRITE_ROLES)


def _holds_token_role(person: Any) -> Q:
    """A condition on people (``person`` an OuterRef or a pk): holds a token role."""
    return Q(
        Exists(Position.objects.filter(person=person, role__in=TOKEN_CAMPAIGN_ROLES))
    ) | Q(Exists(Membership.objects.filter(person=person, role__in=TOKEN_UNIT_ROLES)))


def may_hold_token(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        Position.objects.filter(person=user, role__in=TOKEN_CAMPAIGN_ROLES).exists()
        or Membership.objects.filter(person=user, role__in=TOKEN_UNIT_ROLES).exists()
    )


def valid_tokens() -> QuerySet[ApiToken]:
    """Tokens that authenticate now: not revoked, not expired, their person active
    and a superuser or still holding a token role (one query with the token)."""
    return ApiToken.objects.active().filter(
        Q(user__is_superuser=True) | _holds_token_role(OuterRef("user"))
    )


def tokens_for_user(user: Any, *, write: bool = False) -> QuerySet[ApiToken]:
    """Tokens a person sees (with ``write``: may revoke): their own; the office's,
    all of its campaigns' people; a superuser's, all."""
    if not user.is_authenticated or not user.is_active:
        return ApiToken.objects.none()
    if user.is_superuser:
        return ApiToken.objects.all()
    campaigns = Position.objects.filter(
        person=user, role__in=TOKEN_CAMPAIGN_ROLES
    ).values("body__campaign")
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
    seat = (
        Position.objects.filter(person=token.user_id)
        .values_list("body__campaign__organisation", flat=True)
        .first()
    )
    if seat is not None:
        return int(seat)
    unit = (
        Membership.objects.filter(person=token.user_id)
        .values_list("unit__organisation", flat=True)
        .first()
    )
    return None if unit is None else int(unit)


def may_revoke_token(user: Any, token: ApiToken) -> bool:
    return tokens_for_user(user, write=True).filter(pk=token.pk).exists()
