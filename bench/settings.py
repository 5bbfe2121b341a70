"""Settings for the benchmarks: the project's, plus the bare floor's URLs and a public
rate limit the load can't hit. Production settings stay untouched."""

from core.env import env_int
from sanfu import settings as _project
from sanfu.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The public API allows 20 submissions a minute per client address; every bench
# request comes from 127.0.0.1, so the limit is raised (still counted, per worker).
_LIMIT = env_int("BENCH_API_RATE_LIMIT", 1_000_000_000)
SANFU_API_RATE_LIMITS = {"submit": (_LIMIT, 60), "lookup": (_LIMIT, 60)}

# Background tasks (the duplicate check after a submission) go to the database queue
# and a worker that bench/intake.py starts beside the server, as in production; the
# project's default runs them at once, in the request.
TASKS = {
    **_project.TASKS,
    "sanfu": {**_project.TASKS["sanfu"], "BACKEND": "django_tasks_db.DatabaseBackend"},
}
