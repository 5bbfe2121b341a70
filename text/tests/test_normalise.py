"""The Unicode normaliser: whatever comes in, what goes out is NFC, holds no control
or bidi character but line feed and tab, and ill-formed text is refused."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from text.cleaning import clean_text
from text.forms import TextField
from text.normalise import normalise_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]))
# samples of the ill-formed: the edges of the surrogates, U+FFFD, non-characters
ILL_FORMED = "\ud800\udbff\udc00\udfff\ufffd\ufffe\uffff\ufdd0"
# every code point, surrogates included
any_character = st.characters(codec=None, categories=None, exclude_categories=())
hostile = st.one_of(
    st.text(any_character),
    st.text(st.sampled_from(BIDI + CONTROLS + "a中\u0301e\u00e9 \n\r\t\u2028")),
)


def _ill_formed(c: str) -> bool:
    """A surrogate, U+FFFD, U+FFFE, U+FFFF or a non-character of U+FDD0..U+FDEF."""
    code = ord(c)
    return (
        0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or 0xFFFD <= code <= 0xFFFF
    )


def _forbidden(text: str) -> set[str]:
    return {c for c in text if (c in CONTROLS and c not in "\n\t") or c in BIDI}


@given(hostile)
@example("\ud801")  # a surrogate inside the range, not at its edges
def test_what_it_returns_is_nfc_without_controls_or_bidi(value):
    try:
        text = normalise_text(value)
    except ValidationError as error:
        assert error.code == "ill_formed"
        assert any(_ill_formed(c) for c in value)
        return
    assert _forbidden(text) == set()
    assert unicodedata.is_normalized("NFC", text)
    assert normalise_text(text) == text


@given(hostile)
def test_a_single_line_has_no_line_break_or_tab(value):
    try:
        text = normalise_text(value, single_line=True)
    except ValidationError:
        return
    assert not set(text) & set("\n\r\t\u2028\u2029\x85")


@pytest.mark.parametrize("bad", list(ILL_FORMED))
def test_ill_formed_characters_are_refused(bad):
    with pytest.raises(ValidationError) as refused:
        normalise_text(f"正常{bad}文字")
    assert refused.value.code == "ill_formed"


def test_bidi_overrides_are_stripped_and_the_text_reads_as_it_is_stored():
    assert normalise_text("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert normalise_text("電話\u202a13800001111\u202c") == "電話13800001111"


def test_line_breaks_become_one_kind_and_nfc_composes():
    assert normalise_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert normalise_text("e\u0301") == "\u00e9"


@given(hostile)
def test_the_chinese_cleaner_keeps_the_normaliser_promises(value):
    try:
        text = clean_text(normalise_text(value))
    except ValidationError:
        return
    assert _forbidden(text) == set()
    assert unicodedata.is_normalized("NFC", text)


@given(st.text(any_character, max_size=40), st.integers(1, 30))
def test_the_field_checks_its_length_after_normalising(value, limit):
    field = TextField(max_length=limit, required=False)
    try:
        cleaned = field.clean(value)
    except ValidationError as error:
        assert {e.code for e in error.error_list} <= {"ill_formed", "max_length"}
        if "max_length" in {e.code for e in error.error_list}:
            assert len(normalise_text(value, single_line=True).strip()) > limit
        return
    assert len(cleaned) <= limit


def test_a_field_without_a_limit_has_one():
    with pytest.raises(ValidationError) as refused:
        TextField().clean("長" * 501)
    assert refused.value.error_list[0].code == "max_length"
