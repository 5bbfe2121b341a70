"""Sanitising the editor's rich text before it is stored (defence in depth: the
rich-text editor already whitelists, but a crafted POST does not go through it)."""

from text.html import HtmlPolicy, sanitise_html

BRIEFING = HtmlPolicy(
    tags=frozenset({"p", "br", "h2", "h3", "b", "strong", "i", "em", "ol", "ul"})
    | frozenset({"li", "a"}),
    attributes={"a": frozenset({"href", "linktype", "id"})},
)


def clean_rich_text(html: str) -> str:
    """Keep the briefing's formatting; drop scripts, handlers and javascript: URLs."""
    return sanitise_html(html, BRIEFING)
