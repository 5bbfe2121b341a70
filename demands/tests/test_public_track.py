"""Following a demand with its tracking number and query code, and rating the reply."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from demands import actions
from demands.models import DemandKind, DemandStatus, Rating, Urgency
from demands.views import public
from text.script import to_simplified

pytestmark = pytest.mark.django_db

TRACK = reverse("demands:track")
STATUS = reverse("demands:status")


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def submit(world):  # type: ignore[no-untyped-def]
    return actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="雨季將至，村口水渠堵塞，請幫助疏通。",
        urgency=Urgency.NORMAL,
        submitter_name="張三豐",
        submitter_phone="13812345678",
    )


def replied(world):  # type: ignore[no-untyped-def]
    demand, code = submit(world)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已派人疏通水渠。", solved=True, actor=world.liaison_a
    )
    return demand, code


def look_up(client, tracking_no, code):  # type: ignore[no-untyped-def]
    return client.post(TRACK, {"tracking_no": tracking_no, "query_code": code})


def test_the_right_number_and_code_open_the_status_page(client, world):
    demand, code = submit(world)
    response = look_up(client, demand.tracking_no, code.lower())
    assert response.status_code == 302
    assert response["Location"] == STATUS
    assert client.session[public.TRACKED_KEY] == demand.pk
    page = client.get(STATUS)
    assert page.status_code == 200
    assert demand.tracking_no in page.text
    history = page.context["history"]
    assert [entry["action"] for entry in history] == ["sanfu.demand.submit"]
    assert page.context["rating_form"] is None
    # the code never appears in a URL nor on the page
    assert code not in response["Location"]
    assert code not in page.text
    assert "no-store" in page["Cache-Control"]


def test_the_history_shows_steps_and_times_but_no_people_or_notes(client, world):
    demand, code = submit(world)
    demand = actions.dispatch_demand(
        demand, world.unit_b, actor=world.director, note="內部備註"
    )
    demand = actions.return_demand(demand, reason="不屬本處職責", actor=world.liaison_b)
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    look_up(client, demand.tracking_no, code)
    page = client.get(STATUS)
    assert [entry["action"] for entry in page.context["history"]] == [
        "sanfu.demand.submit",
        "sanfu.demand.dispatch",
        "sanfu.demand.return",
        "sanfu.demand.dispatch",
    ]
    assert all(entry["timestamp"] for entry in page.context["history"])
    # the page comes out in simplified script
    for private in ("內部備註", "不屬本處職責", "張三豐", "13812345678", "乙處"):
        assert to_simplified(private) not in page.text
    for person in (world.director, world.liaison_b):
        assert to_simplified(person.get_full_name()) not in page.text
        assert person.username not in page.text


def test_the_status_page_shows_the_reply_and_a_rating_form(client, world):
    demand, code = replied(world)
    look_up(client, demand.tracking_no, code)
    page = client.get(STATUS)
    assert to_simplified("已派人疏通水渠") in page.text
    assert page.context["rating_form"] is not None
    assert 'name="rating"' in page.text


def test_a_satisfied_rating_closes_the_demand(client, world):
    demand, code = replied(world)
    look_up(client, demand.tracking_no, code)
    response = client.post(STATUS, {"rating": Rating.SATISFIED})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    assert demand.rating == Rating.SATISFIED
    page = client.get(STATUS)
    assert page.context["rating_form"] is None


def test_an_unsatisfied_rating_reopens_the_demand(client, world):
    demand, code = replied(world)
    look_up(client, demand.tracking_no, code)
    client.post(STATUS, {"rating": Rating.UNSATISFIED})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REOPENED


def test_rating_a_demand_that_is_not_waiting_for_one_shows_a_message(client, world):
    demand, code = submit(world)
    look_up(client, demand.tracking_no, code)
    response = client.post(STATUS, {"rating": Rating.SATISFIED}, follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED
    assert demand.rating == ""


def test_an_invalid_rating_is_a_field_error(client, world):
    demand, code = replied(world)
    look_up(client, demand.tracking_no, code)
    response = client.post(STATUS, {"rating": "excellent"})
    assert response.status_code == 200
    assert "rating" in response.context["rating_form"].errors
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REPLIED


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="tracking_no" value="[^"]*"', "", html)


def test_a_wrong_code_answers_exactly_like_an_unknown_number(client, world):
    demand, code = submit(world)
    wrong_code = look_up(client, demand.tracking_no, "AAAAAAAA")
    unknown = look_up(client, "209901019999999", code)
    assert wrong_code.status_code == unknown.status_code == 200
    assert wrong_code.context["form"].non_field_errors() == (
        unknown.context["form"].non_field_errors()
    )
    assert _normalised(wrong_code.text) == _normalised(unknown.text)
    assert public.TRACKED_KEY not in client.session
    assert client.get(STATUS)["Location"] == TRACK


def test_the_status_page_without_a_lookup_sends_to_the_track_form(client, world):
    response = client.get(STATUS)
    assert response.status_code == 302
    assert response["Location"] == TRACK
    assert client.post(STATUS, {"rating": Rating.SATISFIED}).status_code == 302


def test_empty_fields_are_field_errors(client, world):
    response = client.post(TRACK, {"tracking_no": "", "query_code": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tracking_no", "query_code"}


def test_guessing_codes_is_stopped_after_the_limit(client, world):
    demand, code = submit(world)
    limit, _window = public.TRACK_RATE
    for _ in range(limit):
        assert look_up(client, demand.tracking_no, "AAAAAAAA").status_code == 200
    assert look_up(client, demand.tracking_no, code).status_code == 429
    assert public.TRACKED_KEY not in client.session


@pytest.fixture
def with_photo(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    from ledgers.tests.conftest import png

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="鄰居李志明先生家門口水渠堵塞，電話13600001111。",
        location="江南大道168號3棟2單元502室",
        urgency=Urgency.NORMAL,
        submitter_name="張三豐",
        submitter_phone="13812345678",
        attachments=[png("photo.png")],
    )


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_status_page_shows_the_requester_what_they_filed(
    client, with_photo, language
):  # type: ignore[no-untyped-def]
    demand, code = with_photo
    look_up(client, demand.tracking_no, code)
    page = client.get(STATUS, HTTP_ACCEPT_LANGUAGE=language).text
    assert "邻居李**先生家门口水渠堵塞，电话136****1111。" in to_simplified(page)
    assert "***室" in page and "江南大" in page
    assert "志明" not in page and "13600001111" not in page
    photo = reverse("demands:tracked_attachment", args=[demand.attachments.get().pk])
    assert f'<img src="{photo}"' in page
    response = client.get(photo)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    response.close()


def test_a_photo_is_not_served_to_a_browser_that_did_not_prove_the_code(
    client, world, with_photo
):  # type: ignore[no-untyped-def]
    demand, _code = with_photo
    photo = reverse("demands:tracked_attachment", args=[demand.attachments.get().pk])
    assert client.get(photo).status_code == 404
    other, other_code = submit(world)
    look_up(client, other.tracking_no, other_code)
    assert client.get(photo).status_code == 404
