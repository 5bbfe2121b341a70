"""One migrated test database for all pytest-xdist workers (a pytest plugin).

Without it each xdist worker builds its own test database through every migration
(about 240; 26-41 s a worker on this project's CI machine, twice per database engine).
With it the xdist controller builds the database once, through the same migrations,
and each worker starts from a copy of it: on PostgreSQL a database created from it as
a template (Django's own clone, ``CREATE DATABASE ... TEMPLATE``), on SQLite the file
loaded into the worker's in-memory database. The worker then runs pytest-django's
usual set-up with ``keepdb``, which finds every migration applied and migrates
nothing. Without xdist (``-n 0``), with ``--nomigrations`` or ``--reuse-db`` nothing
changes.
"""

import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

WORKER_INPUT_KEY = "sanfu_template_database"
# the worker's in-memory SQLite database lives as long as one connection to it
_kept_open: list[sqlite3.Connection] = []


class Template:
    """The database the controller built, and the clones made from it."""

    def __init__(self, old_config: Any, directory: Path | None) -> None:
        self.old_config = old_config
        self.directory = directory
        self.clones: list[str] = []


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
def pytest_sessionstart(session: pytest.Session) -> None:
    """The controller migrates the test database once, before any worker starts."""
    config = session.config
    if not _is_controller(config):
        return
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_test_environment,
    )
    from pytest_django.plugin import blocking_manager_key

    began = time.monotonic()
    connection = _default_connection()
    directory = None
    if connection.vendor == "sqlite":
        # a file, so that each worker can load it into its own memory
        directory = Path(tempfile.mkdtemp(prefix="sanfu-test-db-"))
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            directory / "template.sqlite3"
        )
    # as pytest-django's django_db_setup does in each worker
    setup_test_environment(debug=False)
    try:
        with config.stash[blocking_manager_key].unblock():
            old_config = setup_databases(
                verbosity=0, interactive=False, serialized_aliases=set()
            )
            connection.close()
    finally:
        teardown_test_environment()
    config.stash[_TEMPLATE] = Template(old_config, directory)
    # before pytest's own clock starts: its "passed in" leaves this time out
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"test database migrated once for the workers in "
            f"{time.monotonic() - began:.0f} s"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give the starting worker its copy of the template (PostgreSQL: a database
    named as pytest-django will look for it, test_<name>_<worker id>)."""
    template = node.config.stash.get(_TEMPLATE, None)
    if template is None:
        return
    from pytest_django.plugin import blocking_manager_key

    connection = _default_connection()
    worker_id = node.workerinput["workerid"]
    if connection.vendor == "sqlite":
        node.workerinput[WORKER_INPUT_KEY] = connection.settings_dict["NAME"]
        return
    with node.config.stash[blocking_manager_key].unblock():
        connection.creation.clone_test_db(suffix=worker_id, verbosity=0)
    template.clones.append(worker_id)
    node.workerinput[WORKER_INPUT_KEY] = connection.creation.get_test_db_clone_settings(
        worker_id
    )["NAME"]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """After the workers have stopped: drop the clones and the template."""
    config = session.config
    template = config.stash.get(_TEMPLATE, None)
    if template is None:
        return
    from django.test.utils import teardown_databases
    from pytest_django.plugin import blocking_manager_key

    connection = _default_connection()
    try:
        with config.stash[blocking_manager_key].unblock():
            for worker_id in template.clones:
                connection.creation.destroy_test_db(suffix=worker_id, verbosity=0)
            teardown_databases(template.old_config, verbosity=0)
    except Exception as error:  # a database left behind fails no test
        sys.stderr.write(f"Test databases left behind: {error!r}\n")
    if template.directory is not None:
        shutil.rmtree(template.directory, ignore_errors=True)


def _template_in_worker(config: pytest.Config) -> str | None:
    return getattr(config, "workerinput", {}).get(WORKER_INPUT_KEY)


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
) -> None:
    """Before pytest-django sets up the worker's database: on SQLite, load the
    template into the in-memory test database (the one Django's test runner names
    ``file:memorydb_default``), where the set-up finds it."""
    template = _template_in_worker(request.config)
    connection = _default_connection()
    if template is None:
        return
    if connection.vendor != "sqlite":
        if connection.creation._get_test_db_name() != template:
            raise pytest.UsageError(f"The test database copy {template} is not found")
        return
    if connection.settings_dict.get("TEST", {}).get("NAME"):
        # a file test database of one's own: not what the template stands in for
        raise pytest.UsageError(
            "The SQLite test database template needs an in-memory test database"
        )
    memory = sqlite3.connect(
        connection.creation._get_test_db_name(), uri=True, check_same_thread=False
    )
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        source.backup(memory)
    finally:
        source.close()
    _kept_open.append(memory)
