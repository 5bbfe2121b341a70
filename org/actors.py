"""The two kinds of "who" every action and access rule takes.

An action is a step someone takes: its ``actor`` is a signed-in ``Person`` (or
``None`` where the system acts on its own: the clock, the demo, a migration). An
access rule answers whoever asks: a ``Viewer`` is a ``Person`` or the anonymous
visitor Django gives a request without a session.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from org.models import Person

Viewer: TypeAlias = Person | AnonymousUser

__all__ = ["Person", "Viewer"]
