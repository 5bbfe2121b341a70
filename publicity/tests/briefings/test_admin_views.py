"""The back-office briefing screens: the compilers use them, nobody else."""

import json

import pytest

from publicity.models import BriefingPage

pytestmark = pytest.mark.django_db


def rich(text: str) -> str:
    """What the rich-text editor posts."""
    block = {
        "key": "a1",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def form_data(articles, **extra):
    data = {"title": "第一份簡報", "text": rich("編者按：大家辛苦了。")}
    data.update({f"article_{a.pk}": str(n) for n, a in enumerate(articles, 1)})
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", ["editor", "director"])
def test_a_compiler_compiles_and_publishes_a_briefing(
    client, login, world, articles, persona
):
    login(getattr(world, persona))
    assert client.get("/admin/briefings/").status_code == 200
    new = f"/admin/briefings/new/{world.campaign.pk}/"
    assert client.get(new).status_code == 200
    # Second article first: the positions give the order.
    data = form_data(articles)
    data[f"article_{articles[0].pk}"], data[f"article_{articles[1].pk}"] = "2", "1"
    response = client.post(new, data)
    assert response.status_code == 302
    page = BriefingPage.objects.get()
    assert page.issue_number is None
    assert [a.pk for a in page.chosen_articles()] == [articles[1].pk, articles[0].pk]
    assert "編者按" in page.text
    edit = client.get(f"/admin/briefings/{page.pk}/")
    assert edit.status_code == 200
    response = client.post(
        f"/admin/briefings/{page.pk}/publish/",
        {"revision_id": page.latest_revision_id},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.issue_number == 1


def test_a_stale_form_is_refused(client, login, world, draft, articles, in_english):
    login(world.editor)
    stale = draft.latest_revision_id
    client.post(f"/admin/briefings/{draft.pk}/", form_data(articles, revision_id=stale))
    response = client.post(
        f"/admin/briefings/{draft.pk}/", form_data(articles, revision_id=stale)
    )
    assert response.status_code == 200
    assert "Someone else changed this briefing" in response.content.decode()
    response = client.post(
        f"/admin/briefings/{draft.pk}/publish/", {"revision_id": stale}, follow=True
    )
    draft.refresh_from_db()
    assert not draft.live


def test_a_briefing_without_articles_is_refused(
    client, login, world, articles, in_english
):
    login(world.editor)
    response = client.post(
        f"/admin/briefings/new/{world.campaign.pk}/",
        {"title": "空的", "text": rich("")},
    )
    assert response.status_code == 200
    assert "Give at least one article a position." in response.content.decode()
    assert not BriefingPage.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client, draft):
    for url in (
        "/admin/briefings/",
        f"/admin/briefings/{draft.pk}/",
        f"/admin/briefings/new/{draft.campaign_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    response = client.post(f"/admin/briefings/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live


@pytest.mark.parametrize("persona", ["liaison_a", "leader", "clerk"])
def test_those_without_the_role_are_refused(client, login, world, draft, persona):
    login(getattr(world, persona))
    assert client.get("/admin/briefings/").status_code == 403
    assert client.get(f"/admin/briefings/{draft.pk}/").status_code == 403
    assert client.get(f"/admin/briefings/new/{world.campaign.pk}/").status_code == 403
    response = client.post(
        f"/admin/briefings/{draft.pk}/publish/",
        {"revision_id": draft.latest_revision_id},
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert not draft.live


def test_another_campaigns_editor_is_refused(client, login, world, other_world, draft):
    login(other_world.editor)
    assert client.get(f"/admin/briefings/{draft.pk}/").status_code == 404
    assert client.get(f"/admin/briefings/new/{world.campaign.pk}/").status_code == 404
    response = client.post(
        f"/admin/briefings/{draft.pk}/publish/",
        {"revision_id": draft.latest_revision_id},
    )
    assert response.status_code == 404
    index = client.get("/admin/briefings/").content.decode()
    assert draft.title not in index
    draft.refresh_from_db()
    assert not draft.live
