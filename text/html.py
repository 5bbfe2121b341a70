"""The one HTML sanitiser: every piece of HTML that reaches a reader from a user, an
import or an older revision goes through ``sanitise_html`` with the policy of its
place (which tags, which attributes, which URL schemes).

A policy can only narrow what is safe: it cannot allow a tag that runs or loads
code, a ``style`` or event-handler attribute, or a URL scheme other than http,
https and mailto; trying raises ``ValueError`` when the policy is built, so a
careless policy fails at import, not in production.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import nh3

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "applet",
        "svg",
        "math",
        "base",
        "link",
        "meta",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "template",
        "noscript",
    }
)
_FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "xmlns"})


@dataclass(frozen=True)
class HtmlPolicy:
    """What survives: tags, attributes per tag, URL schemes in links and images,
    and the ``rel`` added to links (``None``: none added)."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    url_schemes: frozenset[str] = SAFE_URL_SCHEMES
    link_rel: str | None = None

    def __post_init__(self) -> None:
        unsafe_tags = self.tags & _FORBIDDEN_TAGS
        if unsafe_tags:
            raise ValueError(f"unsafe tags in an HTML policy: {sorted(unsafe_tags)}")
        for tag, names in self.attributes.items():
            unsafe = {
                name
                for name in names
                if name.lower().startswith("on") or name in _FORBIDDEN_ATTRIBUTES
            }
            if unsafe:
                raise ValueError(f"unsafe attributes on <{tag}>: {sorted(unsafe)}")
        if not self.url_schemes <= SAFE_URL_SCHEMES:
            extra = sorted(self.url_schemes - SAFE_URL_SCHEMES)
            raise ValueError(f"unsafe URL schemes in an HTML policy: {extra}")


def sanitise_html(html: str | None, policy: HtmlPolicy) -> str:
    """``html`` with only what ``policy`` allows; scripts and styles are dropped
    with their content, comments are dropped, and every link or image whose URL
    has another scheme loses that URL."""
    return nh3.clean(
        html or "",
        tags=set(policy.tags),
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        url_schemes=set(policy.url_schemes),
        link_rel=policy.link_rel,
        strip_comments=True,
    )
