"""The audit trail is append-only, and every entry says from which address it came.

Wagtail writes the trail (``ModelLogEntry`` for models, ``PageLogEntry`` for pages).
Three guards keep it append-only: the models refuse to save an existing entry or to
delete one (signals, so Wagtail's own code paths are covered too), and the database
refuses an UPDATE that changes an entry and, on PostgreSQL, any DELETE (triggers, see
migration 0001; SQLite keeps DELETE for its test flush, which does not run on
PostgreSQL's TRUNCATE). Wagtail itself only ever flags an entry ``deleted`` or loses
its content type when that type is removed; those two changes are let through.
"""

from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.http import HttpRequest, HttpResponse
from wagtail.models import ModelLogEntry, PageLogEntry

from core.ratelimit import client_key

LOG_MODELS = (ModelLogEntry, PageLogEntry)

_address: ContextVar[str] = ContextVar("sanfu_audit_address", default="")


class AppendOnly(PermissionDenied):
    """An attempt to change or remove an audit record."""


def current_address() -> str:
    return _address.get()


class AddressMiddleware:
    """Keeps the client's address (as the rate limits see it) for the audit entries
    written while the request is served."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _address.set(client_key(request))
        try:
            response: HttpResponse = self.get_response(request)
        finally:
            _address.reset(token)
        return response


def _stamp_or_refuse(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance._state.adding:
        raise AppendOnly(f"audit records are append-only: {instance.pk} not saved")
    address = current_address()
    if address and "address" not in instance.data:
        instance.data = {**instance.data, "address": address}
    if sender is PageLogEntry and "campaign" not in instance.data and instance.page_id:
        # Wagtail's own entries of its page editor (edit, publish, workflow steps):
        # tagged with the page's campaign, so that the campaign's office sees them
        from audit.actions import scope_of

        instance.data = {**scope_of(instance.page), **instance.data}


def _refuse_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    raise AppendOnly(f"audit records are append-only: {instance.pk} not deleted")


def connect() -> None:
    for model in LOG_MODELS:
        pre_save.connect(_stamp_or_refuse, sender=model, dispatch_uid=f"audit-{model}")
        pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"audit-{model}")
