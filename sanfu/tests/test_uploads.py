"""Every upload entry point refuses the classic attacks, and stores nothing when it
does: a wrong extension, a content type that lies, bytes that are not what the
name says, an SVG with script, an oversized file, a decompression bomb and a
truncated image. (The API takes no files.)"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from demands.models import Attachment, Demand
from evaluation.models import InspectionScore
from evaluation.tests.conftest import evaluation  # noqa: F401
from files import uploads
from files.evidence import ALLOWED as DEMAND_KINDS
from ledgers.models import DeedPhoto, Evidence, Problem, ProgressUpdate
from ledgers.tests.conftest import deed, make_measure, make_problem  # noqa: F401
from plans.models import WorkPlanVersion
from publicity.models import ArticlePage
from publicity.tests.conftest import column  # noqa: F401
from publicity.uploads import ATTACHMENTS as ARTICLE_KINDS
from sanfu.tests import files

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def truncated(content: bytes) -> bytes:
    return content[: len(content) // 2]


# name, content, declared type, code of the refusal
ATTACKS = {
    "wrong extension": ("report.exe", files.PDF, "application/pdf", "file_type"),
    "html as an image": ("photo.png", files.HTML, "image/png", "file_content"),
    "lying content type": ("photo.png", files.PNG, "text/html", "file_content_type"),
    "svg with script": ("drawing.svg", files.SVG, "image/svg+xml", "file_type"),
    "svg named png": ("drawing.png", files.SVG, "image/png", "file_content"),
    "decompression bomb": (
        "bomb.png",
        files.decompression_bomb(),
        "image/png",
        "file_pixels",
    ),
    "bomb below pillow's error": (
        "bomb.png",
        files.decompression_bomb(10_000),
        "image/png",
        "file_pixels",
    ),
    "truncated image": ("cut.jpg", truncated(files.JPEG), "image/jpeg", "file_damaged"),
}


def check(name: str, content: bytes, content_type: str, **kw: Any) -> Any:
    limit = kw.pop("max_bytes", MB)
    kinds = kw.pop("kinds", ARTICLE_KINDS)
    return uploads.check_upload(
        upload(name, content, content_type), kinds, max_bytes=limit
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_checker_refuses_each_attack_with_its_own_code(attack):
    name, content, content_type, code = ATTACKS[attack]
    with pytest.raises(ValidationError) as refused:
        check(name, content, content_type)
    assert refused.value.code == code
    assert name in str(refused.value.message)


def test_an_oversized_file_is_refused_naming_the_limit(in_english):
    with pytest.raises(ValidationError) as refused:
        check("big.pdf", files.PDF + b"0" * MB, "application/pdf")
    assert refused.value.code == "file_size"
    assert "at most 1.0\xa0MB" in str(refused.value.message)


def test_an_office_file_that_would_expand_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_EXPANDED_BYTES", 100_000)
    with pytest.raises(ValidationError) as refused:
        check("bomb.docx", files.office("word/document.xml", 200_000), "")
    assert refused.value.code == "file_expands"


def test_a_zip_named_docx_that_is_not_a_document_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")
    with pytest.raises(ValidationError) as refused:
        check("report.docx", output.getvalue(), "application/zip")
    assert refused.value.code == "file_content"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", files.PNG, "image/png"),
        ("photo.JPG", files.JPEG, "image/jpeg"),
        ("anim.gif", files.GIF, "image/gif"),
        ("scan.pdf", files.PDF, "application/pdf"),
        ("report.docx", files.DOCX, "application/octet-stream"),
        ("table.xlsx", files.XLSX, ""),
    ],
)
def test_honest_files_pass_with_the_content_type_of_their_kind(
    name, content, content_type
):
    checked = check(name, content, content_type)
    assert checked.content_type == ARTICLE_KINDS[checked.extension].content_type
    assert checked.name == name


def test_a_photo_loses_its_metadata_and_is_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90° clockwise
    exif[0x8825] = {2: (23.0, 7.0, 0.0)}  # GPS latitude
    source = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 0, 255)).save(source, "JPEG", exif=exif)
    checked = check("phone.jpg", source.getvalue(), "image/jpeg")
    with Image.open(checked.file) as stored:
        assert stored.size == (20, 40)
        assert not stored.getexif()


def test_a_name_with_a_bidi_override_or_a_path_is_neutralised():
    checked = check("..\\..\\x\u202egnp.pdf", files.PDF, "application/pdf")
    assert checked.name == "xgnp.pdf"


# -- every entry point --------------------------------------------------------------


@dataclass
class EntryPoint:
    post: Callable[[SimpleUploadedFile], Any]
    stored: Callable[[], int]
    kinds: dict[str, uploads.Kind]


def _demand_form(client: Any, world: Any) -> EntryPoint:
    url = reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})

    def post(file: SimpleUploadedFile) -> Any:
        data = {
            "kind": "help",
            "urgency": "normal",
            "title": "路燈不亮",
            "content": "三號路燈不亮已一週。",
            "attachments": [file],
        }
        return client.post(url, data)

    return EntryPoint(
        post, lambda: Demand.objects.count() + Attachment.objects.count(), DEMAND_KINDS
    )


def _intake_form(login: Any, world: Any) -> EntryPoint:
    client = login(world.clerk)

    def post(file: SimpleUploadedFile) -> Any:
        data = {
            "campaign": world.campaign.pk,
            "channel": "phone",
            "kind": "complaint",
            "urgency": "normal",
            "title": "夜間施工擾民",
            "content": "工地每晚施工到凌晨。",
            "submitter_name": "李四",
            "submitter_phone": "13900001111",
            "attachments": [file],
        }
        return client.post(reverse("demands_office:intake"), data)

    return EntryPoint(
        post, lambda: Demand.objects.count() + Attachment.objects.count(), DEMAND_KINDS
    )


def _article_form(field: str) -> Callable[..., EntryPoint]:
    def build(login: Any, world: Any, the_column: Any) -> EntryPoint:
        client = login(world.liaison_a)

        def post(file: SimpleUploadedFile) -> Any:
            data = {
                "title": "甲處調研",
                "category": "measures",
                "unit": world.unit_a.pk,
                "body": "第一段",
                "submit": "1",
                field: [file],
            }
            return client.post(
                reverse("publicity_admin:new_submission", args=[the_column.pk]), data
            )

        return EntryPoint(post, ArticlePage.objects.count, ARTICLE_KINDS)

    return build


def _problem_evidence(login: Any, world: Any) -> EntryPoint:
    problem = make_problem(world)
    measure = make_measure(world, problem)
    client = login(world.staff_a)
    url = reverse("ledgers_admin:progress", args=[problem.pk, measure.pk])
    return EntryPoint(
        lambda file: client.post(url, {"percent": 100, "after": file}, follow=True),
        lambda: ProgressUpdate.objects.count() + Evidence.objects.count(),
        DEMAND_KINDS,
    )


def _deed_photos(login: Any, world: Any, the_deed: Any) -> EntryPoint:
    client = login(world.liaison_a)
    url = reverse("ledgers_admin:deed_progress", args=[the_deed.pk])
    return EntryPoint(
        lambda file: client.post(
            url, {"on": "2007-06-01", "percent": 50, "photos": file}, follow=True
        ),
        DeedPhoto.objects.count,
        DEMAND_KINDS,
    )


def _inspection_evidence(login: Any, world: Any, the_evaluation: Any) -> EntryPoint:
    client = login(world.clerk)
    url = reverse(
        "evaluation_admin:score_unit",
        args=[the_evaluation.inspection_round.pk, world.unit_a.pk],
    )
    pk = the_evaluation.plan.pk
    return EntryPoint(
        lambda file: client.post(
            url, {"indicator": pk, f"i{pk}-score": "9", f"i{pk}-evidence": file}
        ),
        InspectionScore.objects.count,
        DEMAND_KINDS,
    )


def _work_plan(login: Any, world: Any) -> EntryPoint:
    client = login(world.clerk)
    url = reverse("campaign_plans:work_plan_step", args=[world.campaign.pk, "draft"])
    return EntryPoint(
        lambda file: client.post(
            url, {"title": "二稿", "body": "<p>正文</p>", "attachment": file}
        ),
        WorkPlanVersion.objects.count,
        DEMAND_KINDS,
    )


def _ledger_import(login: Any, world: Any) -> EntryPoint:
    client = login(world.liaison_a)
    return EntryPoint(
        lambda file: client.post(
            reverse("ledgers_admin:import"),
            {"campaign": world.campaign.pk, "ledger": "problems", "file": file},
        ),
        Problem.objects.count,
        {".xlsx": uploads.XLSX},
    )


ENTRY_POINTS = {
    "public demand form": _demand_form,
    "office intake form": _intake_form,
    "article images": _article_form("images"),
    "article attachments": _article_form("attachments"),
    "rectification evidence": _problem_evidence,
    "deed photos": _deed_photos,
    "inspection evidence": _inspection_evidence,
    "work plan attachment": _work_plan,
    "ledger import": _ledger_import,
}


@pytest.fixture(params=list(ENTRY_POINTS))
def entry(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the public form's rate limit
    build: Any = ENTRY_POINTS[request.param]
    names = build.__code__.co_varnames[: build.__code__.co_argcount]
    # the_x: the fixture x of the app's own conftest
    return build(*(request.getfixturevalue(n.removeprefix("the_")) for n in names))


def _matching(kinds: dict[str, uploads.Kind], attack: str) -> tuple[str, bytes, str]:
    """The attack, dressed as a kind the entry point takes where it is about
    content (an image attack on an entry point without images becomes a PDF)."""
    name, content, content_type, _code = ATTACKS[attack]
    extension = "." + name.rsplit(".", 1)[1]
    if extension in kinds or attack in {"wrong extension", "svg with script"}:
        return name, content, content_type
    if attack == "lying content type":
        pdf_or_xlsx = ".pdf" if ".pdf" in kinds else ".xlsx"
        real = files.PDF if pdf_or_xlsx == ".pdf" else files.XLSX
        return f"file{pdf_or_xlsx}", real, "text/html"
    if attack in {"html as an image", "svg named png"}:
        fake = next(iter(kinds))
        return f"file{fake}", content, kinds[fake].content_type
    pytest.skip("no image in this entry point's table")


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_entry_point_refuses_every_attack_and_stores_nothing(entry, attack):
    name, content, content_type = _matching(entry.kinds, attack)
    before = entry.stored()
    response = entry.post(upload(name, content, content_type))
    assert response.status_code in (200, 400), response.status_code
    assert entry.stored() == before
    assert name.split("\\")[-1] in response.content.decode()


def test_every_entry_point_refuses_an_oversized_file(entry, monkeypatch):
    monkeypatch.setattr(uploads, "check_upload", _with_limit(uploads.check_upload))
    extension = next(iter(entry.kinds))
    content = {".pdf": files.PDF, ".xlsx": files.XLSX}.get(extension, files.PNG)
    honest = upload(f"big{extension}", content + b"\x00" * 2048, "")
    before = entry.stored()
    response = entry.post(honest)
    assert response.status_code in (200, 400)
    assert entry.stored() == before
    assert f"big{extension}" in response.content.decode()


def _with_limit(real: Callable[..., Any]) -> Callable[..., Any]:
    def small(upload: Any, kinds: Any, *, max_bytes: int) -> Any:
        return real(upload, kinds, max_bytes=1024)

    return small
