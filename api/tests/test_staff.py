"""The staff endpoints: the token, the list and one endpoint per transition."""

import pytest
from django.utils import timezone

from api.actions import revoke_token
from api.models import ApiToken
from demands import actions
from demands.models import Demand, DemandStatus, ExtensionStatus, Rating

pytestmark = pytest.mark.django_db

URL = "/api/v1/demands"


# --- the token -------------------------------------------------------------------


def test_staff_endpoints_need_a_token(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_invalid_token_is_refused(client):
    response = client.get(URL, headers={"Authorization": "Bearer sf_nonsense"})
    assert response.status_code == 401


def test_a_revoked_token_is_refused(world, as_person):
    api = as_person(world.director)
    assert api.get(URL).status_code == 200
    revoke_token(ApiToken.objects.get(), actor=world.director)
    assert api.get(URL).status_code == 401


def test_the_token_of_a_deactivated_person_is_refused(world, as_person):
    api = as_person(world.director)
    world.director.is_active = False
    world.director.save()
    assert api.get(URL).status_code == 401


def test_the_key_is_stored_only_as_its_hash(world, as_person):
    api = as_person(world.director)
    key = api.headers["Authorization"].removeprefix("Bearer ")
    token = ApiToken.objects.get()
    assert key not in str(token.__dict__)
    assert key.startswith(token.prefix)
    api.get(URL)
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- the list --------------------------------------------------------------------


def test_the_office_lists_every_demand_with_personal_data(world, submitted, as_person):
    demand, _code = submitted()
    response = as_person(world.clerk).get(URL)
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["tracking_no"] == demand.tracking_no
    assert item["submitter_phone"] == "13812345678"
    assert item["submitter_name"] == "張三豐"


def test_the_leader_holds_no_token_and_an_old_one_is_refused(
    world, submitted, with_old_token
):
    submitted()
    assert with_old_token(world.leader).get(URL).status_code == 401


def test_a_units_token_sees_only_its_units_demands(world, submitted, as_person):
    mine, _ = submitted()
    theirs, _ = submitted(title="另一件事", submitter_phone="")
    actions.dispatch_demand(mine, world.unit_a, actor=world.director)
    actions.dispatch_demand(theirs, world.unit_b, actor=world.director)
    submitted(title="未分派", submitter_phone="")
    items = as_person(world.liaison_a).get(URL).json()["items"]
    assert [item["tracking_no"] for item in items] == [mine.tracking_no]
    assert items[0]["submitter_phone"] == "13812345678"
    b_items = as_person(world.liaison_b).get(URL).json()["items"]
    assert [item["tracking_no"] for item in b_items] == [theirs.tracking_no]


def test_a_person_without_a_token_role_is_refused(world, submitted, with_old_token):
    submitted()
    assert with_old_token(world.outsider).get(URL).status_code == 401
    assert with_old_token(world.editor).get(URL).status_code == 401


def test_the_list_filters_by_status_kind_and_unit(world, submitted, as_person):
    first, _ = submitted()
    submitted(kind="complaint", submitter_phone="", title="投訴")
    actions.dispatch_demand(first, world.unit_a, actor=world.director)
    api = as_person(world.director)

    def numbers(**params):
        return [i["tracking_no"] for i in api.get(URL, **params).json()["items"]]

    assert numbers(status="dispatched") == [first.tracking_no]
    assert len(numbers(kind="complaint")) == 1
    assert numbers(unit=world.unit_a.pk) == [first.tracking_no]
    assert numbers(unit=world.unit_b.pk) == []
    assert api.get(URL, status="lost").status_code == 400


def test_the_list_pages_by_cursor_without_gaps_or_repeats(world, submitted, as_person):
    same_moment = timezone.now()
    filed = [submitted(submitter_phone="")[0] for _ in range(5)]
    # Two demands in the same instant: the id breaks the tie.
    Demand.objects.filter(pk__in=[filed[1].pk, filed[2].pk]).update(
        submitted_at=same_moment
    )
    api = as_person(world.director)
    seen, after, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"after": after} if after else {})}
        answer = api.get(URL, **params).json()
        seen += [item["id"] for item in answer["items"]]
        pages += 1
        after = answer["next"]
        if after is None:
            break
    assert sorted(seen) == sorted(d.pk for d in filed)
    assert len(set(seen)) == 5
    assert pages == 3


def test_a_forged_cursor_is_a_field_error(world, as_person):
    response = as_person(world.director).get(URL, after="bm90LWEtY3Vyc29y")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "after"


def test_the_list_costs_the_same_queries_for_one_or_many(
    world, submitted, as_person, django_assert_max_num_queries
):
    for _ in range(10):
        demand, _code = submitted(submitter_phone="")
        actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    api = as_person(world.liaison_a)
    api.get(URL)  # the token's last use is written once a minute at most
    # token, person, the person's campaigns and units, the page, its masking check
    with django_assert_max_num_queries(5):
        response = api.get(URL)
    assert len(response.json()["items"]) == 10


def test_one_demand_by_id(world, submitted, as_person):
    demand, _ = submitted()
    response = as_person(world.director).get(f"{URL}/id/{demand.pk}")
    assert response.status_code == 200
    assert response.json()["tracking_no"] == demand.tracking_no
    assert as_person(world.liaison_b).get(f"{URL}/id/{demand.pk}").status_code == 404


# --- transitions -----------------------------------------------------------------


def url(demand, verb):
    return f"{URL}/{demand.tracking_no}/{verb}"


def test_the_office_dispatches(world, submitted, as_person):
    demand, _ = submitted()
    response = as_person(world.clerk).post(
        url(demand, "dispatch"), {"unit": world.unit_a.pk}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dispatched"
    assert response.json()["unit"] == world.unit_a.pk


def test_the_leader_may_not_dispatch(world, submitted, with_old_token):
    demand, _ = submitted()
    response = with_old_token(world.leader).post(
        url(demand, "dispatch"), {"unit": world.unit_a.pk}
    )
    assert response.status_code == 401
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_dispatch_to_an_unknown_or_foreign_unit_is_a_field_error(
    world, other_world, submitted, as_person
):
    demand, _ = submitted()
    api = as_person(world.director)
    for unit in (2**40, other_world.unit_a.pk):
        response = api.post(url(demand, "dispatch"), {"unit": unit})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "unit"
    assert api.post(url(demand, "dispatch"), {}).status_code == 400


def test_a_second_dispatch_is_a_conflict(world, submitted, as_person):
    demand, _ = submitted()
    api = as_person(world.director)
    api.post(url(demand, "dispatch"), {"unit": world.unit_a.pk})
    response = api.post(url(demand, "dispatch"), {"unit": world.unit_b.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Demand.objects.get(pk=demand.pk).unit == world.unit_a


def test_an_unknown_number_is_a_404(world, as_person):
    response = as_person(world.director).post(f"{URL}/2099010100000001/accept")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": response.json()["message"],
    }


@pytest.fixture
def dispatched(world, submitted):
    demand, _ = submitted()
    return actions.dispatch_demand(demand, world.unit_a, actor=world.director)


@pytest.fixture
def accepted(world, dispatched):
    return actions.accept_demand(dispatched, actor=world.liaison_a)


def test_the_unit_accepts(world, dispatched, as_person):
    response = as_person(world.liaison_a).post(url(dispatched, "accept"))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_a_transition_looks_its_demand_up_once(
    world, dispatched, as_person, django_assert_max_num_queries
):
    api = as_person(world.liaison_a)
    api.get(URL)  # the token's last use is written once a minute at most
    # token; the person's seats and the demand, then whether they handle it (the
    # token's check, whose demand the view reuses); the action's locked read,
    # check, rollup and audit entry inside a savepoint; the answer's fresh read
    # and its masking check
    with django_assert_max_num_queries(18) as queries:
        response = api.post(url(dispatched, "accept"))
    assert response.status_code == 200
    by_number = f"\"tracking_no\" = '{dispatched.tracking_no}'"
    lookups = [q["sql"] for q in queries.captured_queries if by_number in q["sql"]]
    assert len(lookups) == 1, lookups


def test_another_units_token_cannot_see_or_act_on_the_demand(
    world, dispatched, as_person
):
    api = as_person(world.liaison_b)
    for verb, body in [
        ("accept", {}),
        ("reply", {"reply": "不是我們的", "solved": False}),
        ("return", {"reason": "不是我們的"}),
        ("extend", {"days": 3, "reason": "不是我們的"}),
    ]:
        response = api.post(url(dispatched, verb), body)
        assert response.status_code == 404, verb
    assert api.get(f"{URL}/id/{dispatched.pk}").status_code == 404
    assert Demand.objects.get(pk=dispatched.pk).status == DemandStatus.DISPATCHED


def test_unit_staff_without_a_handling_role_cannot_act(
    world, dispatched, with_old_token
):
    response = with_old_token(world.staff_a).post(url(dispatched, "accept"))
    assert response.status_code == 401


def test_the_unit_cannot_dispatch(world, dispatched, as_person):
    response = as_person(world.liaison_a).post(
        url(dispatched, "dispatch"), {"unit": world.unit_a.pk}
    )
    assert response.status_code == 403


def test_the_unit_replies(world, accepted, as_person):
    api = as_person(world.liaison_a)
    assert api.post(url(accepted, "reply"), {"reply": " "}).status_code == 400
    response = api.post(url(accepted, "reply"), {"reply": "已疏通。", "solved": True})
    assert response.status_code == 200
    assert response.json()["status"] == "replied"
    assert response.json()["reply"] == "已疏通。"


def test_replying_before_accepting_is_a_conflict(world, dispatched, as_person):
    response = as_person(world.liaison_a).post(
        url(dispatched, "reply"), {"reply": "答覆", "solved": True}
    )
    assert response.status_code == 409


def test_the_unit_returns_a_wrongly_dispatched_demand(world, dispatched, as_person):
    api = as_person(world.liaison_a)
    assert api.post(url(dispatched, "return"), {"reason": ""}).status_code == 400
    response = api.post(url(dispatched, "return"), {"reason": "不屬本單位職責"})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["unit"] is None
    # once returned, the unit no longer sees it
    assert api.post(url(dispatched, "accept")).status_code == 404


def test_an_extension_is_requested_then_approved(world, accepted, as_person):
    unit = as_person(world.liaison_a)
    response = unit.post(url(accepted, "extend"), {"days": 31, "reason": "勘查"})
    assert response.status_code == 400
    response = unit.post(url(accepted, "extend"), {"days": 5, "reason": "需要現場勘查"})
    assert response.status_code == 201
    extension = response.json()
    assert extension["status"] == "pending"
    again = unit.post(url(accepted, "extend"), {"days": 2, "reason": "再延"})
    assert again.status_code == 409
    refused = unit.post(
        url(accepted, "approve-extension"),
        {"extension": extension["id"], "approve": True},
    )
    assert refused.status_code == 403
    office = as_person(world.director)
    response = office.post(
        url(accepted, "approve-extension"),
        {"extension": extension["id"], "approve": True, "note": "同意"},
    )
    assert response.status_code == 200
    assert response.json()["extension_days"] == 5
    assert accepted.extension_requests.get().status == ExtensionStatus.APPROVED
    twice = office.post(
        url(accepted, "approve-extension"),
        {"extension": extension["id"], "approve": False},
    )
    assert twice.status_code == 409


def test_deciding_an_unknown_extension_is_a_404(world, accepted, as_person):
    response = as_person(world.director).post(
        url(accepted, "approve-extension"), {"extension": 99999, "approve": True}
    )
    assert response.status_code == 404


@pytest.fixture
def replied(world, accepted):
    return actions.reply_demand(
        accepted, reply="第一次答覆", solved=False, actor=world.liaison_a
    )


def test_the_office_reopens_after_an_unsatisfied_return_visit(
    world, replied, as_person
):
    assert as_person(world.liaison_a).post(url(replied, "reopen")).status_code == 403
    api = as_person(world.clerk)
    response = api.post(url(replied, "reopen"))
    assert response.status_code == 200
    assert response.json()["status"] == "reopened"
    assert response.json()["reopen_count"] == 1
    # a reopened demand does not reopen again, even once replied anew
    demand = actions.reply_demand(
        Demand.objects.get(pk=replied.pk),
        reply="第二次",
        solved=True,
        actor=world.liaison_a,
    )
    response = api.post(url(demand, "reopen"))
    assert response.status_code == 409
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REPLIED
    assert demand.rating == ""


def test_reopening_an_unreplied_demand_is_a_conflict(world, accepted, as_person):
    assert as_person(world.director).post(url(accepted, "reopen")).status_code == 409


def test_the_public_rating_still_closes_a_reopened_demand(world, replied):
    actions.rate_demand(replied, rating=Rating.UNSATISFIED)
    assert Demand.objects.get(pk=replied.pk).status == DemandStatus.REOPENED


# --- the permission before the body ----------------------------------------------

# Every field of every transition's body, each wrong.
INVALID_BODY = {
    "unit": "no unit",
    "note": 5,
    "reply": ["not", "text"],
    "solved": "perhaps",
    "reason": "",
    "days": -1,
    "extension": "x",
    "approve": "maybe",
}
OFFICE_STEPS = ["dispatch", "approve-extension", "reopen"]
UNIT_STEPS = ["accept", "reply", "return", "extend"]


@pytest.mark.parametrize("step", OFFICE_STEPS + UNIT_STEPS)
def test_a_caller_who_may_not_act_is_refused_before_the_body_is_read(
    world, submitted, as_person, step
):
    """A caller who does not see the demand gets 404 and one who sees it but may
    not take the step 403, whatever the body; only those who may act are told
    what is wrong with it."""
    demand, _code = submitted()
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    url = f"{URL}/{demand.tracking_no}/{step}"
    office = step in OFFICE_STEPS
    assert as_person(world.liaison_b).post(url, INVALID_BODY).status_code == 404
    onlooker = as_person(world.liaison_a if office else world.clerk)
    response = onlooker.post(url, INVALID_BODY)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    allowed_person = world.clerk if office else world.liaison_a
    reader = as_person(allowed_person, scope="read")
    assert reader.post(url, INVALID_BODY).status_code == 403
    if step not in ("accept", "reopen"):  # the steps without a body
        allowed = as_person(allowed_person)
        assert allowed.post(url, INVALID_BODY).status_code == 400
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DISPATCHED
