"""The one Unicode normaliser for text that arrives from outside (forms, the API,
imports, file names), applied before any length is checked.

What it does, and why:

- **Refused** (``ValidationError``, code ``ill_formed``): lone surrogates (no
  database stores them, and they are never typed: they come from a broken client or
  a probe), the replacement character U+FFFD (what undecodable bytes became on the
  way in: the text is already damaged, and storing it would hide that), and the
  non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF: they break the Word and XML
  exports). The person is told to paste the text again.
- **Stripped**: C0 and C1 control characters except line feed and tab (``\\r\\n``,
  ``\\r``, U+2028, U+2029 and NEL become one line feed first), and the
  bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E,
  U+2066–U+2069, U+200E, U+200F, U+061C). A bidi override makes text read
  differently from what it holds (``txt.exe`` shown as ``exe.txt``); the project's
  text is Chinese and never needs one, while Windows and Word do insert U+202A…
  U+202C around pasted telephone numbers, so refusing would turn honest input
  away; stripping neutralises both.
- **Single-line** fields (titles, names, places) also turn line feeds and tabs
  into spaces, so no crafted POST stores a title of several lines.
- **NFC**: one spelling for one text, so that lengths, searches and duplicate
  checks agree.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
# C0 and C1 controls except tab (\x09) and line feed (\x0a), DEL, and the bidi
# controls.
_STRIPPED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_ILL_FORMED = re.compile("[\ud800-\udfff\ufffd\ufffe\uffff\ufdd0-\ufdef]")
_LINE_BREAKS = re.compile(r"[\n\t]")


def normalise_text(value: str, *, single_line: bool = False) -> str:
    """``value`` in NFC, without control or bidi characters, or ``ValidationError``
    if it holds ill-formed characters."""
    if _ILL_FORMED.search(value):
        raise ValidationError(
            _(
                "The text holds characters that are not valid (damaged while "
                "copying or sending). Type or paste it again."
            ),
            code="ill_formed",
        )
    text = _STRIPPED.sub("", _NEWLINES.sub("\n", value))
    text = unicodedata.normalize("NFC", text)
    if single_line:
        text = _LINE_BREAKS.sub(" ", text)
    return text
