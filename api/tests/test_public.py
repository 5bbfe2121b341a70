"""The public endpoints: submit, follow and rate a demand."""

import time

import pytest
from django.db import InterfaceError, OperationalError
from wagtail.models import ModelLogEntry

from api.models import IdempotencyKey
from campaigns import accepting
from campaigns.models import CampaignStatus
from campaigns.tests.factories import CampaignFactory
from demands import actions
from demands.models import Channel, Demand, DemandDayStat, DemandStatus, Rating

pytestmark = pytest.mark.django_db

URL = "/api/v1/demands"


def body(world, **extra):
    data = {
        "campaign": world.campaign.slug if world else "",
        "kind": "complaint",
        "title": "  路燈不亮  ",
        "content": "小區門口路燈（lù dēng）壞了三天。",
        "name": "李四",
        "phone": "13900001111",
        "allow_publish": True,
    }
    data.update(extra)
    return data


def track(anonymous, tracking_no, code):
    return anonymous.client.get(f"{URL}/{tracking_no}", headers={"X-Query-Code": code})


def test_a_demand_submitted_through_the_api_gets_a_number_and_a_code(
    world, category, anonymous
):
    response = anonymous.post(URL, body(world, category=category.pk))
    assert response.status_code == 201
    answer = response.json()
    assert answer["status"] == "submitted"
    demand = Demand.objects.get(tracking_no=answer["tracking_no"])
    assert demand.check_query_code(answer["query_code"])
    assert demand.channel == Channel.API
    assert demand.title == "路燈不亮"
    assert demand.category == category
    assert demand.main_task == category.main_task


def test_invalid_fields_are_listed_with_a_400(world, anonymous):
    response = anonymous.post(URL, body(world, kind="rumour", title="\x00 ", phone="x"))
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid"
    assert answer["message"]
    assert {e["field"] for e in answer["errors"]} == {"kind", "title", "phone"}
    assert not Demand.objects.exists()


def test_the_error_message_is_in_the_readers_language(world, anonymous):
    response = anonymous.client.post(
        URL,
        {"kind": "help"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Some fields are invalid."


def test_a_body_that_is_not_json_is_a_400(anonymous):
    response = anonymous.client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.CLOSED])
def test_a_draft_or_ended_campaign_is_a_field_error(world, anonymous, status):
    world.campaign.status = status
    world.campaign.save()
    response = anonymous.post(URL, body(world))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "campaign"


# committed for real: the campaign's key is checked at the commit
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("key", ["", "retry-1"])
def test_a_campaign_deleted_elsewhere_while_kept_here_is_a_field_error(anonymous, key):
    campaign = CampaignFactory.create()  # no demand yet: it may be deleted
    kept = accepting.accepting_campaign(campaign.slug)
    assert kept is not None
    campaign.delete()  # here, which empties what the process keeps ...
    # ... so keep it again, as another process that did not delete it still does
    accepting._kept[campaign.slug] = (time.monotonic(), kept)
    headers = {"Idempotency-Key": key} if key else {}
    response = anonymous.post(URL, body(None, campaign=campaign.slug), **headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "campaign"
    assert not Demand.objects.exists()
    assert not IdempotencyKey.objects.exists()
    assert not ModelLogEntry.objects.filter(action="sanfu.demand.submit").exists()
    assert not DemandDayStat.objects.exists()
    assert campaign.slug not in accepting._kept  # read afresh next time
    assert anonymous.post(URL, body(None, campaign=campaign.slug)).status_code == 400


def test_a_category_of_another_campaign_is_a_field_error(world, other_world, anonymous):
    from demands.tests.factories import CategoryFactory

    foreign = CategoryFactory.create(campaign=other_world.campaign)
    response = anonymous.post(URL, body(world, category=foreign.pk))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "category"


def test_public_posting_is_rate_limited_per_client(world, anonymous, settings):
    settings.SANFU_API_RATE_LIMITS = {"submit": (2, 60)}
    assert anonymous.post(URL, body(world)).status_code == 201
    assert anonymous.post(URL, body(world)).status_code == 201
    refused = anonymous.post(URL, body(world))
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["Retry-After"] == "60"
    assert Demand.objects.count() == 2
    other_client = anonymous.client.post(
        URL, body(world), content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert other_client.status_code == 201


def test_a_retried_submission_with_its_key_returns_the_first_answer(world, anonymous):
    first = anonymous.post(URL, body(world), **{"Idempotency-Key": "abc-123"})
    again = anonymous.post(URL, body(world), **{"Idempotency-Key": "abc-123"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Demand.objects.count() == 1
    stored = IdempotencyKey.objects.get()
    assert first.json()["query_code"] not in str(stored.__dict__)
    assert "abc-123" not in str(stored.__dict__)


def test_a_key_reused_for_another_request_is_refused(world, anonymous):
    anonymous.post(URL, body(world), **{"Idempotency-Key": "k1"})
    response = anonymous.post(
        URL, body(world, title="另一件事"), **{"Idempotency-Key": "k1"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Demand.objects.count() == 1


@pytest.mark.parametrize(
    "failure",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_is_a_503_and_the_retry_files_once(
    world, anonymous, monkeypatch, failure
):
    # what a request meets while PostgreSQL restarts
    def down(*args, **kwargs):
        raise failure

    monkeypatch.setattr(actions, "submit_demand", down)
    response = anonymous.post(URL, body(world), **{"Idempotency-Key": "k1"})
    assert response.status_code == 503
    assert response.json()["code"] == "busy"
    assert response["Retry-After"] == "1"
    monkeypatch.undo()
    again = anonymous.post(URL, body(world), **{"Idempotency-Key": "k1"})
    assert again.status_code == 201
    assert Demand.objects.count() == 1


def test_different_keys_file_different_demands(world, anonymous):
    anonymous.post(URL, body(world), **{"Idempotency-Key": "k1"})
    anonymous.post(URL, body(world), **{"Idempotency-Key": "k2"})
    assert Demand.objects.count() == 2


def test_the_status_shows_progress_and_no_personal_data(world, submitted, anonymous):
    demand, code = submitted()
    actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    response = track(anonymous, demand.tracking_no, code.lower())
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "dispatched"
    assert answer["unit"] == world.unit_a.name
    assert answer["reply"] is None
    assert "張" not in response.content.decode()
    assert "13812345678" not in response.content.decode()


def test_a_wrong_code_answers_exactly_like_an_unknown_number(submitted, anonymous):
    demand, _code = submitted()
    wrong = track(anonymous, demand.tracking_no, "WRONG234")
    unknown = track(anonymous, "20990101999999", "WRONG234")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content


def test_the_status_needs_a_code(submitted, anonymous):
    demand, _code = submitted()
    response = anonymous.get(f"{URL}/{demand.tracking_no}")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "X-Query-Code",
        "location": "header",
        "message": "Field required",
    }


def replied(world, submitted):
    demand, code = submitted()
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=True, actor=world.liaison_a
    )
    return demand, code


def test_the_submitter_rates_the_reply(world, submitted, anonymous):
    demand, code = replied(world, submitted)
    response = anonymous.post(
        f"{URL}/{demand.tracking_no}/rate", {"code": code, "rating": "satisfied"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["reply"] == "已疏通。"
    demand.refresh_from_db()
    assert demand.rating == Rating.SATISFIED


def test_rating_with_a_wrong_code_is_a_404(world, submitted, anonymous):
    demand, _code = replied(world, submitted)
    response = anonymous.post(
        f"{URL}/{demand.tracking_no}/rate", {"code": "WRONG234", "rating": "satisfied"}
    )
    assert response.status_code == 404
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.REPLIED


def test_rating_before_the_reply_is_a_conflict(submitted, anonymous):
    demand, code = submitted()
    response = anonymous.post(
        f"{URL}/{demand.tracking_no}/rate", {"code": code, "rating": "satisfied"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_rating_needs_a_known_rating(submitted, anonymous):
    demand, code = submitted()
    response = anonymous.post(
        f"{URL}/{demand.tracking_no}/rate", {"code": code, "rating": "great"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rating"


def test_the_openapi_document_is_served(anonymous):
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"] == "1"
    assert "/api/v1/demands/{tracking_no}/approve-extension" in document["paths"]
    assert anonymous.get("/api/v1/docs").status_code == 200


def test_a_campaign_ended_after_a_submission_refuses_the_next_at_once(world, anonymous):
    assert anonymous.post(URL, body(world)).status_code == 201
    world.campaign.status = CampaignStatus.CLOSED
    world.campaign.save()
    response = anonymous.post(URL, body(world))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "campaign"
    assert Demand.objects.count() == 1
