"""Intake throughput through a real server: ``POST /api/v1/demands`` against a bare
Django POST that writes one row, in the same run.

Run from the project root (PostgreSQL; migrated and given the demo campaign here)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanfu_bench \
        .venv/bin/python bench/intake.py

It starts gunicorn (sync workers, 2 by default) on a free port of 127.0.0.1 serving
``sanfu.wsgi:application`` with ``DEBUG`` off and the settings module
``bench.settings`` (the project's settings, the bare views' URLs, and a public rate
limit the load can't reach). Client threads (8 by default), each with its own
``http.client`` connection (re-opened whenever the server closes it, which gunicorn's
sync workers do after every response), POST to one target for a fixed time. Both
targets are warmed up first, then measured in alternation (floor, API, floor, API)
so that drift hits both alike. It prints requests per second, median and 95th
percentile latency (connect included), the errors, and the ratio API/floor, and
stops gunicorn at the end, also on error.

It also prints the CPU time each answered request cost the machine, all processes
together, and how it divides: the server (gunicorn's processes), the load (the
client threads), the task worker, and the rest (the database's backends, with a
little of the kernel's). An API phase is counted until its task queue is empty,
so its duplicate checks are in. Throughput on a machine whose cores are all busy
follows this cost; where they are not, it follows latency (round trips).

The floor (``bench/urls.py``) goes through the same middleware, parses the JSON body,
INSERTs one session row and answers 201 with a little JSON. Its rows are deleted at
the end; the demands the API filed stay in the demo campaign of the bench database.

Nothing here is a test: tests check correctness, this measures.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"  # the only address this script ever connects to
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sanfu_bench"
LOG = ROOT / "var" / "bench-intake-gunicorn.log"
WORKER_LOG = ROOT / "var" / "bench-intake-worker.log"
MAX_DRAIN_SECONDS = 300.0
# Hard bounds, whatever the arguments: no phase runs longer or sends more.
MAX_PHASE_SECONDS = 120.0
MAX_PHASE_REQUESTS = 1_000_000

FLOOR_PATH = "/bench/bare-write/"
API_PATH = "/api/v1/demands"

_PHRASES = (
    "小區 路燈 不亮 道路 積水 垃圾 清運 噪音 擾民 停車 困難 電梯 維修 供暖 "
    "不足 公交 線路 調整 學校 周邊 交通 擁堵 綠化 帶 破損 下水道 堵塞 菜市場 "
    "佔道 經營 圍擋 施工 揚塵 社區 醫院 排隊 時間 長 希望 儘快 處理 謝謝"
)
WORDS = _PHRASES.split()


def server_env(database_url: str, conn_max_age: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE=str(conn_max_age),
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "benchmark-only-not-secret",
        ALLOWED_HOSTS=HOST,
        LOG_LEVEL="WARNING",
    )
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def prepare(env: dict[str, str], campaign: str) -> tuple[str, int | None]:
    """Migrate, make the demo campaign if it is missing, and return the campaign's
    slug and one of its open categories (None when it has none)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from campaigns.models import Campaign
    from demands.models import Category

    if not Campaign.objects.live().filter(slug=campaign).exists():
        subprocess.run([*manage, "load_demo"], env=env, check=True)
    found = Campaign.objects.live().get(slug=campaign)
    # statistics as a running database keeps them: a demands table grown by
    # thousands since autovacuum last looked gets plans made for a few rows (the
    # duplicate check's candidates read every open demand instead of 200)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE demands_demand")
    category = (
        Category.objects.filter(campaign=found, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    connection.close()
    return found.slug, category


def delete_floor_rows() -> int:
    from django.contrib.sessions.models import Session
    from django.db import connection

    from bench.urls import BARE_WRITE_MARK

    deleted, _ = Session.objects.filter(session_data=BARE_WRITE_MARK).delete()
    connection.close()
    return deleted


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    LOG.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sanfu.wsgi:application",
        "--worker-class",
        "sync",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(LOG),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    """The task worker (``db_worker`` of django-tasks-db) beside the server, as in
    production: it runs the duplicate check each submission queues. It keeps its
    database connection (a worker has no requests to scope one to)."""
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--backend",
        "sanfu",
    ]
    command += ["--queue-name", "*"]
    command += ["--no-startup-delay", "--interval", "0.2"]
    log = WORKER_LOG.open("w")
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**env, "DATABASE_CONN_MAX_AGE": "600"},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def queued_tasks() -> Counter[str]:
    """The task queue's rows by status."""
    from django.db import connection
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(backend_name="sanfu")  # the worker's backend
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts: Counter[str] = Counter(dict(rows))
    connection.close()
    return counts


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """The CPU time every process of the machine has used so far, all cores
    together: user, nice, system, irq and softirq (not idle, I/O wait or steal)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def tree_seconds(pid: int) -> float:
    """The CPU time of a running process and of its children now running (gunicorn's
    master and its workers)."""
    total = cpu_seconds(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(OSError):  # it exited meanwhile
                total += cpu_seconds(int(child))
    return total


@dataclass(frozen=True)
class Cpu:
    """CPU seconds used so far (or in a phase): by the whole machine, the server
    (gunicorn), the load (this script's client threads) and the task worker; the
    rest is the database's, but for a little of the kernel's and of other
    processes'."""

    machine: float
    server: float
    client: float
    worker: float

    @classmethod
    def now(cls, server: subprocess.Popen, worker: subprocess.Popen) -> "Cpu":
        times = os.times()
        return cls(
            machine_busy(),
            tree_seconds(server.pid),
            times.user + times.system,
            cpu_seconds(worker.pid),
        )

    def __sub__(self, other: "Cpu") -> "Cpu":
        return Cpu(
            self.machine - other.machine,
            self.server - other.server,
            self.client - other.client,
            self.worker - other.worker,
        )

    def __add__(self, other: "Cpu") -> "Cpu":
        return Cpu(
            self.machine + other.machine,
            self.server + other.server,
            self.client + other.client,
            self.worker + other.worker,
        )

    def per_request(self, requests: int) -> str:
        """Milliseconds of each per answered request."""
        if not requests:
            return "no request answered"
        ms = 1000 / requests
        rest = self.machine - self.server - self.client - self.worker
        return (
            f"{self.machine * ms:.2f} ms in all: server {self.server * ms:.2f}, "
            f"database and the rest {rest * ms:.2f}, load {self.client * ms:.2f}, "
            f"task worker {self.worker * ms:.2f}"
        )


NO_CPU = Cpu(0.0, 0.0, 0.0, 0.0)


def drain(worker: subprocess.Popen) -> tuple[int, float]:
    """Wait until the worker has run every queued task: how many were waiting when
    the phase ended, and how long the worker took to finish them."""
    started = time.perf_counter()
    counts = queued_tasks()
    waiting = backlog = counts["READY"] + counts["RUNNING"]
    while waiting:
        if worker.poll() is not None:
            raise RuntimeError(f"the task worker exited; see {WORKER_LOG}")
        if time.perf_counter() - started > MAX_DRAIN_SECONDS:
            raise RuntimeError(f"{waiting} tasks still queued; see {WORKER_LOG}")
        time.sleep(0.2)
        counts = queued_tasks()
        waiting = counts["READY"] + counts["RUNNING"]
    return backlog, time.perf_counter() - started


def clear_task_results() -> Counter[str]:
    """Delete the finished tasks' rows; their count by status."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    counts = queued_tasks()
    finished = DBTaskResult.objects.exclude(status__in=("READY", "RUNNING"))
    finished.filter(backend_name="sanfu").delete()
    connection.close()
    return counts


def wait_ready(server: subprocess.Popen, port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}); see {LOG}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/bench/bare/1/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {LOG}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Phase:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, successes only
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no answer
    cpu: Cpu = NO_CPU  # used by the phase, and by the tasks it queued

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.ok


def api_body(slug: str, category: int | None) -> Callable[[random.Random], bytes]:
    def body(rng: random.Random) -> bytes:
        payload: dict[str, object] = {
            "campaign": slug,
            "kind": rng.choice(("help", "complaint", "suggestion", "consultation")),
            "title": "".join(rng.choices(WORDS, k=6)),
            "content": "".join(rng.choices(WORDS, k=40)),
            "location": "".join(rng.choices(WORDS, k=3)),
            "name": "",
            "phone": "",
        }
        if category is not None:
            payload["category"] = category
        return json.dumps(payload, ensure_ascii=False).encode()

    return body


def floor_body(rng: random.Random) -> bytes:
    return json.dumps({"n": rng.random()}).encode()


def load(
    port: int,
    label: str,
    path: str,
    body: Callable[[random.Random], bytes],
    *,
    threads: int,
    seconds: float,
    expect: int = 201,
) -> Phase:
    """``threads`` clients POST to ``path`` for ``seconds``; latencies of the
    answers with status ``expect`` and the count of every status."""
    seconds = min(seconds, MAX_PHASE_SECONDS)
    phase = Phase(label)
    lock = threading.Lock()
    budget = MAX_PHASE_REQUESTS // threads
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    started = time.perf_counter()
    deadline = started + seconds

    def client(seed: str) -> None:
        rng = random.Random(seed)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        conn: http.client.HTTPConnection | None = None
        for _ in range(budget):
            if time.perf_counter() >= deadline:
                break
            data = body(rng)
            begin = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request("POST", path, data, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                status = 0
                if conn is not None:
                    conn.close()
                conn = None
            statuses[status] += 1
            if status == expect:
                latencies.append((time.perf_counter() - begin) * 1000)
        if conn is not None:
            conn.close()
        with lock:
            phase.latencies.extend(latencies)
            phase.statuses.update(statuses)

    workers = [
        threading.Thread(target=client, args=(f"{label}-{n}",), daemon=True)
        for n in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 60)
    phase.seconds = time.perf_counter() - started
    return phase


def summary(phases: list[Phase]) -> tuple[float, float, float, int]:
    """Requests per second (successes), median and p95 in ms, errors."""
    latencies = [ms for phase in phases for ms in phase.latencies]
    seconds = sum(phase.seconds for phase in phases)
    errors = sum(phase.errors for phase in phases)
    if len(latencies) < 2:
        return 0.0, float("nan"), float("nan"), errors
    p95 = statistics.quantiles(latencies, n=20)[18]
    return len(latencies) / seconds, statistics.median(latencies), p95, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seconds", type=float, default=15.0, help="per phase")
    parser.add_argument("--warmup", type=float, default=3.0, help="per target")
    parser.add_argument("--rounds", type=int, default=2, help="floor+API pairs")
    parser.add_argument("--campaign", default="sanfu-2007", help="its slug")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=int(os.environ.get("DATABASE_CONN_MAX_AGE") or 0),
        help="DATABASE_CONN_MAX_AGE of the server (0: a connection per request)",
    )
    args = parser.parse_args()
    if not 1 <= args.threads <= 64 or not 1 <= args.rounds <= 10:
        parser.error("--threads is 1..64 and --rounds 1..10")

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    env = server_env(database_url, args.conn_max_age)
    slug, category = prepare(env, args.campaign)
    api = api_body(slug, category)
    port = free_port()
    print(
        f"gunicorn sync x{args.workers} on {HOST}:{port}, {args.threads} client "
        f"threads, {args.seconds:.0f} s per phase, {args.rounds} rounds, "
        f"DATABASE_CONN_MAX_AGE={args.conn_max_age}, campaign {slug}, "
        f"category {category}, {os.cpu_count()} CPUs"
    )
    clear_task_results()
    server = start_server(env, port, args.workers)
    worker = start_worker(env)
    floors: list[Phase] = []
    apis: list[Phase] = []
    drained = 0.0
    try:
        wait_ready(server, port)
        common = {"threads": args.threads}
        load(
            port, "warm-up floor", FLOOR_PATH, floor_body, seconds=args.warmup, **common
        )
        load(port, "warm-up API", API_PATH, api, seconds=args.warmup, **common)
        drain(worker)
        for n in range(1, args.rounds + 1):
            for label, path, body, into in (
                ("floor", FLOOR_PATH, floor_body, floors),
                ("API", API_PATH, api, apis),
            ):
                cpu_started = Cpu.now(server, worker)
                phase = load(
                    port, f"{label} {n}", path, body, seconds=args.seconds, **common
                )
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn exited mid-run; see {LOG}")
                into.append(phase)
                rps, median, p95, errors = summary([phase])
                print(
                    f"  {phase.label:8} {rps:7.1f} req/s  median {median:6.1f} ms  "
                    f"p95 {p95:6.1f} ms  errors {errors}  {dict(phase.statuses)}"
                )
                if into is apis:
                    # the next phase starts with an empty queue, so the floor
                    # never pays for the API's background work
                    backlog, seconds = drain(worker)
                    drained += seconds
                    print(f"  queue: {backlog} tasks left, empty {seconds:.1f} s later")
                phase.cpu = Cpu.now(server, worker) - cpu_started
                print(f"  CPU per request: {phase.cpu.per_request(phase.ok)}")
    finally:
        stop_server(server)
        stop_server(worker)
        deleted = delete_floor_rows()
        tasks = clear_task_results()
    floor = summary(floors)
    api_figures = summary(apis)
    print(
        "\n| target | req/s | median ms | p95 ms | errors |\n|---|---:|---:|---:|---:|"
    )
    for label, (rps, median, p95, errors) in (
        (f"bare POST, one INSERT (`{FLOOR_PATH}`)", floor),
        (f"`POST {API_PATH}`", api_figures),
    ):
        print(f"| {label} | {rps:.1f} | {median:.1f} | {p95:.1f} | {errors} |")
    ratio = api_figures[0] / floor[0] if floor[0] else float("nan")
    # the target is stated for Django's default connection handling (README.md)
    basis = "target ≥ 50%" if args.conn_max_age == 0 else "kept connections: no target"
    print(f"\nAPI/floor throughput: {ratio:.0%} ({basis})")
    print("CPU per request, the machine's, over all rounds:")
    for label, phases in (("floor", floors), ("API", apis)):
        used = sum((phase.cpu for phase in phases), NO_CPU)
        print(f"  {label:5} {used.per_request(sum(phase.ok for phase in phases))}")
    print(
        f"(the API's task worker runs the duplicate checks; the last check of a "
        f"phase runs {drained / len(apis):.1f} s after it on average, each waiting "
        f"for the submissions of a few seconds, and its CPU is counted)"
    )
    print(f"tasks run: {dict(tasks)} (FAILED ones: see {WORKER_LOG.name})")
    print(f"({deleted} floor rows deleted; server log: {LOG.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
