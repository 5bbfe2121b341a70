"""One way for the back office to take a step and tell the person how it went.

Every screen that posts a step (a ledger's, a demand's, a survey's, an article's
review, an advanced model's procedure, a plan's) calls ``take_step``: it runs the
action and maps its refusal (``core.errors``) the same way everywhere:

- ``Conflict`` (someone acted first): an error message; the screen reloads the
  object, as the form's data no longer fits it;
- any other refusal (``Refused``, ``ValidationError``): on the form if the screen
  shows one again (on the field it names, else above the form), else as an error
  message;
- done: the success message, if the screen gives one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from wagtail.admin import messages

from core.errors import Conflict, refusal_text


@dataclass(frozen=True)
class Outcome:
    done: bool
    value: Any = None
    # refused because someone else acted first: show the object afresh
    conflict: bool = False


def put_on_form(form: forms.Form, error: ValidationError) -> None:
    """Put a refusal on the form: on the field it names, if the form has it, else
    above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def take_step(
    request: HttpRequest,
    act: Callable[[], Any],
    *,
    form: forms.Form | None = None,
    success: Any = None,
) -> Outcome:
    """Run ``act`` and tell the person the outcome (see the module's docstring).
    ``form``: the form shown again on a refusal; ``success``: the message on
    success."""
    try:
        value = act()
    except Conflict as conflict:
        messages.error(request, refusal_text(conflict))
        return Outcome(done=False, conflict=True)
    except ValidationError as error:
        if form is None:
            messages.error(request, refusal_text(error))
        else:
            put_on_form(form, error)
        return Outcome(done=False)
    if success is not None:
        messages.success(request, str(success))
    return Outcome(done=True, value=value)
