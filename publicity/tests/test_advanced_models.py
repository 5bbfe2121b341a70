"""An advanced model's pipeline: nomination, vote, public notice with objections,
award; who may take each step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from core.errors import Conflict
from publicity import actions
from publicity.models import AdvancedModelPage, ModelStage
from publicity.tests.conftest import ignores_rendition_temp_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination(world, column):
    return actions.nominate_model(
        column,
        unit=world.unit_a,
        kind="person",
        nominee="張三",
        deeds="<p>扎根基層<script>x</script></p>",
        actor=world.liaison_a,
    )


def test_a_unit_nominates_and_the_page_is_not_public(client, nomination):
    assert not nomination.live
    assert "<script>" not in nomination.deeds
    assert nomination.stage == ModelStage.NOMINATED


@pytest.mark.parametrize("persona", ["staff_a", "liaison_b", "outsider", "editor"])
def test_only_the_units_head_or_liaison_nominates(world, column, persona):
    with pytest.raises(PermissionDenied):
        actions.nominate_model(
            column,
            unit=world.unit_a,
            kind="person",
            nominee="李四",
            deeds="x",
            actor=getattr(world, persona),
        )


def test_the_whole_pipeline(client, world, nomination):
    for outsider in (world.liaison_a, world.director, world.editor):
        # the office runs the procedure; the leading group votes
        with pytest.raises(PermissionDenied):
            actions.cast_ballot(nomination, choice="for", actor=outsider)
    with pytest.raises(ValidationError):
        actions.cast_ballot(nomination, choice="maybe", actor=world.leader)
    counted = actions.cast_ballot(nomination, choice="for", actor=world.leader)
    assert counted.complete
    page = AdvancedModelPage.objects.get(pk=nomination.pk)
    assert page.stage == ModelStage.VOTED
    assert (page.votes_for, page.votes_against) == (1, 0)
    page = actions.start_public_notice(page, days=7, actor=world.editor)
    assert page.live and page.stage == ModelStage.NOTICE
    public = client.get(page.get_url())
    assert "张三" in public.content.decode()  # shown in simplified by default

    response = client.post(
        f"/column/models/{page.pk}/object/", {"text": "事蹟有誇大", "name": "王"}
    )
    assert response.status_code == 200
    assert page.objections.count() == 1

    with pytest.raises(Conflict):
        actions.award_model(page, actor=world.editor)  # the notice still runs
    AdvancedModelPage.objects.filter(pk=page.pk).update(
        notice_ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(Conflict):
        actions.file_objection(page, text="晚了")
    with (
        translation.override("en"),
        pytest.raises(Conflict, match="1 objection is not answered and closed"),
    ):
        actions.award_model(page, actor=world.editor)  # the objection is open
    objection = page.objections.get()
    actions.answer_objection(objection, answer="經核實，事蹟屬實。", actor=world.editor)
    page = actions.award_model(page, actor=world.editor)
    assert page.stage == ModelStage.AWARDED
    logged = set(
        PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
    )
    assert {
        "sanfu.model.nominate",
        "sanfu.model.ballot",
        "sanfu.model.vote",
        "sanfu.model.notice",
        "sanfu.model.objection",
        "sanfu.model.objection_answer",
        "sanfu.model.award",
    } <= logged


def test_a_vote_against_ends_the_nomination(world, nomination):
    actions.cast_ballot(nomination, choice="against", actor=world.leader)
    page = AdvancedModelPage.objects.get(pk=nomination.pk)
    assert page.stage == ModelStage.NOT_ELECTED
    with pytest.raises(Conflict):
        actions.start_public_notice(page, days=7, actor=world.director)


def test_objections_are_rate_limited(client, world, nomination):
    actions.cast_ballot(nomination, choice="for", actor=world.leader)
    page = actions.start_public_notice(nomination, days=7, actor=world.leader)
    url = f"/column/models/{page.pk}/object/"
    codes = [client.post(url, {"text": f"意見{n}"}).status_code for n in range(7)]
    assert codes[:5] == [200] * 5
    assert codes[5:] == [429, 429]
    assert page.objections.count() == 5


def test_an_objection_needs_text_and_a_page_on_notice(client, world, nomination):
    assert (
        client.post(
            f"/column/models/{nomination.pk}/object/", {"text": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/column/models/{nomination.pk}/object/").status_code == 405


def test_the_model_screens_refuse_outsiders(login, world, nomination):
    client = login(world.outsider)
    assert client.get("/admin/column/models/").status_code in (302, 403)
    leader = login(world.leader)
    assert leader.get("/admin/column/models/").status_code == 200
    liaison = login(world.liaison_a)
    response = liaison.post(
        f"/admin/column/models/{nomination.pk}/vote/", {"choice": "for"}
    )
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.stage == ModelStage.NOMINATED


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 60), (10, 120, 10)).save(out, "PNG")
    return out.getvalue()


def nominate_through_the_screen(client, world, column, photo):
    return client.post(
        f"/admin/column/models/nominate/{column.pk}/",
        {
            "unit": world.unit_a.pk,
            "kind": "person",
            "nominee": "李四",
            "deeds": "<p>服務群眾</p>",
            "photo": photo,
        },
        follow=True,
    )


@ignores_rendition_temp_file
def test_a_nomination_carries_its_photo_to_the_public_page(login, world, column):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.liaison_a)
    photo = SimpleUploadedFile("li.png", png_bytes(), content_type="image/png")
    response = nominate_through_the_screen(client, world, column, photo)
    assert response.status_code == 200
    page = AdvancedModelPage.objects.get(nominee="李四")
    assert page.photo is not None
    assert (page.photo.width, page.photo.height) == (40, 60)
    assert page.photo.uploaded_by_user == world.liaison_a


@pytest.mark.parametrize(
    "name, content",
    [
        ("li.png", b"MZ\x90\x00 not a picture at all"),
        ("li.pdf", b"%PDF-1.4 a document"),
    ],
)
def test_a_photo_that_is_not_an_image_is_refused(
    login, in_english, world, column, name, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images.models import Image

    client = login(world.liaison_a)
    photo = SimpleUploadedFile(name, content, content_type="image/png")
    response = nominate_through_the_screen(client, world, column, photo)
    text = response.content.decode()
    assert "The nomination was not recorded." in text
    assert name in text
    assert not AdvancedModelPage.objects.filter(nominee="李四").exists()
    assert not Image.objects.exists()


@pytest.mark.parametrize("step", ["vote", "notice", "award"])
def test_a_step_is_refused_before_its_form_is_read(login, world, nomination, step):
    """Someone who may not take the step learns nothing from a validation error:
    the unit sees its nomination and is refused (403), a neighbour or a group
    without a vote does not see it at all (404); a voter gets the form's error."""
    url = f"/admin/column/models/{nomination.pk}/{step}/"
    invalid = {"choice": "many", "days": 400}
    assert login(world.liaison_a).post(url, invalid).status_code == 403
    assert login(world.liaison_b).post(url, invalid).status_code == 404
    assert login(world.clerk).post(url, invalid).status_code == 404
    runner = world.leader if step == "vote" else world.director
    response = login(runner).post(url, invalid, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    nomination.refresh_from_db()
    assert nomination.stage == ModelStage.NOMINATED
