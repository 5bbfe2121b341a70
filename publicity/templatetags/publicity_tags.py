from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from publicity.sanitise import clean_rendered_html

register = template.Library()


@register.filter
def safe_richtext(value: str) -> SafeString:
    """Wagtail's rich text for readers, cleaned once more after expansion."""
    return mark_safe(clean_rendered_html(expand_db_html(value or "")))
