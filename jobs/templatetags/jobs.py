from typing import Any
from urllib.parse import urlencode, urlsplit

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def background_url(kind: str, download_url: str = "", **extra: Any) -> str:
    """The address that prepares ``kind`` in the background with the query of the
    direct download at ``download_url`` (and ``extra`` parameters)."""
    query = "&".join(
        part for part in (urlsplit(download_url).query, urlencode(extra)) if part
    )
    start = reverse("jobs_start", args=[kind])
    return f"{start}?{query}" if query else start


@register.inclusion_tag("jobs/_prepare.html")
def prepare_button(
    kind: str, download_url: str = "", label: str = "", **extra: Any
) -> dict[str, str]:
    """A button that prepares the download in the background instead (``label``:
    its words where it is the only way to the file)."""
    return {"action": background_url(kind, download_url, **extra), "label": label}
