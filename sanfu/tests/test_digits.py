"""Numbers from URLs and forms: ASCII digits only, never a crash."""

import pytest

from core.digits import is_digits, parse_key


@pytest.mark.parametrize(
    "text", ["¹7", "²", "٣", "１２", "7a", "", " 7", "-7", "+7", "7.0", "½"]
)
def test_what_is_not_ascii_digits_is_no_number(text):
    assert not is_digits(text)
    assert parse_key(text) is None


def test_keys_are_read_up_to_their_length():
    assert parse_key("0042") == 42
    assert parse_key("9" * 18) == 10**18 - 1
    assert parse_key("9" * 19) is None
    assert parse_key("123", max_digits=2) is None
