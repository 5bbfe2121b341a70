"""One migrated test database for all pytest-xdist workers (a pytest plugin).

Without it each xdist worker builds its own test database through every migration
(about 240; 26-41 s a worker on this project's CI machine, twice per database engine).
With it the xdist controller builds the database once, through the same migrations,
and each worker starts from a copy of it: on PostgreSQL a database created from it as
a template (``CREATE DATABASE ... TEMPLATE``), on SQLite the file loaded into the
worker's in-memory database. The worker then runs pytest-django's usual set-up with
``keepdb``, which finds every migration applied and migrates nothing. Without xdist
(``-n 0``), with ``--nomigrations`` or ``--reuse-db`` nothing changes.

The controller migrates in a thread while the workers start: migrating keeps one core
busy, and the workers import Django and Wagtail and collect the tests on the other
meanwhile; each waits for the template before its first database test. At the end the
controller prints how long the migrations took and when each worker could start
testing.

After a transactional test (a live server's, a browser's) the worker loads its copy
again from the template, where Django's test case would empty every table and the next
test with ``serialized_rollback`` load the migrations' rows back one by one.

On PostgreSQL the tests' connections do not wait for the disk at each commit
(``synchronous_commit=off``): a test database is thrown away, and each commit of a
transactional test or a migration otherwise waits 2-18 ms here.
"""

import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

WORKER_INPUT_KEY = "sanfu_template_database"
WORKER_OUTPUT_KEY = "sanfu_template_database_times"
# how long a worker waits for the controller's migrations before it gives up
WAIT_SECONDS = 3600
# the worker's in-memory SQLite database lives as long as one connection to it
_kept_open: list[sqlite3.Connection] = []
# when this worker waited for the template and loaded its copy (time.time())
_worker_times: dict[str, float] = {}


class Template:
    """The database the controller builds, and the clones made from it."""

    def __init__(self, directory: Path, source: str) -> None:
        self.directory = directory
        # the template: the SQLite file, or the PostgreSQL database's name
        self.source = source
        # written by the migrating thread when it is done: "ok" or the error
        self.ready = directory / "ready"
        self.old_config: Any = None
        self.error: BaseException | None = None
        self.began = time.time()
        self.migrated_in: float | None = None
        self.thread: threading.Thread | None = None
        self.clones: list[str] = []
        self.worker_times: dict[str, dict[str, float]] = {}


_TEMPLATE = pytest.StashKey[Template]()


def _is_controller(config: pytest.Config) -> bool:
    return (
        config.pluginmanager.hasplugin("xdist")
        and not hasattr(config, "workerinput")
        and bool(getattr(config.option, "numprocesses", None))
        and not config.option.collectonly
        and not config.getoption("nomigrations", False)
        and not config.getoption("reuse_db", False)
    )


def _default_connection() -> Any:
    from django.db import connections

    return connections["default"]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """PostgreSQL commits without waiting for the disk, in every test process."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off"


def _mark(ready: Path, text: str) -> None:
    """Write the ready mark whole: the workers poll for the file, and one that
    found it created but not yet written read an empty mark and failed every
    database test (seen once in CI). The text goes to a file of its own, which is
    then renamed into place at once."""
    written = ready.with_name(ready.name + ".part")
    written.write_text(text)
    written.replace(ready)


def _migrate(config: pytest.Config, template: Template) -> None:
    """The migrating thread: the test database, as pytest-django's django_db_setup
    builds it in each worker, then the ready mark the workers wait for."""
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_test_environment,
    )
    from pytest_django.plugin import blocking_manager_key

    connection = _default_connection()
    try:
        setup_test_environment(debug=False)
        try:
            with config.stash[blocking_manager_key].unblock():
                template.old_config = setup_databases(
                    verbosity=0, interactive=False, serialized_aliases=set()
                )
                connection.close()
        finally:
            teardown_test_environment()
        # the controller's main thread drops the databases through these
        # connections at the end
        for alias_connection, _, _ in template.old_config:
            alias_connection.inc_thread_sharing()
    except BaseException as error:
        template.error = error
        _mark(template.ready, f"failed: {error!r}")
        raise
    template.migrated_in = time.time() - template.began
    _mark(template.ready, "ok")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """The controller starts migrating the test database once, in a thread, and
    lets the workers start meanwhile."""
    config = session.config
    if not _is_controller(config):
        return
    connection = _default_connection()
    directory = Path(tempfile.mkdtemp(prefix="sanfu-test-db-"))
    if connection.vendor == "sqlite":
        # a file, so that each worker can load it into its own memory
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            directory / "template.sqlite3"
        )
    # named before the thread renames the connection's database to it
    template = Template(directory, connection.creation._get_test_db_name())
    config.stash[_TEMPLATE] = template
    template.thread = threading.Thread(
        target=_migrate, args=(config, template), name="migrate-template"
    )
    template.thread.start()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell the starting worker where its copy comes from and which mark says that
    the template is ready (PostgreSQL: the worker makes its copy itself, named as
    pytest-django will look for it, test_<name>_<worker id>)."""
    template = node.config.stash.get(_TEMPLATE, None)
    if template is None:
        return
    copy = None
    if _default_connection().vendor != "sqlite":
        copy = f"{template.source}_{node.workerinput['workerid']}"
        template.clones.append(copy)
    node.workerinput[WORKER_INPUT_KEY] = {
        "ready": str(template.ready),
        "source": template.source,
        "copy": copy,
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    template = node.config.stash.get(_TEMPLATE, None)
    times = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
    if template is not None and times:
        template.worker_times[node.workerinput["workerid"]] = times


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Where the set-up time went: the migrations, and each worker's start."""
    template = config.stash.get(_TEMPLATE, None)
    if template is None or template.migrated_in is None:
        return
    line = f"test database migrated once in {template.migrated_in:.0f} s"
    for worker_id, times in sorted(template.worker_times.items()):
        line += (
            f"; {worker_id} collected at {times['waiting'] - template.began:.0f} s,"
            f" its copy ready at {times['copied'] - template.began:.0f} s"
            f" ({times['copied'] - times['ready']:.1f} s to copy)"
        )
    terminalreporter.write_line(line)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """After the workers have stopped: drop the clones and the template."""
    config = session.config
    template = config.stash.get(_TEMPLATE, None)
    if template is None:
        return
    if template.thread is not None:
        template.thread.join()
    from pytest_django.plugin import blocking_manager_key

    connection = _default_connection()
    try:
        with config.stash[blocking_manager_key].unblock():
            if template.clones:
                with connection.creation._nodb_cursor() as cursor:
                    for name in template.clones:
                        cursor.execute(
                            f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}"
                        )
            if template.old_config is not None:
                from django.test.utils import teardown_databases

                teardown_databases(template.old_config, verbosity=0)
    except Exception as error:  # a database left behind fails no test
        sys.stderr.write(f"Test databases left behind: {error!r}\n")
    shutil.rmtree(template.directory, ignore_errors=True)


def _template_in_worker(config: pytest.Config) -> dict[str, Any] | None:
    return getattr(config, "workerinput", {}).get(WORKER_INPUT_KEY)


def _wait_for_template(template: dict[str, Any]) -> None:
    _worker_times["waiting"] = time.time()
    ready = Path(template["ready"])
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready.exists():
        if time.monotonic() > deadline:
            raise pytest.UsageError("The test database template was not built in time")
        time.sleep(0.1)
    mark = ready.read_text()
    if mark != "ok":
        raise pytest.UsageError(f"The test database template was not built: {mark}")
    _worker_times["ready"] = time.time()


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest) -> bool:
    # pytest-django's own fixture, plus: a worker keeps the copy it was given (the
    # controller drops it)
    return bool(
        request.config.getvalue("reuse_db") or _template_in_worker(request.config)
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest,
    django_db_modify_db_settings_parallel_suffix: None,
    django_db_blocker: Any,
) -> None:
    """Before pytest-django sets up the worker's database: wait for the template,
    then make this worker's copy where the set-up finds it (SQLite: the in-memory
    test database Django's test runner names ``file:memorydb_default``)."""
    template = _template_in_worker(request.config)
    if template is None:
        return
    # sent to the controller when this worker finishes (read at the summary)
    request.config.workeroutput[WORKER_OUTPUT_KEY] = _worker_times  # type: ignore[attr-defined]
    connection = _default_connection()
    if connection.vendor != "sqlite":
        copy = connection.creation._get_test_db_name()
        if copy != template["copy"]:
            raise pytest.UsageError(f"The test database copy {copy} is not expected")
        _wait_for_template(template)
        quote = connection.ops.quote_name
        with django_db_blocker.unblock(), connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
            cursor.execute(
                f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(template['source'])}"
            )
        _worker_times["copied"] = time.time()
        return
    if connection.settings_dict.get("TEST", {}).get("NAME"):
        # a file test database of one's own: not what the template stands in for
        raise pytest.UsageError(
            "The SQLite test database template needs an in-memory test database"
        )
    memory = sqlite3.connect(
        connection.creation._get_test_db_name(), uri=True, check_same_thread=False
    )
    _wait_for_template(template)
    source = sqlite3.connect(f"file:{template['source']}?mode=ro", uri=True)
    try:
        source.backup(memory)
    finally:
        source.close()
    _kept_open.append(memory)
    _worker_times["copied"] = time.time()


def _restore(template: dict[str, Any], source: Any = None) -> None:
    """The worker's database as the controller migrated it, again (or as ``source``
    holds it, a copy of the demo, ``transactional_demo``): on SQLite the template
    file loaded over the in-memory database, on PostgreSQL the copy dropped and
    made again from the template. On PostgreSQL here that takes about 1 s, about
    what the flush and the rows loaded back took together: what it gains is a
    database as migrated after every transactional test."""
    from django.db import connections

    connection = _default_connection()
    if connection.vendor == "sqlite":
        if source is not None:
            source.backup(_kept_open[0])
            return
        migrated = sqlite3.connect(f"file:{template['source']}?mode=ro", uri=True)
        try:
            migrated.backup(_kept_open[0])
        finally:
            migrated.close()
        return
    connections.close_all()
    quote = connection.ops.quote_name
    copy = quote(template["copy"])
    with connection.creation._nodb_cursor() as cursor:
        # WITH (FORCE): a live server thread's connection, should one be left
        cursor.execute(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
        cursor.execute(
            f"CREATE DATABASE {copy} TEMPLATE {quote(source or template['source'])}"
        )


def _keep(template: dict[str, Any], name: str) -> Any:
    """A copy of the worker's database as it is now, to restore later: on SQLite
    an in-memory database of its own, on PostgreSQL a database made from it
    (``<copy>_<name>``), or None where another connection to it stops that."""
    from django.db import DatabaseError, connections

    connection = _default_connection()
    if connection.vendor == "sqlite":
        kept = sqlite3.connect(":memory:", check_same_thread=False)
        _kept_open[0].backup(kept)
        return kept
    connections.close_all()
    quote = connection.ops.quote_name
    copy = f"{template['copy']}_{name}"
    try:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
            cursor.execute(
                f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(template['copy'])}"
            )
    except DatabaseError:
        return None
    return copy


# the demo as loaded into this worker's database, by language (``transactional_demo``)
_demo_copies: dict[str, Any] = {}


@pytest.fixture(scope="session")
def _demo_copies_dropped(django_db_blocker: Any) -> Any:
    """The worker's copies of the demo, dropped when it is done."""
    yield _demo_copies
    for kept in _demo_copies.values():
        if isinstance(kept, sqlite3.Connection):
            kept.close()
        elif kept is not None:
            with django_db_blocker.unblock():
                _drop(kept)
    _demo_copies.clear()


def _drop(name: str) -> None:
    """Drop a PostgreSQL copy that ``_keep`` made."""
    connection = _default_connection()
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


@pytest.fixture
def transactional_demo(
    request: pytest.FixtureRequest, transactional_db: None, _demo_copies_dropped: Any
) -> None:
    """The seed demo in a transactional test's database (a browser's, a live
    server's), before anything else is written to it: ask for it first.

    In a worker with a template the first such test loads it (2.5 s on SQLite,
    5-7 s on PostgreSQL here, for each of some twenty browser tests) and keeps a
    copy of the database as loaded; each later one gets that copy instead, the
    way the template comes back after a transactional test (0.1 s and 1 s). What
    loading would have changed outside the database is the cache, which is
    cleared. A database that is not as migrated any more (a fixture made people
    first) gets the demo loaded into it."""
    demo_into_database(request.config)


def demo_into_database(config: pytest.Config) -> None:
    """``transactional_demo``'s work."""
    from io import StringIO

    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils import translation

    from org.models import Person

    template = _template_in_worker(config)
    if template is not None and Person.objects.exists():
        # not as migrated: a fixture wrote first, so the demo is loaded after it
        # and no copy is restored or kept
        template = None
    language = translation.get_language() or ""
    kept = _demo_copies.get(language)
    if template is not None and kept is not None:
        _restore(template, kept)
        cache.clear()
        return
    call_command("load_demo", stdout=StringIO())
    if template is not None and language not in _demo_copies:
        # None where the copy could not be made: the later tests load it too
        _demo_copies[language] = _keep(template, f"demo_{language.replace('-', '_')}")


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_leave_the_template(request: pytest.FixtureRequest) -> Any:
    """In a worker with a template, a transactional test (live server, browser)
    leaves the database as migrated, not emptied: Django's ``TransactionTestCase``
    flushes every table after the test, and the next test with
    ``serialized_rollback`` loads the migrations' rows back one by one. Here the
    database is restored from the template instead, so no test needs the rows
    loaded back, and no test after a transactional one finds them gone.

    Before the first transactional test the database is as migrated too: the
    tests before it ran in transactions rolled back."""
    template = _template_in_worker(request.config)
    if template is None:
        yield
        return
    from django.test import TransactionTestCase

    setup = TransactionTestCase.__dict__["_fixture_setup"]

    @classmethod  # type: ignore[misc]
    def _fixture_setup(cls: Any) -> None:
        serialized, cls.serialized_rollback = cls.serialized_rollback, False
        try:
            setup.__func__(cls)
        finally:
            cls.serialized_rollback = serialized

    def _fixture_teardown(self: Any) -> None:
        _restore(template)

    ours = {"_fixture_setup": _fixture_setup, "_fixture_teardown": _fixture_teardown}
    original = {name: TransactionTestCase.__dict__[name] for name in ours}
    for name, method in ours.items():
        setattr(TransactionTestCase, name, method)
    try:
        yield
    finally:
        for name, method in original.items():
            setattr(TransactionTestCase, name, method)
