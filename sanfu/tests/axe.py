"""axe-core in the browser tests: ``assert_accessible(page)`` runs Deque's axe on the
page as it stands and fails on any violation of the WCAG 2.0/2.1 A and AA rules.

The script is axe-core 4.14.1 from the npm registry (MPL-2.0; its licence files lie
beside it in ``axe/``), vendored so that no test reaches a CDN. It is evaluated
through the DevTools protocol, which the site's Content-Security-Policy does not
govern, so the pages are checked under their real headers.
"""

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).parent / "axe" / "axe.min.js"
AXE_VERSION = "4.14.1"
# WCAG 2.1 level AA, which GB/T 37668-2019 follows
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 AA rules the page breaks, as axe reports them."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results: dict[str, Any] = page.evaluate(
        """tags => window.axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        WCAG_AA_TAGS,
    )
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe {AXE_VERSION} on {page.url}:\n" + describe(violations)
