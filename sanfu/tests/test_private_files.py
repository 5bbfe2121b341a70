"""One rule for stored files: a private file is stored outside every publicly served
folder under a name nobody can guess, and reaches only the people a checked view
lets have it; the development server's media route serves the public folders and
nothing else, however the path is spelt."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.utils.sendfile import _get_sendfile

from conftest import World
from core.private_files import PrivateStorage, move_to_private
from jobs.models import Job
from ledgers.models import DeedPhoto, Evidence
from publicity import actions as publicity_actions
from publicity import confidentiality
from publicity.models import ArticlePage
from publicity.uploads import check_file
from sanfu.tests import files
from sanfu.tests.matrix_objects import Things, build_things


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> tuple[Path, Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def development_urls(settings: Any) -> None:
    """The media route as ``make run`` has it (DEBUG on)."""
    settings.DEBUG = True


@dataclass
class Submission:
    article: ArticlePage
    document: Any
    image: Any


def _submission(things: Things) -> Submission:
    world = things.world
    draft = publicity_actions.ArticleDraft(
        title="甲處調研報告",
        category="activities",
        summary="調研。",
        body="<p>調研</p>",
        attachments=[
            check_file(
                SimpleUploadedFile("調研報告.pdf", files.PDF, "application/pdf"),
                images_only=False,
            )
        ],
        images=[
            check_file(
                SimpleUploadedFile("現場.png", files.PNG, "image/png"),
                images_only=True,
            )
        ],
    )
    article = publicity_actions.save_draft(
        things.column, draft, unit=world.unit_a, actor=world.liaison_a
    )
    publicity_actions.submit_article(article, actor=world.liaison_a)
    return Submission(
        article=article,
        document=article.attachments.get().document,
        image=article.images.get().image,
    )


@dataclass(frozen=True)
class Kind:
    """A kind of stored file: where its checked view is, the file, who owns it and
    who else may have it."""

    name: str
    url: Callable[[Things], str]
    file: Callable[[Things], FieldFile]
    owner: str
    entitled: tuple[str, ...]


KINDS = [
    Kind(
        "work plan attachment",
        lambda t: reverse("campaign_plans:work_plan_attachment", args=[t.work_plan.pk]),
        lambda t: t.work_plan.attachment,
        owner="director",
        entitled=("clerk", "leader"),
    ),
    Kind(
        "ledger evidence",
        lambda t: reverse(
            "ledgers_admin:evidence",
            args=[t.problem.pk, Evidence.objects.get(update=t.evidence).pk],
        ),
        lambda t: Evidence.objects.get(update=t.evidence).file,
        owner="liaison_a",
        entitled=("head_a", "clerk", "director"),
    ),
    Kind(
        "deed photo",
        lambda t: reverse(
            "ledgers_admin:deed_photo",
            args=[t.deed.pk, DeedPhoto.objects.get(update=t.deed_update).pk],
        ),
        lambda t: DeedPhoto.objects.get(update=t.deed_update).file,
        owner="liaison_a",
        entitled=("head_a", "director"),
    ),
    Kind(
        "demand attachment",
        lambda t: reverse(
            "demands_office:attachment", args=[t.demand.pk, t.attachment.pk]
        ),
        lambda t: t.attachment.file,
        owner="liaison_a",
        entitled=("head_a", "clerk", "director"),
    ),
    Kind(
        "reminder notice",
        lambda t: reverse("demands_followup:download", args=[t.notice.pk]),
        lambda t: t.notice.file,
        owner="liaison_a",
        entitled=("clerk", "director"),
    ),
    Kind(
        "inspection evidence",
        lambda t: reverse("evaluation_admin:evidence", args=[t.score.pk]),
        lambda t: t.score.evidence,
        owner="clerk",
        entitled=("director", "leader"),
    ),
    Kind(
        "job result",
        lambda t: reverse("jobs_download", args=[t.job.pk]),
        lambda t: t.job.result,
        owner="liaison_a",
        entitled=("clerk", "director"),
    ),
]
REFUSED = ("anonymous", "liaison_b")
OLD_FOLDERS = ("workplans", "ledgers", "demands", "evaluation", "jobs", "documents")
TRICKS = (
    "/media/{path}",
    "/media/./{path}",
    "/media/original_images/../{path}",
    "/media/x/../{path}",
    "/media//{path}",
    "/media/%2e%2e/media/{path}",
    "/media/original_images/%2e%2e/{path}",
    "/media/original_images/..%2f{path}",
)


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(
            getattr(world, role),
            backend="django.contrib.auth.backends.ModelBackend",
        )
    return client


def _bytes(response: Any) -> bytes:
    # The test client closes a response itself once its content is read, with the
    # database connection kept; the response's own close() would fire
    # request_finished and close the connection (on PostgreSQL, the test's own).
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _status(client: Client, path: str) -> int:
    response = client.get(path)
    _bytes(response)
    return int(response.status_code)


def _read(file: FieldFile) -> bytes:
    with file.open("rb") as handle:
        return bytes(handle.read())


def test_every_private_file_is_stored_privately_under_a_random_name(
    world: World, folders: tuple[Path, Path]
) -> None:
    media, private = folders
    things = build_things(world, column_slug="column")
    for kind in KINDS:
        file = kind.file(things)
        assert isinstance(file.storage, PrivateStorage), kind.name
        assert Path(file.path).is_relative_to(private), kind.name
        assert not Path(file.path).is_relative_to(media), kind.name
        assert file.name is not None
        stem = Path(file.name).stem
        # 24 random bytes: 32 characters, no id, no original name in them
        assert len(stem) >= 32, (kind.name, file.name)
        assert str(world.liaison_a.pk) not in file.name.split("/")[:-1], kind.name
    assert not any(
        path.is_file()
        for folder in OLD_FOLDERS[:-1]
        for path in (media / folder).rglob("*")
    )


def test_only_the_owner_and_the_entitled_roles_get_a_private_files_bytes(
    world: World, folders: tuple[Path, Path], development_urls: None
) -> None:
    things = build_things(world, column_slug="column")
    for kind in KINDS:
        url, content = kind.url(things), _read(kind.file(things))
        for role in (kind.owner, *kind.entitled):
            response = _client(world, role).get(url)
            assert response.status_code == 200, (kind.name, role)
            assert _bytes(response) == content, (kind.name, role)
            assert "no-store" in response["Cache-Control"]
        for role in REFUSED:
            response = _client(world, role).get(url)
            assert response.status_code in (302, 404), (kind.name, role)
            assert content not in _bytes(response)


def test_no_private_file_is_reachable_under_media_however_the_path_is_spelt(
    world: World, folders: tuple[Path, Path], development_urls: None
) -> None:
    media, private = folders
    things = build_things(world, column_slug="column")
    submission = _submission(things)
    names = [str(kind.file(things).name) for kind in KINDS]
    names.append(submission.document.file.name)
    # even a file left in an old public folder (as before the move) is not served
    names += [f"{folder}/1/2/left.docx" for folder in OLD_FOLDERS]
    for name in names:
        for folder in (media, private):
            target = folder / name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"private")
    client = Client()
    for name in names:
        for trick in TRICKS:
            path = trick.format(path=name)
            assert _status(client, path) == 404, path
    # ... while a public image is served, and its tricks are not
    assert _status(client, f"/media/{submission.image.file.name}") == 200
    assert _status(client, f"/media/./{submission.image.file.name}") == 404


def test_django_serves_no_media_when_debug_is_off(
    world: World, folders: tuple[Path, Path], settings: Any
) -> None:
    """In production nginx serves the public images; the app answers 404 for them."""
    things = build_things(world, column_slug="column")
    image = _submission(things).image
    settings.DEBUG = False
    assert _status(Client(), f"/media/{image.file.name}") == 404
    settings.DEBUG = True
    assert _status(Client(), f"/media/{image.file.name}") == 200


def test_a_draft_submissions_image_has_a_name_nobody_can_guess(
    world: World, folders: tuple[Path, Path]
) -> None:
    things = build_things(world, column_slug="column")
    image = _submission(things).image
    assert "現場" not in image.file.name
    assert len(Path(image.file.name).stem) >= 32


def test_a_draft_submissions_document_reaches_its_unit_and_reviewers_only(
    world: World, folders: tuple[Path, Path], development_urls: None
) -> None:
    things = build_things(world, column_slug="column")
    submission = _submission(things)
    document = submission.document
    assert document.url == f"/documents/{document.pk}/{quote('調研報告.pdf')}"
    for role in ("liaison_a", "head_a", "editor", "superuser"):
        response = _client(world, role).get(document.url)
        assert response.status_code == 200, role
        assert _bytes(response) == files.PDF
    for role in ("anonymous", "liaison_b", "clerk"):
        assert _status(_client(world, role), document.url) == 404, role


def test_a_published_articles_document_is_public(
    world: World, folders: tuple[Path, Path]
) -> None:
    things = build_things(world, column_slug="column")
    submission = _submission(things)
    # the test PDF has no text to read: the reviewer clears "not checked" first
    for finding in confidentiality.findings(submission.article):
        publicity_actions.dismiss_finding(
            submission.article,
            kind=finding.kind,
            text=finding.text,
            reason="已人工核對",
            actor=world.editor,
        )
    # … and opens it and the photo, as the review page does
    for item in submission.article.images.all():
        publicity_actions.record_file_opening(
            submission.article, kind="image", file_id=item.image_id, actor=world.editor
        )
    publicity_actions.record_file_opening(
        submission.article,
        kind="attachment",
        file_id=submission.document.pk,
        actor=world.editor,
    )
    publicity_actions.approve_article(submission.article, actor=world.editor)
    submission.article.refresh_from_db()
    assert submission.article.live
    response = Client().get(submission.document.url)
    assert response.status_code == 200
    assert _bytes(response) == files.PDF
    submission.article.unpublish()
    assert _status(Client(), submission.document.url) == 404


def test_a_document_on_no_page_is_private(
    world: World, folders: tuple[Path, Path]
) -> None:
    document = get_document_model().objects.create(
        title="內部文件", file=ContentFile(files.PDF, name="internal.pdf")
    )
    assert _status(Client(), document.url) == 404
    assert _status(_client(world, "liaison_a"), document.url) == 404
    assert _status(_client(world, "superuser"), document.url) == 200


def test_behind_nginx_the_checked_view_hands_the_file_to_an_internal_location(
    world: World, folders: tuple[Path, Path], settings: Any
) -> None:
    things = build_things(world, column_slug="column")
    settings.SANFU_X_ACCEL = True
    response = _client(world, "liaison_a").get(
        reverse("jobs_download", args=[things.job.pk])
    )
    assert response.status_code == 200
    assert (
        response["X-Accel-Redirect"] == f"/_protected/private/{things.job.result.name}"
    )
    assert response["Content-Disposition"] == 'attachment; filename="problems.xlsx"'
    assert response.content == b""
    assert (
        _client(world, "liaison_b")
        .get(reverse("jobs_download", args=[things.job.pk]))
        .status_code
        == 404
    )


def test_behind_nginx_wagtail_hands_a_document_to_an_internal_location(
    world: World, folders: tuple[Path, Path], settings: Any
) -> None:
    settings.SENDFILE_BACKEND = "core.private_files"
    _get_sendfile.clear()
    try:
        document = get_document_model().objects.create(
            title="內部文件", file=ContentFile(files.PDF, name="internal.pdf")
        )
        response = _client(world, "superuser").get(document.url)
    finally:
        _get_sendfile.clear()
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/media/{document.file.name}"
    assert response.content == b""


def test_the_migration_moves_old_public_files_to_private_random_names(
    world: World,
    folders: tuple[Path, Path],
    django_capture_on_commit_callbacks: Any,
) -> None:
    media, private = folders
    old = f"jobs/{world.liaison_a.pk}/7/result.docx"
    (media / old).parent.mkdir(parents=True)
    (media / old).write_bytes(b"weekly report")
    job = Job.objects.create(requested_by=world.liaison_a, kind="ledgers_export")
    Job.objects.filter(pk=job.pk).update(result=old)
    with django_capture_on_commit_callbacks(execute=True):
        moved = move_to_private(Job, "result", "jobs")
    assert moved == 1
    job.refresh_from_db()
    assert job.result.name.startswith("jobs/")
    assert job.result.name.endswith(".docx")
    assert len(Path(job.result.name).stem) >= 32
    assert (private / job.result.name).read_bytes() == b"weekly report"
    assert not (media / old).exists()
    # run again, nothing moves
    assert move_to_private(Job, "result", "jobs") == 0
    assert storages["private"].exists(job.result.name)
