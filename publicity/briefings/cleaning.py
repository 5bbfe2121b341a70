"""Sanitising the editor's rich text before it is stored (defence in depth: the
rich-text editor already whitelists, but a crafted POST does not go through it)."""

import nh3

_TAGS = {"p", "br", "h2", "h3", "b", "strong", "i", "em", "ol", "ul", "li", "a"}
_ATTRIBUTES = {"a": {"href", "linktype", "id"}}


def clean_rich_text(html: str) -> str:
    """Keep the briefing's formatting; drop scripts, handlers and javascript: URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
