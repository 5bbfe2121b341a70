"""The back office's home offers its page search only to those who may explore the
page tree: for anyone else Wagtail's box led to "you do not have permission"."""

import re

import pytest

pytestmark = pytest.mark.django_db

SEARCH = 'role="search"'


@pytest.mark.parametrize("persona", ["leader", "director", "editor", "liaison_a"])
def test_those_who_may_not_explore_pages_are_offered_no_page_search(
    login, world, persona
):
    client = login(getattr(world, persona))
    home = client.get("/admin/")
    assert home.status_code == 200
    assert SEARCH not in home.content.decode()
    # what the box would have led to
    assert client.get("/admin/pages/search/", {"q": "水利"}).status_code == 302


def test_a_superuser_searches_the_page_tree_from_the_home(login, world):
    client = login(world.superuser)
    home = client.get("/admin/").content.decode()
    assert SEARCH in home
    assert 'action="/admin/pages/' in home
    assert client.get("/admin/pages/search/", {"q": "水利"}).status_code == 200


def test_the_home_loads_no_image_from_another_site(login, world):
    world.liaison_a.email = "liaison@example.org"
    world.liaison_a.save(update_fields=["email"])
    home = login(world.liaison_a).get("/admin/").content.decode()
    sources = re.findall(r'<img[^>]* src="([^"]+)"', home)
    assert sources
    assert all(
        source.startswith("/") and not source.startswith("//") for source in sources
    )
