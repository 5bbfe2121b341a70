"""Rich text from submitters is untrusted: only a small set of tags and attributes
survives, no script, no event handler, no ``javascript:`` URL.

The stored HTML is cleaned when a page is saved, and the HTML the public sees is
cleaned again after Wagtail has expanded its links and embeds, so a row written
around the model (a fixture, a raw update, an older revision) is harmless too.
"""

import html as html_lib
import re

import nh3

_STORED_TAGS = {
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
_STORED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt"},
}
_RENDERED_TAGS = (_STORED_TAGS - {"embed"}) | {"img", "figure", "figcaption"}
_RENDERED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}


def clean_stored_html(html: str) -> str:
    """HTML as Wagtail stores rich text (its ``linktype``/``embed`` markup kept)."""
    return nh3.clean(
        html or "",
        tags=_STORED_TAGS,
        attributes=_STORED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )


def clean_rendered_html(html: str) -> str:
    """HTML ready for the reader's browser."""
    return nh3.clean(
        html or "",
        tags=_RENDERED_TAGS,
        attributes=_RENDERED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The words of an HTML fragment, tags dropped (for search and checks)."""
    cleaned = nh3.clean(html or "", tags=_STORED_TAGS, attributes={})
    return " ".join(html_lib.unescape(_TAG.sub(" ", cleaned)).split())


_TAG = re.compile(r"<[^>]*>")
