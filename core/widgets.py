"""Form widgets of the project's own."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A select of hundreds of options (the units of an organisation) written in
    one pass: Django's ``Select`` builds a context and renders a template per
    option, which made the cockpit's unit filter (500 units) the largest part of
    the page's rendering. Same markup, same escaping (``conditional_escape``, as
    the template's autoescaping), the first matching option selected; option
    groups are left to ``Select``."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        wanted = set(self.format_value(value))
        options = []
        # iterated once, not list()-ed: a model field's choices would count their
        # rows first (a query more)
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # a group
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            selected = text in wanted
            if selected:
                wanted = set()  # one option selected, as Select does
            options.append(
                f'<option value="{conditional_escape(text)}"'
                f"{' selected' if selected else ''}>{conditional_escape(str(label))}"
                "</option>"
            )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # every value in it is escaped above
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{attributes}>'
            f"{''.join(options)}</select>"
        )
