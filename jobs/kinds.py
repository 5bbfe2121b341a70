"""The kinds of background job: how each is asked for in a request (``prepare``:
check access, read the parameters) and how the worker does it (``run``: check access
again as the person who asked, report progress, return the file).

Each app registers its own kinds (``register_kind``, from its ``AppConfig.ready``),
calling the export or import it already has; this module knows none of them.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core.digits import parse_key
from jobs.actions import record_progress
from jobs.models import Job


class JobRefused(Exception):
    """The job cannot be done, for a reason its owner can read and act on."""


class Progress:
    """``progress(done, total)``: what a kind's long loop calls as it goes."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, done: int, total: int) -> None:
        record_progress(self.job, done, total)


@dataclass(frozen=True)
class Output:
    message: str = ""
    filename: str = ""
    content: bytes | None = None
    # the upload stays with the job: a preview whose import is started from it
    keep_source: bool = False


Prepared = tuple[dict[str, Any], Campaign | None]


@dataclass(frozen=True)
class Kind:
    label: Promise
    run: Callable[[Job, Progress], Output]
    # reads a request to the start view; None: started by its own form (imports)
    prepare: Callable[[HttpRequest], Prepared] | None = None
    # the URL name of the page that shows the job's result, instead of a download
    page: str = ""


def one_campaign(campaigns: QuerySet[Campaign], chosen: Any) -> Campaign:
    """The chosen campaign among those the person may use, else the latest."""
    chosen = str(chosen or "")
    found = (
        campaigns.filter(pk=key).first()
        if (key := parse_key(chosen)) is not None
        else campaigns.order_by("-starts_on").first()
    )
    if found is None:
        raise Http404
    return found


def still_campaign(campaigns: QuerySet[Campaign], pk: Any) -> Campaign:
    found = campaigns.filter(pk=pk).first()
    if found is None:
        raise JobRefused(_("You no longer have access to this campaign's data."))
    return found


def document_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def guarded(
    run: Callable[[Job, Progress], Output],
) -> Callable[[Job, Progress], Output]:
    """A refusal met while running (a row gone, a right withdrawn) reads as one."""

    def run_guarded(job: Job, progress: Progress) -> Output:
        try:
            return run(job, progress)
        except (ObjectDoesNotExist, PermissionDenied, Http404) as error:
            raise JobRefused(
                _("You no longer have access to what this job reads.")
            ) from error

    return run_guarded


KINDS: dict[str, Kind] = {}


def register_kind(name: str, kind: Kind) -> None:
    """Make ``name`` a kind of job; a refusal met while it runs reads as one."""
    if name in KINDS:
        raise ValueError(f"job kind {name!r} is registered twice")
    KINDS[name] = Kind(kind.label, guarded(kind.run), kind.prepare, kind.page)
