"""The nonce of the Content-Security-Policy (sanfu.middleware): a fresh one for every
request, allowed by the public policy's ``script-src`` and written on the page's
own ``<script nonce="{{ csp_nonce }}">`` tags, so that a script slipped into a page
by someone else does not run."""

import secrets

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

NONCE_BYTES = 18


def new_nonce() -> str:
    return secrets.token_urlsafe(NONCE_BYTES)


def with_nonce(policy: str, nonce: str) -> str:
    """``policy`` with ``'nonce-…'`` added to its ``script-src`` directive (a policy
    without one is returned as it is)."""
    directives = [directive.strip() for directive in policy.split(";")]
    for index, directive in enumerate(directives):
        if directive.split(" ", 1)[0].lower() == "script-src":
            directives[index] = f"{directive} 'nonce-{nonce}'"
    return "; ".join(directive for directive in directives if directive)


def nonce_placeholder() -> str:
    """What a page kept in the shared page cache carries in place of the nonce, to
    be replaced by each response's own (publicity.page_cache). Derived from the
    secret key, so that text slipped into a page cannot guess it and be given the
    nonce along with the page's own scripts."""
    return salted_hmac("sanfu.csp.nonce-placeholder", "").hexdigest()[:32]


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Context processor: ``{{ csp_nonce }}`` for ``<script nonce="…">``."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
