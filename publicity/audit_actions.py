"""This app's audit action names: merged into ``audit.actions.ACTIONS``.

action name ("sanfu.<thing>.<verb>") → (label in the history filter, message shown in
the history), both translatable.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _  # noqa: F401

ACTIONS: dict[str, tuple[Any, Any]] = {}
