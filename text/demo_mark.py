"""The mark demo data carries on its texts, （演示）, and the one rule that keeps
it out of what a model learns from: the routing suggestion and the hotspots
read a demand's words, and a mark every demo demand shares would pull them all
together (or towards whatever catalogue entry carries it too)."""

import re

DEMO_MARK = "（演示）"
# full or half width, as typed or after NFKC folding
_MARK = re.compile(r"[（(]\s*演示\s*[)）]")


def without_demo_mark(text: str) -> str:
    return _MARK.sub(" ", text)
