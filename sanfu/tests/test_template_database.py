import sqlite3
from pathlib import Path

import pytest

from campaigns.models import Campaign
from org.models import Organisation, Person
from org.tests.factories import OrganisationFactory, PersonFactory
from sanfu.demo import ACCOUNTS, CAMPAIGN_SLUG
from sanfu.tests import template_database


def test_the_ready_mark_is_never_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker polls for the mark: written where it looks, it can be found
    created but still empty."""
    ready = tmp_path / "ready"
    write_text = Path.write_text
    written: list[Path] = []

    def write(path: Path, text: str, *args: object, **kwargs: object) -> int:
        written.append(path)
        return write_text(path, text)

    monkeypatch.setattr(Path, "write_text", write)
    template_database._mark(ready, "ok")
    assert written and ready not in written
    assert ready.read_text() == "ok"
    assert list(tmp_path.iterdir()) == [ready]


@pytest.mark.django_db(transaction=True)
def test_a_kept_copy_of_the_database_comes_back_whole(
    request: pytest.FixtureRequest,
) -> None:
    template = template_database._template_in_worker(request.config)
    if template is None:
        pytest.skip("only a worker with a template (pytest -n 2) keeps copies")
    OrganisationFactory.create(name="留下")
    kept = template_database._keep(template, "probe")
    assert kept is not None
    try:
        OrganisationFactory.create(name="後來")
        template_database._restore(template, kept)
        assert list(Organisation.objects.values_list("name", flat=True)) == ["留下"]
    finally:
        if isinstance(kept, sqlite3.Connection):
            kept.close()
        else:
            template_database._drop(kept)


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_the_demo(transactional_demo: None) -> None:
    assert Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists()
    usernames = set(Person.objects.values_list("username", flat=True))
    assert {account.username for account in ACCOUNTS} <= usernames


@pytest.fixture
def someone_first(
    request: pytest.FixtureRequest, transactional_db: None, _demo_copies_dropped: None
) -> None:
    template = template_database._template_in_worker(request.config)
    if template is not None:
        # a copy of the demo is kept, and the database is as migrated again
        template_database.demo_into_database(request.config)
        template_database._restore(template)
    PersonFactory.create(username="先來")


def test_a_database_written_to_first_gets_the_demo_loaded_into_it(
    someone_first: None, transactional_demo: None
) -> None:
    """A copy of the demo would replace what was written: it is loaded instead."""
    assert Person.objects.filter(username="先來").exists()
    assert Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists()
