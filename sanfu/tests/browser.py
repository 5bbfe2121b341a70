"""Signing a browser test in without drawing the sign-in form.

A walk signs in again and again (each person of a chain, after each step): through
the form, each time costs the sign-in page and the dashboard it lands on, drawn in
the browser and rendered by the live server, before the page the walk is about.
Here the sign-in form's own two requests (the page, for its CSRF token, then the
POST) go through the browser context's request API, which shares the context's
cookies: the server signs the person in exactly as through the form (django-axes,
the audit trail, two-step sign-in), and the browser draws nothing. The form itself
is walked where the landing is the subject: a leader lands on the cockpit's panel
(test_cockpit_browser), under the production policy too (test_browser_csp)."""

import os
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

LOGIN = "/admin/login/"


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign ``page``'s browser context in as ``username``, signed out first."""
    context = page.context
    context.clear_cookies()
    context.request.get(LOGIN)
    token = next(
        cookie["value"]
        for cookie in context.cookies()
        if cookie["name"] == settings.CSRF_COOKIE_NAME
    )
    answer = context.request.post(
        LOGIN,
        form={"username": username, "password": password, "csrfmiddlewaretoken": token},
        max_redirects=0,
    )
    if answer.status != 302:
        raise AssertionError(f"Signing in as {username} answered {answer.status}")


def shot(page: Page, name: str) -> None:
    """Keep a full-page screenshot when SANFU_SHOTS names a folder (to look at a
    walk); otherwise draw nothing."""
    folder = os.environ.get("SANFU_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
