"""The one error contract of actions: what every caller (back-office views, the
API, commands) understands.

An action that refuses a step raises ``Refused``: a Django ``ValidationError``
whose message is translatable (read in the language of whoever sees it, at the
moment they see it) and whose ``code`` names the refusal for the API. A refusal
of one field's input names the field (``Refused(_("…"), field="unit")``), and a
form shows it on that field. ``Conflict`` is the refusal of a step because someone else
acted first: the person reloads and looks again (409 in the API).

Actions may still raise plain ``ValidationError`` (a model's ``full_clean``): it is
read the same way. No action raises a bare ``ValueError`` to a person. The back
office maps a refusal through ``core.steps.take_step``, the API through its
exception handlers; both show ``refusal_text`` and answer ``refusal_code``.
"""

from typing import Any

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A step refused, with a translatable message and a code."""

    default_code = "refused"
    status = 400

    def __init__(
        self,
        message: Any,
        code: str | None = None,
        params: Any = None,
        *,
        field: str | None = None,
    ) -> None:
        code = code or self.default_code
        if field is None:
            super().__init__(message, code, params)
        else:  # the refusal of one field's input
            super().__init__({field: [ValidationError(message, code, params)]})
            self.code = code

    def __str__(self) -> str:
        return refusal_text(self)


class Conflict(Refused):
    """The state changed under the caller: another person acted first. Refused, not
    applied twice; the caller answers 409 or asks the person to reload."""

    default_code = "conflict"
    status = 409


def refusal_text(error: ValidationError) -> str:
    """The sentence a person reads: every message of the refusal, in the active
    language."""
    return " ".join(str(message) for message in error.messages)


def refusal_code(error: ValidationError) -> str:
    """The refusal's code for the API: its own, else that of its first message."""
    code = getattr(error, "code", None)
    if code:
        return str(code)
    items = (
        [item for errors in error.error_dict.values() for item in errors]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    for item in items:
        if getattr(item, "code", None):
            return str(item.code)
    return "invalid"


def refusal_status(error: ValidationError) -> int:
    return int(getattr(error, "status", 400))
