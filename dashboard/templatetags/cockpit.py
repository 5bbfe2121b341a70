from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.856 → "85.6%"; no figure → "—"."""
    return "—" if value is None else f"{value:.1%}"
