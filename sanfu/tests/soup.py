"""Reading a rendered page in a test: the one element a selector must find."""

from bs4 import BeautifulSoup, Tag


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select_one(selector)
    assert found is not None, selector
    return found
