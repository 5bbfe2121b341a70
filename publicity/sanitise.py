"""Rich text from submitters is untrusted: only a small set of tags and attributes
survives, no script, no event handler, no ``javascript:`` URL.

The stored HTML is cleaned when a page is saved, and the HTML the public sees is
cleaned again after Wagtail has expanded its links and embeds, so a row written
around the model (a fixture, a raw update, an older revision) is harmless too.
"""

import html as html_lib
import re

from text.html import HtmlPolicy, sanitise_html

_STORED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ol",
        "ul",
        "li",
        "a",
        "blockquote",
        "embed",
    }
)
# Wagtail's own markup for links and embeds, before it expands them.
STORED = HtmlPolicy(
    tags=_STORED_TAGS,
    attributes={
        "a": frozenset({"href", "linktype", "id"}),
        "embed": frozenset({"embedtype", "id", "format", "alt"}),
    },
)
RENDERED = HtmlPolicy(
    tags=(_STORED_TAGS - {"embed"}) | {"img", "figure", "figcaption"},
    attributes={
        "a": frozenset({"href"}),
        "img": frozenset({"src", "alt", "width", "height", "class"}),
    },
    link_rel="noopener noreferrer",
)
_WORDS = HtmlPolicy(tags=_STORED_TAGS)


# An embed as the sanitiser writes it: ``<embed a="…">``, every value quoted.
_EMBED = re.compile(r'<embed((?:\s+[\w:-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE_VALUE = re.compile(r'="([^"]*)"')


def _closed_embed(match: re.Match[str]) -> str:
    # Wagtail expands only ``<embed …/>`` and reads up to the first ">"
    # (wagtail.rich_text.rewriters.FIND_EMBED_TAG); the sanitiser writes HTML's
    # ``<embed …>`` and leaves ">" in a value, so a picture in the body was dropped.
    attributes = _ATTRIBUTE_VALUE.sub(
        lambda value: '="' + value.group(1).replace(">", "&gt;") + '"',
        match.group(1),
    )
    return f"<embed{attributes}/>"


def clean_stored_html(html: str) -> str:
    """HTML as Wagtail stores rich text (its ``linktype``/``embed`` markup kept)."""
    return _EMBED.sub(_closed_embed, sanitise_html(html, STORED))


def clean_rendered_html(html: str) -> str:
    """HTML ready for the reader's browser."""
    return sanitise_html(html, RENDERED)


def plain_text(html: str) -> str:
    """The words of an HTML fragment, tags dropped (for search and checks)."""
    cleaned = sanitise_html(html, _WORDS)
    return " ".join(html_lib.unescape(_TAG.sub(" ", cleaned)).split())


_TAG = re.compile(r"<[^>]*>")
