"""Named personas for the permission matrix, one per role (STYLE.md).

``world`` is one organisation with two units (A and B) and one campaign whose leading
group, office and office groups are staffed; ``other_world`` is a second organisation
with its own campaign, to show that a role held in one grants nothing in the other.
"""

import copy
import gc
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.test import Client
from django.utils import translation

from campaigns.models import Body, BodyKind, Campaign
from campaigns.roles import CampaignRole
from campaigns.tests.factories import BodyFactory, CampaignFactory, PositionFactory
from org.models import Organisation, Person, Unit, UnitRole
from org.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnitFactory,
)

# xdist workers start from one test database migrated once
pytest_plugins = ["sanfu.tests.template_database"]


@receiver(connection_created)
def _readers_take_no_table_locks(
    sender: object, connection: Any, **kwargs: Any
) -> None:
    """The live server's threads share the in-memory SQLite test database through
    SQLite's shared cache, where a reader holds a table lock for each statement and a
    writer meets it as "database table is locked" at once (no busy timeout applies):
    a page polling the jobs screen then broke the worker's ``BEGIN EXCLUSIVE`` now
    and then. In read-uncommitted mode a shared-cache connection reads without
    those locks (https://sqlite.org/sharedcache.html, section 2.2.1); writers still
    exclude each other. File databases (``make run``) are not in shared cache."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


# Python's collector at its defaults spends a fifth of a test process's time, most
# of it in full collections (a sweep of every object, about 0.3 s each), nearly all
# on Django's and Wagtail's own objects, which live as long as the process.
# Those made by importing and collecting are frozen (never swept again) and a
# full collection waits for ten times more young ones. Measured with
# ``gc.callbacks`` on two roles of the authorisation matrix (SQLite, one process):
# 6.6 s collecting against 13.8 s, of 69 CPU-s, and a peak of 545 MB against 465.
# (Waiting a hundred times longer saved 0.7 s more and peaked at 1,277 MB.)
# Cycles are still collected.
GC_THRESHOLDS = (700, 10, 100)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLDS)


def pytest_collection_finish(session: pytest.Session) -> None:
    # what importing and collecting made lives to the end: never scanned again
    gc.collect()
    gc.freeze()


# The real hasher costs ~0.3 s a password by design; tests make dozens of people.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    organisation: Organisation
    unit_a: Unit
    unit_b: Unit
    campaign: Campaign
    leading_group: Body
    office: Body
    comprehensive_group: Body
    publicity_group: Body
    leader: Person
    director: Person
    clerk: Person
    editor: Person
    head_a: Person
    liaison_a: Person
    liaison_b: Person
    staff_a: Person
    outsider: Person
    superuser: Person


def build_world(prefix: str) -> World:
    organisation = OrganisationFactory.create(name=f"{prefix}委員會")
    unit_a = UnitFactory.create(organisation=organisation, name=f"{prefix}甲處")
    unit_b = UnitFactory.create(organisation=organisation, name=f"{prefix}乙處")
    campaign = CampaignFactory.create(
        organisation=organisation, slug=f"{prefix}-campaign"
    )
    group = BodyFactory.create(
        campaign=campaign, kind=BodyKind.LEADING_GROUP, name="領導小組"
    )
    office = BodyFactory.create(
        campaign=campaign, kind=BodyKind.OFFICE, name="辦公室", parent=group
    )
    comprehensive = BodyFactory.create(
        campaign=campaign, kind=BodyKind.OFFICE_GROUP, name="綜合組", parent=office
    )
    publicity = BodyFactory.create(
        campaign=campaign, kind=BodyKind.OFFICE_GROUP, name="宣傳組", parent=office
    )

    def seated(username: str, body: Body, role: str, title: str) -> Person:
        person = PersonFactory.create(username=username)
        PositionFactory.create(person=person, body=body, role=role, title=title)
        return person

    def member(username: str, unit: Unit, role: str) -> Person:
        person = PersonFactory.create(username=username)
        MembershipFactory.create(person=person, unit=unit, role=role)
        return person

    return World(
        organisation=organisation,
        unit_a=unit_a,
        unit_b=unit_b,
        campaign=campaign,
        leading_group=group,
        office=office,
        comprehensive_group=comprehensive,
        publicity_group=publicity,
        leader=seated(f"{prefix}_leader", group, CampaignRole.LEADER, "組長"),
        director=seated(
            f"{prefix}_director", office, CampaignRole.OFFICE_DIRECTOR, "主任"
        ),
        clerk=seated(
            f"{prefix}_clerk", comprehensive, CampaignRole.COMPREHENSIVE, "組員"
        ),
        editor=seated(f"{prefix}_editor", publicity, CampaignRole.PUBLICITY, "組員"),
        head_a=member(f"{prefix}_head_a", unit_a, UnitRole.HEAD),
        liaison_a=member(f"{prefix}_liaison_a", unit_a, UnitRole.LIAISON),
        liaison_b=member(f"{prefix}_liaison_b", unit_b, UnitRole.LIAISON),
        staff_a=member(f"{prefix}_staff_a", unit_a, UnitRole.STAFF),
        outsider=PersonFactory.create(username=f"{prefix}_outsider"),
        superuser=PersonFactory.create(
            username=f"{prefix}_root", is_superuser=True, is_staff=True
        ),
    )


class SharedWorld:
    """``world`` (and, where a test asks for it, its ``column``), built once for a
    run of consecutive tests that ask for the same.

    Built the usual way, the world alone takes 63 statements and about a fifth of
    a typical test's time (most of it Wagtail's reference index). Here it is built
    in a transaction opened before such a test's own and kept open while the next
    tests ask for the same; each test runs in a savepoint inside it and gets its own
    copy of the objects, so each starts from what was built, as if it had built it
    itself (Django's ``setUpTestData`` does the same for a class). It is rolled back
    before any test that asks for something else and touches the database, so no
    test sees rows it did not ask for, before a transactional test, and before a
    module loads the demo in its own such transaction (``demo_once``). Until the
    test database is set up, and beside ``demo_once``, a test builds its own.

    A conftest offers a fixture built from the world with ``offer``; the offer of
    the conftest nearest the test is the one it gets, as with fixtures."""

    def __init__(self) -> None:
        self.blocker: Any = None
        self._offers: dict[str, dict[Path, Callable[[World], Any]]] = {}
        self._built: dict[str, Any] | None = None
        self._key: tuple[Any, ...] = ()
        self._atomic: Any = None
        self._copy: dict[str, Any] | None = None

    def offer(self, name: str, builder: Callable[[World], Any], conftest: str) -> None:
        self._offers.setdefault(name, {})[Path(conftest).parent] = builder

    def _builders(self, item: pytest.Item) -> dict[str, Callable[[World], Any]]:
        fixtures = getattr(item, "fixturenames", ())
        chosen = {}
        for name, offers in self._offers.items():
            nearest = [folder for folder in offers if folder in Path(item.path).parents]
            if name in fixtures and nearest:
                chosen[name] = offers[max(nearest, key=lambda f: len(f.parts))]
        return chosen

    def before(self, item: pytest.Item) -> None:
        """Before the test's fixtures: keep what it asks for if it runs in a
        rolled-back transaction, roll the rest back before any database test."""
        from django.db import connection

        self._copy = None
        if self._built is not None and connection.closed_in_transaction:
            # a test closed the connection (a streamed response's close() sends
            # request_finished, whose handler closes a connection in a transaction):
            # what was built went with it, as an earlier test's own world did
            self.close()
        order = order_of(item)
        fixtures = getattr(item, "fixturenames", ())
        if order == ROLLED_BACK and "world" in fixtures and "demo_once" not in fixtures:
            builders = self._builders(item)
            key = tuple(sorted((name, id(b)) for name, b in builders.items()))
            if self._built is not None and key != self._key:
                self.close()
            self._open(key, builders)
        elif order != WITHOUT_DATABASE:
            self.close()

    def _open(self, key: tuple[Any, ...], builders: dict[str, Any]) -> None:
        from django.db import connection, transaction
        from django.test import override_settings

        if self._built is not None or self.blocker is None:
            return
        with self.blocker.unblock():
            if connection.in_atomic_block:
                return
            self._atomic = transaction.atomic()
            # as Django's TestCase marks its own: a durable block inside is allowed
            self._atomic._from_testcase = True
            self._atomic.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                    world = build_world("w")
                    built = {"world": world}
                    for name, builder in builders.items():
                        built[name] = builder(world)
            except BaseException:
                self._rollback()
                raise
        self._built, self._key = built, key

    def _rollback(self) -> None:
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None

    def close(self) -> None:
        if self._built is not None:
            self._rollback()
        self._built, self._key, self._copy = None, (), None

    def get(self, name: str) -> Any:
        """The test's own copy of what was built, or None: all of it is copied at
        once, so that the copies refer to each other as the originals did."""
        if self._built is None:
            return None
        if self._copy is None:
            self._copy = copy.deepcopy(self._built)
        return self._copy.get(name)


shared_world = SharedWorld()


@pytest.fixture(scope="session")
def _shared_world_ready(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    shared_world.blocker = django_db_blocker
    yield
    shared_world.close()
    shared_world.blocker = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    shared_world.before(item)


@pytest.fixture
def world(db: None) -> World:
    world: World | None = shared_world.get("world")
    return world or build_world("w")


@pytest.fixture
def other_world(db: None) -> World:
    return build_world("o")


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """Log the test client in as a persona: ``login(world.liaison_a)``."""

    def _login(person: Person) -> Client:
        # a session without the password round: the login form and its lockout
        # are tested through the form itself (sanfu/tests/test_login_lockout.py)
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def run_worker_once(queue: str = "*") -> None:
    """What ``manage.py db_worker --backend sanfu`` does, once: take every task
    waiting on ``queue`` (``*``: all of the project's queues), then return.

    The worker claims a task in ``BEGIN EXCLUSIVE``, which SQLite's shared cache
    refuses at once while another thread's statement is reading (the live server
    answering a page that polls), where a file database would wait. The refusal comes
    before anything is claimed, so the run is tried again, as a worker's next loop
    would, for up to 30 s."""
    import time
    from io import StringIO

    from django.core.management import call_command
    from django.db import OperationalError
    from django_tasks_db.utils import is_locked_database_exception

    give_up = time.monotonic() + 30
    while True:
        try:
            call_command(
                "db_worker",
                "--backend",
                "sanfu",
                "--queue-name",
                queue,
                "--batch",
                "--interval",
                "0",
                stdout=StringIO(),
                stderr=StringIO(),
            )
            return
        except OperationalError as error:
            if not is_locked_database_exception(error) or time.monotonic() > give_up:
                raise
            time.sleep(0.05)


@pytest.fixture
def database_tasks(settings):  # type: ignore[no-untyped-def]
    """The project's tasks go to django-tasks-db (SANFU_TASKS_BACKEND=database) and
    wait there for the worker; the fixture gives ``run_worker_once``."""
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.SANFU_TASK_QUEUES,
        },
    }
    # no duplicate check marked as queued by an earlier test (the mark is in the
    # cache, which outlives the test's database)
    from django.core.cache import cache

    from demands.tasks import DUPLICATE_CHECK_QUEUED

    cache.delete(DUPLICATE_CHECK_QUEUED)
    return run_worker_once


@pytest.fixture(autouse=True)
def _database_session(request: pytest.FixtureRequest) -> None:
    """The session's own database fixtures, set up by the first test that uses the
    database, not by the first test: a test without one does not wait for the
    test database (``_order``)."""
    assert isinstance(request.node, pytest.Item)
    if order_of(request.node) != WITHOUT_DATABASE:
        request.getfixturevalue("_shared_world_ready")
        request.getfixturevalue("no_session_outlives_the_test_database")


@pytest.fixture(scope="session")
def no_session_outlives_the_test_database(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """On PostgreSQL the test database can only be dropped when nobody is connected:
    a connection a thread or a worker process left open is closed first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def rate_limit_clock(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """The rate limits' clock (``core.ratelimit``), held still through the test at
    the time it began: a test whose requests straddled the end of a limit's window
    found its budget back and failed now and then (a minute's window and a test of
    a second: one such test in sixty runs). A test that needs time to pass moves
    ``value``."""
    from core import ratelimit

    now = types.SimpleNamespace(value=time.time())
    monkeypatch.setattr(
        ratelimit, "time", types.SimpleNamespace(time=lambda: now.value)
    )
    return now


@pytest.fixture(autouse=True)
def readings_written_at_once(settings):  # type: ignore[no-untyped-def]
    """Article readings are written as they come (publicity.readings), and none
    gathered by an earlier test (whose pages are gone) is left to write."""
    from publicity import readings

    settings.SANFU_READINGS_FLUSH_SECONDS = 0
    with readings._lock:
        readings._pending.clear()


@pytest.fixture(autouse=True)
def no_campaign_kept_from_an_earlier_test() -> None:
    """The open campaigns a process keeps (campaigns.accepting) are an earlier
    test's rows once its transaction is rolled back."""
    from campaigns import accepting

    accepting.forget()


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The seed demo, loaded once for a module's tests: a module's tests that
    read the demo ask for it through their ``demo`` fixture, listed before
    ``db``. It is loaded in a transaction rolled back after the module's last
    test; each test runs in a savepoint inside it, so each starts from the demo
    as loaded, as if it had loaded it itself (2.5-4 s a load, 30 loads)."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        translation.override("en"),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = FAST_HASHERS


# Debian's chromium-headless-shell: the same Blink as Debian's chromium without the
# browser's shell around it (the program itself; /usr/bin's is a script that starts
# it as a child, which would outlive Playwright's close).
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
# Without these, chromium reaches for Google's hosts at start and on a closed network
# waits on each of them.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# where a test runs in its worker (``_order``)
WITHOUT_DATABASE, ROLLED_BACK, TRANSACTIONAL, BROWSER = range(4)
# (a transactional test is classed before these are looked at)
_DATABASE_FIXTURES = ("db", "django_db_setup")


def _order(item: pytest.Item) -> int:
    """Where a test runs in its worker: tests without a database, then tests in a
    rolled-back transaction, then transactional tests, then the browser tests.

    The tests without a database come first: they run while the xdist controller
    migrates the template database (``sanfu.tests.template_database``), when the
    workers would otherwise wait for it with nothing to do. Nothing of the database
    is set up before the first test that uses it (``_database_session``).
    Each transactional test empties the database it leaves (without xdist; an xdist
    worker restores its template instead), so nothing that needs the migrations'
    rows (Wagtail's root page, the content types) may follow one.
    The browser tests come last, as the browser they share (``_chromium``) runs
    Playwright's event loop in the worker's thread from the first of them on, and
    a test without a database may use asgiref's async_to_sync, which refuses to
    run beside a running loop."""
    if item.get_closest_marker("browser"):
        return BROWSER
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        transactional = True
    if transactional:
        return TRANSACTIONAL
    if marker is None and not any(name in fixtures for name in _DATABASE_FIXTURES):
        return WITHOUT_DATABASE
    return ROLLED_BACK


_ORDER = pytest.StashKey[int]()


def order_of(item: pytest.Item) -> int:
    """``_order``, worked out once for a test and kept on it: the sort, the shared
    world and the database fixtures each ask."""
    if _ORDER not in item.stash:
        item.stash[_ORDER] = _order(item)
    return item.stash[_ORDER]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a stable sort: each group keeps pytest-django's and the files' order
    items.sort(key=order_of)


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    """One Debian chromium for all of a worker's browser tests, started by the
    first of them: starting Playwright's driver and the browser cost 2-4 s a test.

    From here on Playwright's event loop counts as running in this thread, where
    Django refuses database calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set: the
    test's ORM calls around Playwright's sync API are synchronous and safe, and only
    browser tests follow (``_order``)."""
    import os

    from django.db import connections
    from playwright.sync_api import sync_playwright

    allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    outside = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            # Playwright's sync API leaves this thread in a contextvars context of
            # its own, where Django's asgiref locals start empty: without this, the
            # tests would open new connections that the test database's set-up
            # does not know (nor their serialized contents, which a transactional
            # test restores), and on PostgreSQL could not drop the database.
            for alias, connection in outside.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if allowed is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed


@pytest.fixture(scope="session")
def _browser_context(live_server, _chromium):  # type: ignore[no-untyped-def]
    """One browser context for a worker's browser tests, pointed at its live
    server: its HTTP cache keeps the admin's scripts and styles from one test to
    the next, where a context for each test fetched them again through the live
    server (four of the publicity and office walks: 24 static files served
    against 82). ``browser_page`` clears what a test could leave for the next."""
    context = _chromium.new_context(base_url=live_server.url, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def browser_page(live_server, _browser_context):  # type: ignore[no-untyped-def]
    """A Playwright page, pointed at the live server, in the worker's browser
    context. After the test the page is closed and the context keeps no cookie,
    site storage or permission: the next test starts signed out.

    Make the test's data in fixtures listed before this one, so that it is there
    before the page is opened."""
    page = _browser_context.new_page()
    try:
        yield page
    finally:
        try:
            if page.url.startswith(live_server.url):
                page.evaluate("localStorage.clear(); sessionStorage.clear()")
        finally:
            page.close()
            _browser_context.clear_cookies()
            _browser_context.clear_permissions()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    # Middleware run through RequestFactory activates a language in the test's own
    # thread and leaves it there, so each test starts from one: English, the
    # language of the source strings, so that messages read as written. Requests
    # through the test client still get the site's default (zh-Hans).
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def in_english(client: Client, settings) -> Client:  # type: ignore[no-untyped-def]
    """The test client asks for English pages (the site's default is zh-Hans), for
    tests that read the messages as written."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
