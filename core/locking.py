"""One way to take a row for a step: locked for the transaction, and only while it is
still in a state the step starts from."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict

M = TypeVar("M", bound=Model)

CHANGED = _("This was changed meanwhile (now “%(state)s”); reload and try again.")


def locked_in(
    row: M,
    allowed: Iterable[str],
    *,
    field: str = "status",
    changed: Any = CHANGED,
    refusal: Callable[[M], Exception | None] | None = None,
) -> M:
    """``row`` read again under ``SELECT … FOR UPDATE``; ``Conflict`` if its ``field``
    is no longer one of ``allowed`` (someone else acted first). ``changed`` says so,
    with the state it is in now as ``%(state)s`` (or ``%(status)s``); ``refusal``
    may name a more telling error for the state the row is in."""
    fresh = type(row)._default_manager.select_for_update().get(pk=row.pk)
    if getattr(fresh, field) not in allowed:
        if refusal is not None and (error := refusal(fresh)) is not None:
            raise error
        now = getattr(fresh, f"get_{field}_display")()
        raise Conflict(str(changed) % {"state": now, "status": now})
    return fresh
