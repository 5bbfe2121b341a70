"""``{{ text|mask_personal }}``: free text with its personal data masked, for the
public pages that show text staff or citizens typed (see ``text.personal``)."""

from django import template

from text.personal import mask_personal_data

register = template.Library()


@register.filter
def mask_personal(value: object) -> str:
    return mask_personal_data("" if value is None else str(value))
