"""Two-step sign-in for staff: a time-based one-time code (TOTP, RFC 6238) from an
authenticator app after the password. Optional per person; once on, a session
counts as signed in only after the code (``org.middleware.TwoStepMiddleware``).

A code is accepted for its own 30-second step or the one either side (clock
drift), and never for a step at or before the last one accepted: a code seen over
someone's shoulder cannot be used again.
"""

import datetime

import pyotp
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from audit.actions import record
from core.digits import is_digits
from core.errors import Conflict
from org.models import Person

ISSUER = "Sanfu"
SESSION_KEY = "org.two_step_passed"
PENDING_SECRET_KEY = "org.two_step_pending_secret"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(person: Person, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=person.username, issuer_name=ISSUER)


def _matching_step(secret: str, code: str, after: int) -> int | None:
    code = code.strip().replace(" ", "")
    if not (is_digits(code) and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.datetime.now(tz=datetime.UTC))
    for step in (now - 1, now, now + 1):
        if step > after and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


@transaction.atomic
def turn_on(person: Person, *, secret: str, code: str) -> bool:
    """Keep ``secret`` once the person proved their app holds it with a code."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.totp_secret:
        raise Conflict(_("Two-step sign-in is on already."))
    step = _matching_step(secret, code, after=0)
    if step is None:
        return False
    person.totp_secret, person.totp_last_step = secret, step
    person.save(update_fields=["totp_secret", "totp_last_step"])
    record(person, "sanfu.account.two_step_on", actor=person)
    return True


@transaction.atomic
def check_code(person: Person, code: str) -> bool:
    """Whether ``code`` is good now for the person, using it up if so."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.totp_secret:
        return False
    step = _matching_step(person.totp_secret, code, after=person.totp_last_step)
    if step is None:
        return False
    person.totp_last_step = step
    person.save(update_fields=["totp_last_step"])
    return True


@transaction.atomic
def turn_off(person: Person, *, code: str, actor: Person) -> bool:
    """Turn two-step sign-in off, with a good code from the person's app."""
    if not check_code(person, code):
        return False
    Person.objects.filter(pk=person.pk).update(totp_secret="", totp_last_step=0)
    record(person, "sanfu.account.two_step_off", actor=actor)
    return True


def passed(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))


def mark_passed(request: HttpRequest) -> None:
    # a new session key, as at sign-in: the step up is a change of privilege
    request.session.cycle_key()
    request.session[SESSION_KEY] = True
