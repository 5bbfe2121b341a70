"""The two kinds of "who" every action and access rule takes.

An action is a step someone takes: its ``actor`` is a signed-in ``Person`` (or
``None`` where the system acts on its own: the clock, the demo, a migration). An
access rule answers whoever asks: a ``Viewer`` is a ``Person`` or the anonymous
visitor Django gives a request without a session.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from org.models import Person

Viewer: TypeAlias = Person | AnonymousUser


def person_of(request: HttpRequest) -> Person:
    """The signed-in person a request comes from, for the steps only a person
    takes (the admin's views and hooks, which Wagtail shows to no one else);
    anyone else is refused, so no action ever records an anonymous actor."""
    user = request.user
    if isinstance(user, Person):
        return user
    raise PermissionDenied


__all__ = ["Person", "Viewer", "person_of"]
