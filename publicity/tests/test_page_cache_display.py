"""A column page read in 长辈模式 is another rendering, kept apart in the page cache."""

import datetime

import pytest

from core.display import COOKIE, ELDER
from publicity.tests.conftest import publish_plain

pytestmark = pytest.mark.django_db


def test_elder_mode_is_not_served_the_standard_page_from_the_cache(client, column):
    publish_plain(column, "舊報道", on=datetime.date(2007, 4, 1))
    client.get(column.get_url())
    assert 'data-display="elder"' not in client.get(column.get_url()).content.decode()

    client.cookies[COOKIE] = ELDER
    assert 'data-display="elder"' in client.get(column.get_url()).content.decode()
    assert 'data-display="elder"' in client.get(column.get_url()).content.decode()
    del client.cookies[COOKIE]
    assert 'data-display="elder"' not in client.get(column.get_url()).content.decode()
