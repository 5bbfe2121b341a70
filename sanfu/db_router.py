"""Reads of lists and reports from a read replica, everything else from the primary.

A request may read from the replica only when its view is named in
``DATABASE_REPLICA_VIEWS`` (``sanfu.middleware.ReplicaMiddleware`` decides), it is a
safe method (GET, HEAD) and the browser wrote nothing in the last
``DATABASE_REPLICA_PIN_SECONDS`` (a cookie says so). The first write pins the rest
of the request to the primary, so a read after a write sees it. Management
commands, tasks and every other view use the primary only.
"""

import contextvars
import dataclasses
from typing import Any

from django.conf import settings
from django.db import models

REPLICA = "replica"


@dataclasses.dataclass
class RequestReads:
    replica_allowed: bool = False
    wrote: bool = False


_state: contextvars.ContextVar[RequestReads | None] = contextvars.ContextVar(
    "sanfu_request_reads", default=None
)


def begin_request() -> tuple[RequestReads, contextvars.Token[RequestReads | None]]:
    state = RequestReads()
    return state, _state.set(state)


def end_request(token: contextvars.Token[RequestReads | None]) -> None:
    _state.reset(token)


def current() -> RequestReads | None:
    return _state.get()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica() -> bool:
    state = _state.get()
    return (
        state is not None
        and state.replica_allowed
        and not state.wrote
        and replica_configured()
    )


class ReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return REPLICA if reads_from_replica() else "default"

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # both aliases hold the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
