"""The images and attachments of a submission a reviewer must open before
approving it, and which of them the reviewer has opened.

A file is opened through the checked view that serves it (``publicity_admin
:article_file``), which records the opening (``actions.record_file_opening``). A
new upload is a new file, so a resubmission with another photo asks for it again.
"""

from dataclasses import dataclass
from typing import Any

from publicity.models import ArticlePage, ReviewFileKind, ReviewFileOpening


@dataclass(frozen=True)
class ReviewFile:
    kind: str
    file_id: int
    name: str
    caption: str = ""
    opened: bool = False


def article_files(latest: ArticlePage) -> list[ReviewFile]:
    """The images and attachments of the article as it stands (its latest
    revision), in their order."""
    files = [
        ReviewFile(
            ReviewFileKind.IMAGE.value, item.image_id, item.image.title, item.caption
        )
        for item in latest.images.all()
    ]
    files += [
        ReviewFile(
            ReviewFileKind.ATTACHMENT.value, item.document_id, item.document.title
        )
        for item in latest.attachments.all()
    ]
    return files


def find_file(latest: ArticlePage, kind: str, file_id: int) -> Any:
    """The Wagtail image or document ``file_id`` if the article holds it, else None."""
    if kind == ReviewFileKind.IMAGE:
        items = [item.image for item in latest.images.all()]
    elif kind == ReviewFileKind.ATTACHMENT:
        items = [item.document for item in latest.attachments.all()]
    else:
        return None
    return next((item for item in items if item.pk == file_id), None)


def with_openings(page: ArticlePage, person: Any) -> list[ReviewFile]:
    """The article's files, each marked whether ``person`` opened it."""
    opened = set(
        ReviewFileOpening.objects.filter(page=page, person=person).values_list(
            "kind", "file_id"
        )
    )
    return [
        ReviewFile(
            item.kind,
            item.file_id,
            item.name,
            item.caption,
            (item.kind, item.file_id) in opened,
        )
        for item in article_files(page.get_latest_revision_as_object())
    ]


def unopened(page: ArticlePage, person: Any) -> list[ReviewFile]:
    return [item for item in with_openings(page, person) if not item.opened]
