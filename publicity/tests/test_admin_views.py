"""The column's back-office screens: who may open each, and the steps through them."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from publicity import actions
from publicity.models import ArticlePage
from publicity.tests.conftest import write

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"publicity_admin:{name}", args=args)


def test_anonymous_people_are_sent_to_log_in(client, world, column):
    page = write(world, column)
    for target in (
        url("submissions"),
        url("new_submission", column.pk),
        url("submission", page.pk),
        url("review_queue"),
        url("review", page.pk),
        url("stats"),
        url("stats_export"),
        url("models"),
    ):
        response = client.get(target)
        assert response.status_code == 302, target
        assert "/admin/login/" in response["Location"], target
    for target in (url("approve", page.pk), url("reject", page.pk)):
        assert client.post(target).status_code == 302


def test_a_liaison_writes_and_submits_through_the_form(login, world, column):
    client = login(world.liaison_a)
    response = client.get(url("new_submission", column.pk))
    assert response.status_code == 200
    response = client.post(
        url("new_submission", column.pk),
        {
            "title": "甲處調研",
            "category": "measures",
            "unit": world.unit_a.pk,
            "body": "第一段\n第二段<script>alert(1)</script>",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="甲處調研")
    assert page.current_workflow_state is not None
    assert "<script>" not in page.body
    assert client.get(url("submission", page.pk)).status_code == 200
    assert client.get(url("submissions")).status_code == 200


def test_a_liaison_of_one_unit_finds_it_chosen(login, world, column):
    """Walking the form, a liaison who left the unit at "---------" was sent back
    with an error and had to pick the photo again (a browser keeps no file)."""
    html = login(world.liaison_a).get(url("new_submission", column.pk)).content
    select = re.search(r'<select name="unit".*?</select>', html.decode(), re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>", select.group(0))
    # no blank choice: the one unit is what the browser shows and sends
    assert [re.sub(r"\s*selected", "", option) for option in options] == [
        f'<option value="{world.unit_a.pk}">'
    ]


@pytest.mark.parametrize("title", ["", "   ", "長" * 121])
def test_an_empty_or_over_long_title_is_refused_with_a_field_error(
    login, world, column, title
):
    client = login(world.liaison_a)
    response = client.post(
        url("new_submission", column.pk),
        {"title": title, "category": "measures", "unit": world.unit_a.pk, "body": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not ArticlePage.objects.filter(source_unit=world.unit_a).exists()


def test_a_liaison_cannot_write_for_another_unit_through_the_form(login, world, column):
    client = login(world.liaison_a)
    response = client.post(
        url("new_submission", column.pk),
        {"title": "乙處", "category": "measures", "unit": world.unit_b.pk, "body": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]


def test_an_upload_of_the_wrong_kind_is_refused(login, world, column):
    client = login(world.liaison_a)
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "photo.jpg"
    response = client.post(
        url("new_submission", column.pk),
        {
            "title": "甲處",
            "category": "measures",
            "unit": world.unit_a.pk,
            "body": "x",
            "images": fake,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["images"]


def test_another_units_liaison_cannot_open_a_submission(login, world, column):
    page = write(world, column)
    client = login(world.liaison_b)
    assert client.get(url("submission", page.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "editor", "clerk"])
def test_people_without_a_unit_cannot_write(login, world, column, persona):
    client = login(getattr(world, persona))
    assert client.get(url("new_submission", column.pk)).status_code in (302, 403)
    assert client.get(url("submissions")).status_code in (302, 403)


@pytest.mark.parametrize("persona", ["liaison_a", "clerk", "director", "leader"])
def test_only_the_publicity_group_opens_the_review(login, world, column, persona):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    client = login(getattr(world, persona))
    assert client.get(url("review_queue")).status_code == 403
    assert client.get(url("review", page.pk)).status_code == 403
    assert client.post(url("approve", page.pk)).status_code in (403, 404)
    page.refresh_from_db()
    assert not page.live


def test_another_campaigns_editor_gets_not_found(login, world, other_world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    client = login(other_world.editor)
    assert client.get(url("review", page.pk)).status_code == 404
    assert client.post(url("approve", page.pk)).status_code == 404


def test_the_editor_rejects_with_a_comment_and_a_bare_rejection_is_refused(
    login, world, column
):
    page = write(world, column, body="<p>電話 020-87654321</p>")
    actions.submit_article(page, actor=world.liaison_a)
    client = login(world.editor)
    assert "甲處開展調研活動" in client.get(url("review_queue")).content.decode()
    review = client.get(url("review", page.pk)).content.decode()
    assert "02087654321" in review
    client.post(url("reject", page.pk), {"comment": ""})
    assert page.current_workflow_state.status == "in_progress"
    client.post(url("approve", page.pk), {"comment": ""})
    page.refresh_from_db()
    assert not page.live
    client.post(url("reject", page.pk), {"comment": "刪去電話"})
    assert page.current_workflow_state.status == "needs_changes"
    liaison = login(world.liaison_a)
    assert "刪去電話" in liaison.get(url("submission", page.pk)).content.decode()


def test_the_office_downloads_the_figures(login, world, column):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    client = login(world.director)
    assert world.unit_a.name in client.get(url("stats")).content.decode()
    response = client.get(url("stats_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == world.unit_a.name
    assert rows[1][2] == 1


@pytest.mark.parametrize("persona", ["liaison_a", "outsider"])
def test_the_figures_are_the_offices(login, world, column, persona):
    client = login(getattr(world, persona))
    assert client.get(url("stats")).status_code in (302, 403)
    assert client.get(url("stats_export")).status_code in (302, 403)


def test_another_organisations_director_sees_only_their_campaign(
    login, world, other_world, column
):
    client = login(other_world.director)
    response = client.get(url("stats"), {"campaign": world.campaign.pk})
    assert response.status_code == 404


def test_a_picture_and_an_attachment_are_stored_and_the_name_is_checked(
    login, world, column
):
    from PIL import Image

    from publicity import confidentiality

    picture = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(picture, "PNG")
    picture.seek(0)
    picture.name = "現場.png"
    attachment = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    attachment.name = "聯繫人13812345678.pdf"
    client = login(world.liaison_a)
    response = client.post(
        url("new_submission", column.pk),
        {
            "title": "甲處圖片",
            "category": "activities",
            "unit": world.unit_a.pk,
            "body": "正文",
            "images": picture,
            "attachments": attachment,
        },
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="甲處圖片")
    assert page.images.count() == 1
    assert page.attachments.count() == 1
    found = {(f.kind, f.text) for f in confidentiality.findings(page)}
    assert ("phone", "13812345678") in found
