"""Every state change of a background job, one function each.

A job is queued by a person (``enqueue_job``), taken by a worker (``start_job``),
reports its progress outside any transaction so the person's page sees it move
(``record_progress``), and ends done with its file (``finish_job``) or failed with its
reason (``fail_job``); its owner may queue a failed job again (``retry_job``).
"""

import datetime
import re
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from core.errors import Conflict
from core.locking import locked_in
from jobs.models import Job, JobState
from org.models import Person

# A job running this long lost its worker (stopped, killed, the host gone): the
# longest export of a large campaign takes minutes.
STALE_AFTER = datetime.timedelta(hours=2)


def _run_on_commit(job: Job) -> None:
    from jobs.tasks import run_job

    pk = job.pk
    transaction.on_commit(lambda: run_job.enqueue(pk))


def _stored_name(prefix: str, filename: str) -> str:
    # The person sees ``filename``; the storage gets a plain ASCII name.
    suffix = PurePath(filename).suffix.lower()
    return prefix + (suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else "")


@transaction.atomic
def enqueue_job(
    kind: str,
    *,
    actor: Person,
    params: dict[str, Any] | None = None,
    campaign: Any = None,
    source: File | None = None,
) -> Job:
    """Queue ``kind`` for ``actor``; the worker is asked once the row is committed."""
    from jobs.kinds import KINDS

    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        requested_by=actor, kind=kind, params=params or {}, campaign=campaign
    )
    if source is not None:
        job.source.save(_stored_name("source", source.name or ""), source, save=False)
        job.save(update_fields=["source"])
    record(job, "sanfu.job.enqueue", actor=actor, data={"kind": kind})
    _run_on_commit(job)
    return job


@transaction.atomic
def start_job(job_id: int) -> Job | None:
    """Take a queued job for running; ``None`` if it is not queued (already taken,
    or gone), so a task delivered twice runs the job once."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        return None
    job.state = JobState.RUNNING
    job.started_at = timezone.now()
    job.attempts += 1
    job.done = job.total = 0
    job.save(update_fields=["state", "started_at", "attempts", "done", "total"])
    return job


def record_progress(job: Job, done: int, total: int) -> None:
    """Note how far a running job got. Written at once, outside the caller's
    transaction if any would hide it, so the person's page can show it."""
    total = max(total, 0)
    done = min(max(done, 0), total)
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(done=done, total=total)
    job.done, job.total = done, total


def _locked(job: Job, *states: str) -> Job:
    return locked_in(
        job,
        states,
        field="state",
        changed=gettext_lazy("This job changed meanwhile; reload the page."),
    )


def _drop_file(field: Any) -> None:
    if field:
        storage, name = field.storage, field.name
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def finish_job(
    job: Job,
    *,
    message: str = "",
    filename: str = "",
    content: bytes | None = None,
    keep_source: bool = False,
) -> Job:
    """End a running job well, with its file (if it makes one) and a summary; its
    upload is dropped unless ``keep_source`` (a preview, for ``continue_job``)."""
    fresh = _locked(job, JobState.RUNNING)
    update = ["state", "message", "done", "total", "finished_at"]
    if content is not None:
        fresh.result.save(
            _stored_name("result", filename), ContentFile(content), save=False
        )
        fresh.filename = filename
        update += ["result", "filename"]
    if fresh.source and not keep_source:
        _drop_file(fresh.source)
        fresh.source = ""  # type: ignore[assignment]
        update.append("source")
    fresh.state = JobState.DONE
    fresh.message = message
    fresh.total = max(fresh.total, 1)
    fresh.done = fresh.total
    fresh.finished_at = timezone.now()
    fresh.save(update_fields=update)
    record(fresh, "sanfu.job.finish", data={"kind": fresh.kind})
    return fresh


@transaction.atomic
def continue_job(job: Job, kind: str, *, actor: Person) -> Job:
    """Queue ``kind`` on the upload a finished job kept (an import confirmed after
    its preview). The upload moves to the new job, so a preview starts one import."""
    fresh = _locked(job, JobState.DONE)
    if not fresh.source:
        raise Conflict(_("This preview was already confirmed, or cannot be."))
    follow = Job.objects.create(
        requested_by=actor,
        kind=kind,
        params={**fresh.params, "preview": fresh.pk},
        campaign=fresh.campaign,
        source=fresh.source.name,
    )
    fresh.source = ""  # type: ignore[assignment]
    fresh.save(update_fields=["source"])
    record(follow, "sanfu.job.enqueue", actor=actor, data={"kind": kind})
    _run_on_commit(follow)
    return follow


@transaction.atomic
def fail_job(job: Job, reason: str, *, only_running: bool = False) -> Job:
    """End a job with the reason it could not be done, in words for its owner."""
    states = (
        (JobState.RUNNING,) if only_running else (JobState.RUNNING, JobState.QUEUED)
    )
    fresh = _locked(job, *states)
    fresh.state = JobState.FAILED
    fresh.message = reason
    fresh.finished_at = timezone.now()
    fresh.save(update_fields=["state", "message", "finished_at"])
    record(fresh, "sanfu.job.fail", data={"kind": fresh.kind, "reason": reason[:500]})
    return fresh


@transaction.atomic
def retry_job(job: Job, *, actor: Person) -> Job:
    """Queue a failed job again, with the same parameters (and upload)."""
    fresh = _locked(job, JobState.FAILED)
    fresh.state = JobState.QUEUED
    fresh.message = ""
    fresh.done = fresh.total = 0
    fresh.started_at = fresh.finished_at = None
    fresh.save(
        update_fields=["state", "message", "done", "total", "started_at", "finished_at"]
    )
    record(fresh, "sanfu.job.retry", actor=actor, data={"kind": fresh.kind})
    _run_on_commit(fresh)
    return fresh


def fail_stale_jobs(now: datetime.datetime) -> int:
    """Fail the jobs a worker took and never ended, so their owners see it and may
    retry; returns how many."""
    stale = Job.objects.filter(
        state=JobState.RUNNING, started_at__lt=now - STALE_AFTER
    ).values_list("pk", flat=True)
    failed = 0
    for pk in list(stale):
        try:
            fail_job(
                Job(pk=pk),
                _("The worker stopped before the job finished; retry it."),
                only_running=True,
            )
        except Conflict:
            continue  # it ended meanwhile
        failed += 1
    return failed
