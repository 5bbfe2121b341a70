"""The worker's side of a job: take it, run its kind, record how it ended."""

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from jobs.actions import fail_job, finish_job, start_job
from jobs.kinds import KINDS, JobRefused, Progress
from notify.actions import language_of

logger = logging.getLogger(__name__)


@task(backend="sanfu", queue_name="sanfu_long")
def run_job(job_id: int) -> None:
    job = start_job(job_id)
    if job is None:
        return
    with translation.override(language_of(job.requested_by)):
        try:
            output = KINDS[job.kind].run(job, Progress(job))
        except JobRefused as refused:
            fail_job(job, str(refused))
            return
        except Exception as error:  # recorded on the job for its owner; logged
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            fail_job(
                job,
                _(
                    "It stopped on an unexpected error (%(error)s); the server's log "
                    "has the details."
                )
                % {"error": type(error).__name__},
            )
            return
        finish_job(
            job,
            message=output.message,
            filename=output.filename,
            content=output.content,
            keep_source=output.keep_source,
        )
