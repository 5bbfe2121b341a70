"""The worker's side of a briefing's files (``publicity.briefings.files``)."""

from django_tasks import task

from publicity.briefings import files


@task(backend="sanfu", queue_name="sanfu_long")
def make_briefing_file(file_id: int) -> None:
    files.make_file(file_id)
