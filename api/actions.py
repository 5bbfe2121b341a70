"""Writes of the API app: issuing and revoking tokens, and the idempotent public
submission. Demand transitions are demands.actions, called as they are."""

import datetime
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.access import may_hold_token, may_revoke_token, token_organisation
from api.models import (
    ApiToken,
    IdempotencyKey,
    TokenScope,
    check_expiry,
    default_expiry,
    hash_key,
    idempotency_lookup,
    new_key,
    seal,
    unseal,
)
from audit.actions import record
from campaigns.models import Campaign
from core.errors import Conflict
from demands import actions as demand_actions
from demands.models import Demand
from org.models import Person

IDEMPOTENCY_TTL = datetime.timedelta(hours=24)


class IdempotencyMismatch(Exception):
    """The key was used before for a different request."""


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day``, in the installation's time zone."""
    after = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(after)


@transaction.atomic
def issue_token(
    user: Person,
    *,
    name: str,
    actor: Person,
    scope: str = TokenScope.READ,
    expires_on: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token acting as ``user``, valid through ``expires_on`` (90 days from
    today by default); returns it with its key, which is not kept. A person issues
    their own (a superuser anyone's), and only if they may hold one
    (``api.access``)."""
    if actor != user and not actor.is_superuser:
        raise PermissionDenied
    if not may_hold_token(user):
        raise PermissionDenied
    expires_on = expires_on or default_expiry()
    check_expiry(expires_on)
    key = new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_key(key),
        prefix=key[:10],
        scope=TokenScope(scope),
        expires_at=_end_of(expires_on),
    )
    record(
        token,
        "api.token.issue",
        actor=actor,
        data={
            "name": name,
            "scope": token.scope,
            "expires_on": str(expires_on),
            "organisation": token_organisation(token),
        },
    )
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Person) -> ApiToken:
    """Revoke a token: its person's own, or as the office any of its campaign's."""
    if not may_revoke_token(actor, token):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            token,
            "api.token.revoke",
            actor=actor,
            data={
                "name": token.name,
                "person": token.user_id,
                "organisation": token_organisation(token),
            },
        )
    return token


def request_fingerprint(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def submit_demand_once(
    campaign: Campaign,
    *,
    idempotency_key: str,
    fingerprint: str,
    fields: dict[str, Any],
) -> tuple[Demand, str, str]:
    """``demands.actions.submit_demand`` guarded by a client's idempotency key.

    Returns the demand, its query code and the status of the first answer. A retry
    with the same key and request gets the first answer; with another request,
    ``IdempotencyMismatch``. The key's row is written in the submission's own
    transaction, so a concurrent retry waits on the unique index and then finds
    it (PostgreSQL) or waits for the whole transaction (SQLite, IMMEDIATE)."""
    lookup = idempotency_lookup(idempotency_key)
    IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - IDEMPOTENCY_TTL
    ).delete()
    found = _replay(lookup, idempotency_key, fingerprint)
    if found is not None:
        return found
    demand, code = demand_actions.submit_demand(campaign, **fields)
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                lookup=lookup,
                request_hash=fingerprint,
                demand=demand,
                sealed_code=seal(code, idempotency_key),
                status=demand.status,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first; ours is dropped
        # with this transaction and the first answer stands.
        transaction.set_rollback(True)
        found = _replay(lookup, idempotency_key, fingerprint)
        if found is None:
            raise Conflict(_("The request is being processed; retry later.")) from None
        return found
    return demand, code, demand.status


def _replay(lookup: str, key: str, fingerprint: str) -> tuple[Demand, str, str] | None:
    row = IdempotencyKey.objects.select_related("demand").filter(lookup=lookup).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise IdempotencyMismatch
    return row.demand, unseal(row.sealed_code, key), row.status
