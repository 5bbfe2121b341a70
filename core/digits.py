"""Numbers typed into URLs and forms. ``str.isdigit`` is not the test: it is true of
superscripts and other signs that ``int()`` refuses ('¹7' would fail with a server
error), and ``int()`` takes digits of other scripts. Only ASCII digits are numbers
here."""


def is_digits(text: str) -> bool:
    """``text`` is one or more ASCII digits."""
    return text.isascii() and text.isdigit()


def parse_key(text: str, max_digits: int = 18) -> int | None:
    """``text`` as a key (a primary key, a number in a cursor): ASCII digits, at most
    ``max_digits`` of them (a bigint has 19), else None."""
    if is_digits(text) and len(text) <= max_digits:
        return int(text)
    return None
