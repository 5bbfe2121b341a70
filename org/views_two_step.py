"""The screens of two-step sign-in: turn it on (scan a QR code, confirm a code),
give the code after signing in, turn it off."""

from collections.abc import Callable

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import ratelimit
from org import two_step
from org.actors import person_of

# tries at a code per person in a window: six digits must not be guessed
CODE_TRIES = (10, 300)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        min_length=6,
        max_length=7,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def _code_accepted(
    request: HttpRequest, form: CodeForm, check: Callable[[str], bool]
) -> bool:
    """Whether the form's code passes ``check``; the form says why not otherwise.
    Each try counts against the person's limit, right or wrong."""
    limit, window = CODE_TRIES
    if not ratelimit.hit("two_step", str(request.user.pk), limit=limit, window=window):
        form.add_error("code", _("Too many tries. Wait a few minutes."))
        return False
    if check(form.cleaned_data["code"]):
        return True
    form.add_error("code", _("That code is not right, or was used already."))
    return False


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/admin/"


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if person.totp_secret:
        return render(request, "org/two_step/on.html", {"form": CodeForm()})
    secret = request.session.get(two_step.PENDING_SECRET_KEY)
    if not secret or request.method == "GET":
        secret = two_step.new_secret()
        request.session[two_step.PENDING_SECRET_KEY] = secret
    form = CodeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _code_accepted(
            request,
            form,
            lambda code: two_step.turn_on(person, secret=secret, code=code),
        )
    ):
        del request.session[two_step.PENDING_SECRET_KEY]
        two_step.mark_passed(request)
        messages.success(request, _("Two-step sign-in is on."))
        return redirect("wagtailadmin_account")
    uri = two_step.provisioning_uri(person, secret)
    context = {
        "form": form,
        "secret": secret,
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4),
    }
    return render(request, "org/two_step/setup.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not person.totp_secret or two_step.passed(request):
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _code_accepted(
            request, form, lambda code: two_step.check_code(person, code)
        )
    ):
        two_step.mark_passed(request)
        return redirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "org/two_step/verify.html", context)


@never_cache
@require_http_methods(["POST"])
def turn_off(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = CodeForm(request.POST)
    if form.is_valid() and _code_accepted(
        request, form, lambda code: two_step.turn_off(person, code=code, actor=person)
    ):
        messages.success(request, _("Two-step sign-in is off."))
        return redirect("wagtailadmin_account")
    return render(request, "org/two_step/on.html", {"form": form}, status=400)
