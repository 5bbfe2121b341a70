"""The one sanitiser: whatever goes in, no script, no event handler and no
javascript:/data: URL comes out, under every policy the project uses."""

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.actions import PLAN_DOCUMENT
from publicity.briefings.cleaning import BRIEFING
from publicity.sanitise import RENDERED, STORED
from text.html import HtmlPolicy, sanitise_html
from text.tests.xss_payloads import PAYLOADS

POLICIES = [STORED, RENDERED, BRIEFING, PLAN_DOCUMENT]
_FRAGMENTS = [
    "<",
    ">",
    "</",
    "/>",
    "=",
    '"',
    "'",
    "script",
    "SCRIPT",
    "img",
    "svg",
    "a",
    "p",
    "style",
    " src=",
    " href=",
    " onerror=",
    " onload=",
    " OnClick=",
    "javascript:",
    "java\tscript:",
    "&#106;",
    "&#x6A;",
    "data:",
    "vbscript:",
    "alert(1)",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "\x00",
    "&",
    ";",
    " ",
    "\n",
    "中文",
]
hostile_html = st.one_of(
    st.sampled_from(PAYLOADS),
    st.lists(st.sampled_from(_FRAGMENTS + PAYLOADS), max_size=30).map("".join),
    st.text(max_size=200),
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def _unsafe_parts(output: str) -> list[str]:
    parser = _Collector()
    parser.feed(output)
    parser.close()
    found = [tag for tag in parser.tags if tag in {"script", "style", "svg", "iframe"}]
    for name, value in parser.attributes:
        if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
            found.append(name)
        url = "".join(html.unescape(value).split()).lower()
        if url.startswith(("javascript:", "data:", "vbscript:")):
            found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("policy", POLICIES)
@given(source=hostile_html)
def test_no_script_handler_or_unsafe_url_survives(policy, source):
    output = sanitise_html(source, policy)
    assert _unsafe_parts(output) == []
    # Sanitising is stable: what came out goes through unchanged.
    assert sanitise_html(output, policy) == output


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_corpus_payload_is_defused_under_the_widest_policy(payload):
    output = sanitise_html(payload, RENDERED)
    assert _unsafe_parts(output) == []
    assert "<script" not in output.lower()


def test_the_formatting_a_policy_allows_is_kept():
    source = '<p>一<strong>二</strong><a href="https://example.org/">三</a></p>'
    assert sanitise_html(source, BRIEFING) == source
    assert sanitise_html(source, PLAN_DOCUMENT) == "<p>一<strong>二</strong>三</p>"


@pytest.mark.parametrize(
    "unsafe",
    [
        {"tags": frozenset({"p", "script"})},
        {"tags": frozenset({"a"}), "attributes": {"a": frozenset({"onclick"})}},
        {"tags": frozenset({"p"}), "attributes": {"p": frozenset({"style"})}},
        {"tags": frozenset({"a"}), "url_schemes": frozenset({"https", "javascript"})},
    ],
)
def test_a_policy_that_would_allow_script_cannot_be_built(unsafe):
    with pytest.raises(ValueError):
        HtmlPolicy(**unsafe)
