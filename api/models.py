"""Access tokens for staff clients of the API, and the idempotency record of public
submissions."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "sf_"
# A token's life: chosen when issued, 90 days unless said otherwise, a year at most.
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365


def hash_key(key: str) -> str:
    # A token key carries 256 random bits, so a plain (unkeyed) SHA-256 is enough
    # and the hash stays valid when SECRET_KEY is rotated.
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class TokenScope(models.TextChoices):
    READ = "read", _("Read: may only read (GET)")
    ACT = "act", _("Act: may also take the demand steps the person's role allows")


def default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=TOKEN_DEFAULT_DAYS)


def check_expiry(expires_on: datetime.date) -> None:
    """A token lasts from one day to ``TOKEN_MAX_DAYS``, through ``expires_on``."""
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError(gettext("The expiry date must be after today."))
    if expires_on > today + datetime.timedelta(days=TOKEN_MAX_DAYS):
        raise ValidationError(
            gettext("A token lasts at most %(days)d days.") % {"days": TOKEN_MAX_DAYS}
        )


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        """Not revoked, not expired, of an active person. Whether the person still
        holds a role that may hold a token is ``api.access.valid_tokens``."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )


class ApiToken(models.Model):
    """A bearer token acting as its user: it reaches what the user may reach, and
    with the ``read`` scope only by reading. It expires at ``expires_at``.

    Only the SHA-256 of the key is stored; the key is shown once, when issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    scope = models.CharField(
        _("scope"), max_length=4, choices=TokenScope.choices, default=TokenScope.READ
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values),
                name="api_token_scope_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def may_act(self) -> bool:
        return self.scope == TokenScope.ACT


def idempotency_lookup(key: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, b"lookup:" + key.encode(), hashlib.sha256).hexdigest()


def _pad(key: str) -> bytes:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, b"seal:" + key.encode(), hashlib.sha256).digest()


def seal(code: str, key: str) -> str:
    """Hide the query code so that the stored row alone does not give it away.

    The pad comes from the client's idempotency key, which is stored only as a keyed
    hash, and is used for exactly one row (the key is unique), so the code can be
    recovered only by the client that retries with the same key."""
    data = code.encode()
    if len(data) > 32:
        raise ValueError("a query code is at most 32 bytes")
    return bytes(a ^ b for a, b in zip(data, _pad(key), strict=False)).hex()


def unseal(sealed: str, key: str) -> str:
    data = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(data, _pad(key), strict=False)).decode()


class IdempotencyKey(models.Model):
    """The first answer to a ``POST /api/v1/demands`` sent with an Idempotency-Key,
    kept for a day so that a retry gets it again instead of filing a duplicate."""

    lookup = models.CharField(max_length=64, unique=True)
    request_hash = models.CharField(max_length=64)
    demand = models.ForeignKey(
        "demands.Demand", on_delete=models.CASCADE, related_name="+"
    )
    sealed_code = models.CharField(max_length=64)
    status = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return self.lookup[:12]


class Open311Token(models.Model):
    """What a GeoReport v2 client is given when it files a request, to find the
    request's number again (``tokens/{token}``). It shows the number only: what the
    request itself shows is ``api.open311``'s rule, token or not."""

    token = models.CharField(_("token"), max_length=32, unique=True)
    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.CASCADE, related_name="open311_token"
    )

    class Meta:
        verbose_name = _("Open311 token")
        verbose_name_plural = _("Open311 tokens")

    def __str__(self) -> str:
        return self.token

    @classmethod
    def issue(cls, demand: models.Model) -> str:
        return cls.objects.create(token=secrets.token_hex(16), demand=demand).token
