"""A few programs run side by side as one: each line they print is passed on with
the program's name in front, and all of them stop together, when the supervisor is
told to (Ctrl-C's SIGINT, or SIGTERM) or when one of them stops by itself.

Each program runs in a session of its own, so that a stop reaches the processes it
starts in turn (runserver's and the worker's autoreloader children) and Ctrl-C reaches
only the supervisor, which then stops the programs in order.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import IO

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class Program:
    name: str
    argv: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)


class _Output:
    """One stream the programs' lines go to, a whole line at a time."""

    def __init__(self, stream: IO[str], width: int) -> None:
        self.stream = stream
        self.width = width
        self.lock = threading.Lock()

    def line(self, name: str, text: str) -> None:
        with self.lock:
            self.stream.write(f"{name:<{self.width}} | {text.rstrip()}\n")
            self.stream.flush()


def _relay(process: subprocess.Popen[bytes], name: str, output: _Output) -> None:
    assert process.stdout is not None
    with process.stdout:
        for raw in process.stdout:
            output.line(name, raw.decode(errors="replace"))


def _stop(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, sig)


def supervise(
    programs: Sequence[Program],
    *,
    stream: IO[str] | None = None,
    stop_timeout: float = 10.0,
) -> int:
    """Run ``programs`` until a stop signal or until one of them exits; return 0
    after a stop signal, else the exit status of the program that stopped first
    (1 if that was 0: it was not meant to stop)."""
    output = _Output(stream or sys.stdout, max(len(p.name) for p in programs))
    stop_asked = threading.Event()

    def ask_stop(signum: int, frame: FrameType | None) -> None:
        stop_asked.set()

    previous = {sig: signal.signal(sig, ask_stop) for sig in STOP_SIGNALS}
    running: list[tuple[Program, subprocess.Popen[bytes]]] = []
    relays: list[threading.Thread] = []
    status = 0
    try:
        for program in programs:
            process = subprocess.Popen(
                list(program.argv),
                env={**os.environ, "PYTHONUNBUFFERED": "1", **program.env},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            running.append((program, process))
            relay = threading.Thread(
                target=_relay, args=(process, program.name, output), daemon=True
            )
            relay.start()
            relays.append(relay)
            output.line("supervisor", f"started {program.name} (pid {process.pid})")
        while not stop_asked.wait(0.2):
            ended = [(p, proc) for p, proc in running if proc.poll() is not None]
            if ended:
                program, process = ended[0]
                status = process.returncode or 1
                output.line(
                    "supervisor",
                    f"{program.name} exited with status {process.returncode}; "
                    "stopping the others",
                )
                break
    finally:
        for _program, process in running:
            _stop(process, signal.SIGTERM)
        for program, process in running:
            try:
                process.wait(stop_timeout)
            except subprocess.TimeoutExpired:
                output.line("supervisor", f"{program.name} did not stop: killed")
                _stop(process, signal.SIGKILL)
                process.wait()
        for relay in relays:
            relay.join(stop_timeout)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    output.line("supervisor", "all stopped")
    return status
