"""No state change skips the audit trail.

Every public function of every module that holds actions is found by reading the
source; each must write an audit entry (call ``record``, Wagtail's ``log``, or a
Wagtail step that logs itself, directly or through another audited action), or be
named below as a helper that changes nothing or as a change left out of the trail on
purpose, with the reason. A new action that writes no audit entry fails here.

A second test runs a real scenario with every action wrapped and checks that each
call that went through left at least one entry with a registered action name.
"""

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from audit.actions import ACTIONS

ROOT = Path(__file__).resolve().parents[2]

# Modules whose public functions are the state changes (STYLE.md: ``<app>/actions.py``,
# or a package ``<app>/actions/`` split by noun; the look-backs and briefings keep
# theirs beside the app's actions).
ACTION_MODULES = sorted(
    {path.relative_to(ROOT) for path in ROOT.glob("*/actions.py")}
    | {
        path.relative_to(ROOT)
        for path in ROOT.glob("*/actions/*.py")
        if path.name != "__init__.py"
    }
    | {
        Path("demands/hotspots/actions.py"),
        Path("ledgers/lookback.py"),
        Path("publicity/briefings/actions.py"),
        Path("publicity/briefings/numbering.py"),
    }
)

# Calls that write an audit entry.
AUDIT_CALLS = frozenset({"record", "log"})
# Wagtail steps that write their own entry: ``publish`` of a revision, and
# ``save_revision(log_action=True)``.
WAGTAIL_LOGGING = frozenset({"publish"})

HELPERS = {
    # questions and computations: they change nothing
    "api/actions.py": {"request_fingerprint"},
    # register_actions fills the registry of action names at start-up
    "audit/actions.py": {"record", "register_actions", "scope_of"},
    "plans/actions.py": {
        "may_complete_milestone",
        "return_comments",
        "sanitise_html",
    },
    "demands/actions.py": {"retention_ends"},
    # the weekly job's calendar
    "demands/hotspots/actions.py": {"last_complete_week", "monday"},
    "evaluation/actions.py": {"is_closed", "new_token"},
    "ledgers/actions/common.py": {"check_in_period"},
    "ledgers/actions/deeds.py": {"rater_key"},
    "ledgers/lookback.py": {"draw", "last_day", "may_look_back"},
    "notify/actions.py": {"language_of"},
    "publicity/actions.py": {
        "mask_finding",
        "paragraphs_to_html",
        "plan_article_import",
    },
    "publicity/briefings/numbering.py": {"campaign_id_of"},
}

UNAUDITED_BY_DESIGN = {
    # a ballot of a democratic evaluation is anonymous: an entry would tie the
    # ballot to a time and an address (evaluation/audit_actions.py)
    ("evaluation/actions.py", "submit_ballot"),
    # the inbox: a notice is a message about an audited change, not a change
    ("notify/actions.py", "notify"),
    ("notify/actions.py", "mark_read"),
    ("notify/actions.py", "notify_on_commit"),
    ("notify/actions.py", "notify_rendered"),
    ("notify/actions.py", "email_notifications"),
    # called by demands.actions.erase_personal_data, whose entry counts the notices
    ("notify/actions.py", "rewrite_notices"),
    # a background job's own progress (started, rows done): asking for the job, its
    # end, its failure and its retry are audited
    ("jobs/actions.py", "start_job"),
    ("jobs/actions.py", "record_progress"),
    # an import's bulk store, called only by ledgers.roundtrip.store, which writes
    # the audit entry of each problem created or changed (with COPY, in the batch)
    ("ledgers/actions/imports.py", "import_problems"),
    ("ledgers/actions/imports.py", "store_measures"),
    # a page view counter
    ("publicity/actions.py", "add_hits"),
    # Wagtail's workflow for a column, made inside create_column, whose page
    # creation and publication Wagtail logs
    ("publicity/actions.py", "ensure_review_workflow"),
}


# Audited when they change something; a call that finds nothing to change (a demand
# that repeats no other) writes nothing and leaves no entry.
SILENT_WHEN_UNCHANGED = frozenset({"flag_possible_duplicate"})


def _public_functions(path: Path) -> Iterator[ast.FunctionDef]:
    for node in ast.parse((ROOT / path).read_text()).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            yield node


def _calls(function: ast.FunctionDef) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name):
            names.add(node.func.id)
        elif isinstance(node.func, ast.Attribute):
            names.add(node.func.attr)
        if any(
            keyword.arg == "log_action"
            and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            )
            for keyword in node.keywords
        ):
            names.add("log")
    return names


def _all_functions() -> dict[tuple[str, str], set[str]]:
    functions: dict[tuple[str, str], set[str]] = {}
    for path in ACTION_MODULES:
        tree = ast.parse((ROOT / path).read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                functions[(str(path), node.name)] = _calls(node)
    return functions


def _audited(functions: dict[tuple[str, str], set[str]]) -> set[tuple[str, str]]:
    """The functions that reach an audit call, through other functions of the
    action modules (a name called is taken to be any function of that name)."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    for key in functions:
        by_name.setdefault(key[1], []).append(key)
    audited: set[tuple[str, str]] = set()
    grew = True
    while grew:
        grew = False
        for key, calls in functions.items():
            if key in audited:
                continue
            reaches = calls & (AUDIT_CALLS | WAGTAIL_LOGGING) or any(
                other in audited for name in calls for other in by_name.get(name, [])
            )
            if reaches:
                audited.add(key)
                grew = True
    return audited


def test_every_public_action_writes_an_audit_entry() -> None:
    functions = _all_functions()
    audited = _audited(functions)
    missing = [
        f"{path}:{name}"
        for (path, name) in functions
        if not name.startswith("_")
        and (path, name) not in audited
        and name not in HELPERS.get(path, set())
        and (path, name) not in UNAUDITED_BY_DESIGN
    ]
    assert not missing, f"actions that write no audit entry: {missing}"


def test_the_exemptions_name_functions_that_exist() -> None:
    functions = _all_functions()
    named = {(path, name) for path, names in HELPERS.items() for name in names}
    assert named | UNAUDITED_BY_DESIGN <= set(functions)


def test_it_tells_an_audited_action_from_one_without_audit() -> None:
    source = (
        "def close_thing(thing, *, actor):\n"
        "    thing.status = 'closed'\n"
        "    thing.save(update_fields=['status'])\n"
        "def open_thing(thing, *, actor):\n"
        "    thing.save(update_fields=['status'])\n"
        "    record(thing, 'sanfu.thing.open', actor=actor)\n"
        "def reopen_thing(thing, *, actor):\n"
        "    open_thing(thing, actor=actor)\n"
    )
    functions = {
        ("x/actions.py", node.name): _calls(node)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }
    assert _audited(functions) == {
        ("x/actions.py", "open_thing"),
        ("x/actions.py", "reopen_thing"),
    }


def test_every_recorded_action_name_is_registered() -> None:
    """A literal ``record(x, "sanfu....")`` with a name not in ACTIONS would fail
    only at run time, on the path that takes it; catch it here for all of them.
    An app may register its own names through Wagtail's ``register_log_actions``
    hook (``api.wagtail_hooks``), which the registry then knows."""
    unregistered = []
    for path in ACTION_MODULES:
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "record"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value not in ACTIONS
                and not log_registry.action_exists(node.args[1].value)
            ):
                unregistered.append(f"{path}:{node.lineno} {node.args[1].value!r}")
    assert not unregistered


def _entries() -> int:
    return ModelLogEntry.objects.count() + PageLogEntry.objects.count()


@pytest.mark.django_db
def test_each_action_called_in_a_real_scenario_left_an_entry(
    world: Any, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Every action module's public functions wrapped; the matrix's scenario (a
    demand through acceptance and extension, plans, ledgers, evaluation, the column)
    run through them; each call that returned left an entry behind."""
    settings.MEDIA_ROOT = tmp_path
    exempt = (
        {name for names in HELPERS.values() for name in names}
        | {name for _path, name in UNAUDITED_BY_DESIGN}
        | SILENT_WHEN_UNCHANGED
    )
    called: dict[str, int] = {}
    silent: list[str] = []
    depth = [0]

    def wrap(qualified: str, function: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            before = _entries()
            depth[0] += 1
            try:
                result = function(*args, **kwargs)
            finally:
                depth[0] -= 1
            called[qualified] = called.get(qualified, 0) + 1
            if _entries() == before:
                silent.append(qualified)
            return result

        return wrapped

    for path in ACTION_MODULES:
        module = importlib.import_module(str(path.with_suffix("")).replace("/", "."))
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and name not in exempt
            ):
                qualified = f"{module.__name__}.{name}"
                wrapped = wrap(qualified, function)
                # patch the function where it is defined and where it was imported
                for other in list(_importers(function)):
                    monkeypatch.setattr(other, name, wrapped)

    from sanfu.tests.matrix_objects import build_things

    build_things(world, column_slug="column")
    assert len(called) >= 20, sorted(called)
    assert not silent, f"actions that returned without an audit entry: {silent}"


def _importers(function: Any) -> Iterator[Any]:
    import sys

    from sanfu.tests.authz import PROJECT_APPS

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.split(".")[0] not in PROJECT_APPS:
            continue
        if getattr(module, function.__name__, None) is function:
            yield module
