"""``{% ledger_trace record %}``: the chain from a finding or a demand to the
problem it became and its measures, as far as the viewer may open it."""

from typing import Any

from django import template

from ledgers.trace import trace

register = template.Library()


@register.inclusion_tag("ledgers/_trace.html", takes_context=True)
def ledger_trace(context: dict[str, Any], record: Any) -> dict[str, Any]:
    return {"steps": trace(record, context["request"].user)}
