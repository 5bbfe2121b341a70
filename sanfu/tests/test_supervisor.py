"""The supervisor behind ``make run`` (core.supervisor, manage.py run_dev):
three real programs, each printing its pid and waiting, come up with their output
prefixed, and all stop on SIGINT (Ctrl-C) and on SIGTERM."""

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sanfu.management.commands.run_dev import dev_programs

ROOT = Path(__file__).resolve().parents[2]
# a program that says it is up, with its pid, and waits to be stopped
WAITER = "import os, time; print('up', os.getpid(), flush=True); time.sleep(600)"
SUPERVISOR = """
import sys
from core.supervisor import Program, supervise
waiter, quitter = sys.argv[1], sys.argv[2]
programs = [Program(name, [sys.executable, "-c", waiter]) for name in ("web", "clock")]
programs.append(Program("worker", [sys.executable, "-c", quitter]))
sys.exit(supervise(programs, stop_timeout=20))
"""
# a safety limit only: each step takes well under a second
DEADLINE = 60


def start(worker_program: str = WAITER) -> tuple[subprocess.Popen[str], queue.Queue]:
    process = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, WAITER, worker_program],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def read_until(lines: queue.Queue, done) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    while not done(seen):
        line = lines.get(timeout=DEADLINE)
        if line is None:
            break
        seen.append(line)
    return seen


def pids_of_programs_up(lines: queue.Queue) -> dict[str, int]:
    seen = read_until(lines, lambda seen: sum(" | up " in s for s in seen) == 3)
    pids = {}
    for line in seen:
        name, _, text = line.partition(" | ")
        if text.startswith("up "):
            pids[name.strip()] = int(text.split()[1])
    return pids


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    "stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"]
)
def test_all_three_come_up_and_stop_together(stop: signal.Signals) -> None:
    process, lines = start()
    try:
        pids = pids_of_programs_up(lines)
        assert sorted(pids) == ["clock", "web", "worker"]
        assert all(is_running(pid) for pid in pids.values())

        process.send_signal(stop)

        assert process.wait(DEADLINE) == 0
    finally:
        process.kill()
    rest = read_until(lines, lambda seen: False)
    assert rest[-1].startswith("supervisor")
    assert "all stopped" in rest[-1]
    assert not [name for name, pid in pids.items() if is_running(pid)]


def test_one_program_stopping_stops_the_others() -> None:
    process, lines = start(worker_program="import sys; print('up', 0); sys.exit(3)")
    try:
        status = process.wait(DEADLINE)
    finally:
        process.kill()
    seen = read_until(lines, lambda seen: False)
    pids = [int(line.split()[-1]) for line in seen if "| up " in line]

    assert status == 3
    assert any("worker exited with status 3" in line for line in seen)
    assert not [pid for pid in pids if pid and is_running(pid)]


def test_make_run_starts_the_server_the_clock_and_the_worker() -> None:
    programs = {program.name: program for program in dev_programs("127.0.0.1:8123", 30)}

    assert list(programs["web"].argv[2:]) == ["runserver", "127.0.0.1:8123"]
    assert list(programs["clock"].argv[2:]) == ["run_periodic", "--interval", "30"]
    assert list(programs["worker"].argv[2:5]) == ["db_worker", "--backend", "sanfu"]
    # the site queues, the worker runs: one task backend, in the database
    assert {p.env["SANFU_TASKS_BACKEND"] for p in programs.values()} == {"database"}
    # and the demo's fast clock, so a reminder follows a dispatch within minutes
    assert {p.env["SANFU_DEMO_ACCEPT_MINUTES"] for p in programs.values()} == {"2"}
