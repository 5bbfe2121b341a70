"""A briefing's files are made by the worker, never inside a request.

A render takes from a fraction of a second (.docx) to seconds (the PDFs on a busy
host, the first in a fresh process), longer than a page may keep its reader
waiting. So a download asks for the file (``ask_for_file``): when the worker has
made it, the view sends it; until then the page says it is being prepared and
polls. A file is kept per version of the briefing (its revision, its number, each
chosen article's live revision), kind, language and script (``file_key``): any
change of those asks for a new file, and the old one is dropped. Publishing a
briefing makes its files ahead (``make_ahead``), for every language.

The render functions themselves are ``publicity.briefings.exports``'s; this module
only decides when they run and keeps what they make.
"""

import datetime
import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from org.models import Person
from publicity.briefings import exports
from publicity.briefings.access import get_briefing_to_download
from publicity.briefings.models import BriefingFile, FileState
from publicity.models import BriefingPage
from text.middleware import active_script

logger = logging.getLogger(__name__)

# A file asked for and not made within this long lost its task or its worker (the
# worker stopped mid-render): the next ask queues it again. A failed render is
# tried again on an ask after the same time.
STALE_AFTER = datetime.timedelta(minutes=2)


def file_key(page: BriefingPage, kind: str, *, draft: bool) -> str:
    """Changes whenever what the file shows can change: the briefing's revision (the
    latest for a draft, the live one otherwise), its number, any chosen article's
    live revision, the language of its labels and the script of its text. A draft
    never shares a published key."""
    revision = page.latest_revision_id if draft else page.live_revision_id
    parts = [
        kind,
        "draft" if draft else "live",
        str(page.pk),
        str(revision),
        str(page.issue_number),
        translation.get_language() or "",
        active_script(),
        *(f"{a.pk}:{a.live_revision_id}" for a in page.chosen_articles()),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _queue(row: BriefingFile) -> None:
    from publicity.briefings.tasks import make_briefing_file

    pk = row.pk
    transaction.on_commit(lambda: make_briefing_file.enqueue(pk))


def _drop_files(rows: Any) -> None:
    """Delete ``rows`` and, once that is committed, their files."""
    names = [name for name in rows.values_list("file", flat=True) if name]
    rows.delete()
    if names:
        storage = BriefingFile._meta.get_field("file").storage  # type: ignore[union-attr]

        def delete() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete)


@transaction.atomic
def ask_for_file(
    page: BriefingPage, kind: str, *, draft: bool, actor: Person | None = None
) -> BriefingFile:
    """The file of ``page`` in the active language and script: the kept one, or
    one queued for the worker (again, if it failed or stalled a while ago).
    ``actor`` asks for a draft's file; the worker makes it as them."""
    key = file_key(page, kind, draft=draft)
    ready = BriefingFile.objects.filter(key=key, state=FileState.READY).first()
    if ready is not None:
        return ready  # the common case: no lock, no write
    now = timezone.now()
    row = BriefingFile.objects.select_for_update().filter(key=key).first()
    if row is None:
        language = translation.get_language() or settings.LANGUAGE_CODE
        script = active_script()
        # an older version's file of the same kind, language and script: gone
        _drop_files(
            BriefingFile.objects.filter(
                briefing_id=page.pk,
                kind=kind,
                draft=draft,
                language=language,
                script=script,
            )
        )
        row = BriefingFile.objects.create(
            briefing_id=page.pk,
            key=key,
            kind=kind,
            draft=draft,
            language=language,
            script=script,
            requested_by=actor if draft else None,
            asked_at=now,
        )
        _queue(row)
    elif row.state != FileState.READY and row.asked_at < now - STALE_AFTER:
        row.state = FileState.QUEUED
        row.asked_at = now
        if draft:
            row.requested_by = actor
        row.save(update_fields=["state", "asked_at", "requested_by"])
        _queue(row)
    return row


def worker_runs_tasks() -> bool:
    """Whether a worker runs the tasks: not the immediate backend (development
    without ``make run``, the tests), which runs each task where it is queued."""
    from django_tasks.backends.immediate import ImmediateBackend

    from publicity.briefings.tasks import make_briefing_file

    return not isinstance(make_briefing_file.get_backend(), ImmediateBackend)


def make_ahead(pk: int) -> None:
    """Ask for every file of a briefing just published, in every language, so its
    first reader finds them made. Without a worker this would render them all in
    the publisher's request (or ``load_demo``): then they are made when asked."""
    if not worker_runs_tasks():
        return
    page = BriefingPage.objects.live().public().filter(pk=pk).first()
    if page is None:
        return  # only scheduled, or unpublished meanwhile
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for kind in exports.KINDS:
                ask_for_file(page, kind, draft=False)


@transaction.atomic
def _take(pk: int) -> BriefingFile | None:
    row = BriefingFile.objects.select_for_update().filter(pk=pk).first()
    if row is None or row.state != FileState.QUEUED:
        return None  # made already, or being made by another worker
    row.state = FileState.RUNNING
    row.save(update_fields=["state"])
    return row


def _page_of(row: BriefingFile) -> BriefingPage | None:
    """The briefing as the file shows it, read as the person who asked for a draft
    (access checked again: a right withdrawn meanwhile makes no file)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    if row.draft and row.requested_by is None:
        return None
    try:
        # a published file is made as anyone reads it
        reader = row.requested_by or AnonymousUser()
        return get_briefing_to_download(reader, row.briefing_id, draft=row.draft)
    except Http404:
        return None


def render(page: BriefingPage, kind: str) -> bytes:
    """The file's bytes, in the active language and script."""
    if kind == exports.DOCX:
        return exports.render_docx(page)
    return exports.render_pdf(page, wall_board=kind == exports.WALL_BOARD)


def make_file(pk: int) -> BriefingFile | None:
    """What the worker does with a queued file: render it and keep it, unless the
    briefing changed meanwhile (the next ask names the new version) or may no
    longer be read."""
    row = _take(pk)
    if row is None:
        return None
    with translation.override(row.language):
        page = _page_of(row)
        if page is None or file_key(page, row.kind, draft=row.draft) != row.key:
            BriefingFile.objects.filter(pk=row.pk).delete()
            return None
        started = time.perf_counter()
        try:
            content = render(page, row.kind)
        except Exception:
            logger.exception("briefing file %s (%s) failed", row.pk, row.kind)
            BriefingFile.objects.filter(pk=row.pk).update(state=FileState.FAILED)
            return None
    seconds = time.perf_counter() - started
    with transaction.atomic():
        fresh = BriefingFile.objects.select_for_update().filter(pk=row.pk).first()
        if fresh is None:
            return None
        fresh.file.save("file", ContentFile(content), save=False)
        fresh.state = FileState.READY
        fresh.made_at = timezone.now()
        fresh.seconds = seconds
        fresh.save(update_fields=["file", "state", "made_at", "seconds"])
    logger.info("briefing file %s (%s) made in %.2f s", row.pk, row.kind, seconds)
    return fresh


def warm_up() -> None:
    """One line of Chinese through WeasyPrint: its import, fontconfig and a CJK
    font, paid for before the worker's first file."""
    from weasyprint import HTML

    HTML(string="<p>簡報 简报 Briefing</p>").write_pdf()
