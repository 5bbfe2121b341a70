"""The form field for free text from outside: normalised by ``text.normalise``
before its length and other checks, and always bounded."""

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

from text.normalise import normalise_text

# A field that names no limit still has one: a line of text, or a page of text.
SINGLE_LINE_MAX = 500
MULTI_LINE_MAX = 10_000
# An article, a briefing, a work plan: HTML of a few dozen pages.
DOCUMENT_MAX = 200_000


class TextField(forms.CharField):
    """A ``CharField`` whose value is in NFC, without control or bidi characters,
    refused if ill-formed, and whose ``max_length`` counts the normalised text.

    A field shown as one line (a text input or a hidden input) turns line breaks
    into spaces; a text area or an editor keeps them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.single_line = isinstance(self.widget, forms.TextInput | forms.HiddenInput)
        if self.max_length is None:
            self.max_length = SINGLE_LINE_MAX if self.single_line else MULTI_LINE_MAX
            self.validators.append(validators.MaxLengthValidator(self.max_length))
            self.widget.attrs.update(self.widget_attrs(self.widget))

    def to_python(self, value: Any) -> str | None:
        text: str | None = super().to_python(value)
        if not text:
            return text
        try:
            text = normalise_text(text, single_line=self.single_line)
        except ValidationError as error:
            raise ValidationError(error.messages[0], code="ill_formed") from None
        return text.strip() if self.strip else text
