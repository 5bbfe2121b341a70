"""An advanced model's procedure as a whole (issue 26): the leading group's ballots,
seeing the deeds and the photo, tallied by themselves; the 公示 page reached from
the column's 先進典型 filter, the home page and the site search; the office answering
and closing each objection, reached from its count; 表彰 refused, with the reason on
the disabled button, until the notice has ended and every objection is closed."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.roles import CampaignRole
from campaigns.tests.factories import PositionFactory
from core.errors import Conflict
from notify.models import Notification
from org.tests.factories import PersonFactory
from publicity import actions, model_rules
from publicity.models import AdvancedModelPage, ModelStage
from publicity.tests.conftest import ignores_rendition_temp_file, make_picture

pytestmark = pytest.mark.django_db

DEEDS = "<p>扎根基層三十年，帶領水文站職工完成汛期測報。</p>"


@pytest.fixture
def nomination(world, column, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.nominate_model(
            column,
            unit=world.unit_a,
            kind="person",
            nominee="張衛國",
            deeds=DEEDS,
            actor=world.liaison_a,
        )


def on_notice(world, page):
    actions.cast_ballot(page, choice="for", actor=world.leader)
    return actions.start_public_notice(page, days=7, actor=world.director)


def end_notice(page):
    AdvancedModelPage.objects.filter(pk=page.pk).update(
        notice_ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.refresh_from_db()


# -- the ballots -----------------------------------------------------------------


def test_each_member_casts_a_ballot_and_the_tally_closes_the_vote(
    world, member, nomination
):
    counted = actions.cast_ballot(nomination, choice="for", actor=world.leader)
    assert (counted.members, counted.cast, counted.complete) == (2, 1, False)
    nomination.refresh_from_db()
    assert nomination.stage == ModelStage.NOMINATED  # one member has not voted
    with pytest.raises(Conflict):
        actions.cast_ballot(nomination, choice="against", actor=world.leader)
    counted = actions.cast_ballot(nomination, choice="abstain", actor=member)
    assert counted.complete
    nomination.refresh_from_db()
    assert nomination.stage == ModelStage.VOTED
    assert (nomination.votes_for, nomination.votes_against) == (1, 0)
    with pytest.raises(Conflict):
        actions.cast_ballot(nomination, choice="for", actor=member)


def test_the_office_closes_the_vote_only_with_more_than_half_cast(
    world, member, nomination
):
    assert model_rules.close_vote_refusal(nomination)
    with pytest.raises(Conflict):
        actions.close_vote(nomination, actor=world.director)
    actions.cast_ballot(nomination, choice="against", actor=world.leader)
    assert model_rules.close_vote_refusal(nomination) == (
        "Fewer than half of the leading group have voted."
    )
    third = PersonFactory.create(username="w_absent")
    PositionFactory.create(
        person=third, body=world.leading_group, role=CampaignRole.GROUP_MEMBER
    )
    actions.cast_ballot(nomination, choice="against", actor=member)
    with pytest.raises(PermissionDenied):
        actions.close_vote(nomination, actor=world.liaison_a)
    page = actions.close_vote(nomination, actor=world.director)
    assert page.stage == ModelStage.NOT_ELECTED


def test_only_the_leading_group_votes(world, nomination):
    for person in (world.director, world.editor, world.clerk, world.liaison_a):
        with pytest.raises(PermissionDenied):
            actions.cast_ballot(nomination, choice="for", actor=person)
    with pytest.raises(ValidationError):
        actions.cast_ballot(nomination, choice="7", actor=world.leader)


def test_the_leading_group_is_asked_to_vote(world, member, nomination):
    asked = Notification.objects.filter(link=f"/admin/column/models/{nomination.pk}/")
    assert set(asked.values_list("recipient", flat=True)) == {
        world.leader.pk,
        member.pk,
    }


@ignores_rendition_temp_file
def test_a_voter_sees_the_deeds_and_the_photo_and_casts_a_ballot(
    login, in_english, world, nomination, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    AdvancedModelPage.objects.filter(pk=nomination.pk).update(photo=make_picture())
    client = login(world.leader)
    url = reverse("publicity_admin:model", args=[nomination.pk])
    text = client.get(url).content.decode()
    assert "帶領水文站職工完成汛期測報" in text
    assert 'class="model-photo"' in text
    assert 'name="choice"' in text
    response = client.post(
        reverse("publicity_admin:vote", args=[nomination.pk]),
        {"choice": "for"},
        follow=True,
    )
    assert "Every member has voted" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.stage == ModelStage.VOTED
    # the ballot is cast once: no second form
    assert 'name="choice"' not in client.get(url).content.decode()


# -- the 公示 page, found ----------------------------------------------------------


def test_the_columns_models_filter_lists_the_model_on_notice(
    client, world, column, nomination
):
    page = on_notice(world, nomination)
    listed = client.get(column.url, {"category": "models"}).content.decode()
    assert f'href="{page.url}"' in listed
    assert "张卫国" in listed  # served in simplified by default
    assert client.get(page.url).status_code == 200


def test_the_home_page_links_the_public_notice(client, world, nomination):
    page = on_notice(world, nomination)
    home = client.get("/").content.decode()
    assert f'href="{page.url}"' in home


@pytest.mark.parametrize("query", ["张卫国", "張衛國", "汛期测报"])
def test_the_site_search_finds_the_nominee(client, world, nomination, query):
    page = on_notice(world, nomination)
    found = client.get(reverse("publicity:search"), {"q": query}).content.decode()
    assert f'href="{page.url}"' in found


def test_a_nomination_not_on_notice_is_found_nowhere(client, world, column, nomination):
    assert "张卫国" not in client.get(column.url).content.decode()
    found = client.get(reverse("publicity:search"), {"q": "张卫国"}).content.decode()
    assert "model-results" not in found


# -- objections: read, answered, closed -------------------------------------------


def test_the_objection_count_opens_the_list(login, world, nomination):
    page = on_notice(world, nomination)
    actions.file_objection(page, text="事蹟有出入")
    listing = login(world.director).get(reverse("publicity_admin:models"))
    link = reverse("publicity_admin:objections", args=[page.pk])
    assert re.search(
        rf'<a class="objection-count" href="{link}">[^<]*1', listing.content.decode()
    )


def test_the_office_answers_and_closes_an_objection(
    login, in_english, world, nomination, django_capture_on_commit_callbacks
):
    page = on_notice(world, nomination)
    with django_capture_on_commit_callbacks(execute=True):
        objection = actions.file_objection(page, text="事蹟有出入")
    told = Notification.objects.filter(recipient=world.editor)
    assert told.filter(link__endswith=f"/models/{page.pk}/objections/").exists()
    client = login(world.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("publicity_admin:answer_objection", args=[objection.pk]),
            {"answer": "已電話聯繫核實，事蹟屬實。"},
            follow=True,
        )
    text = response.content.decode()
    assert "已電話聯繫核實" in text
    objection.refresh_from_db()
    assert objection.closed_at is not None and objection.answered_by == world.editor
    # the nominating unit, waiting on the answer, is told
    assert Notification.objects.filter(
        recipient=world.liaison_a, link=f"/admin/column/models/{page.pk}/"
    ).exists()
    with pytest.raises(Conflict):
        actions.answer_objection(objection, answer="again", actor=world.editor)


def test_the_leading_group_may_not_answer_an_objection(login, world, nomination):
    page = on_notice(world, nomination)
    objection = actions.file_objection(page, text="事蹟有出入")
    url = reverse("publicity_admin:answer_objection", args=[objection.pk])
    assert login(world.leader).post(url, {"answer": "x"}).status_code == 403
    assert login(world.liaison_a).post(url, {"answer": "x"}).status_code == 403
    assert login(world.liaison_b).post(url, {"answer": "x"}).status_code == 404
    objection.refresh_from_db()
    assert objection.closed_at is None


def test_an_empty_answer_is_refused(login, in_english, world, nomination):
    page = on_notice(world, nomination)
    objection = actions.file_objection(page, text="事蹟有出入")
    response = login(world.editor).post(
        reverse("publicity_admin:answer_objection", args=[objection.pk]),
        {"answer": "  "},
        follow=True,
    )
    assert "Write the answer to the objection." in response.content.decode()
    objection.refresh_from_db()
    assert objection.closed_at is None


# -- 表彰 ---------------------------------------------------------------------------


def test_the_award_waits_for_the_notice_and_every_objection(
    login, in_english, world, column, client, nomination
):
    page = on_notice(world, nomination)
    objection = actions.file_objection(page, text="事蹟有出入")
    office = login(world.director)
    screen = reverse("publicity_admin:model", args=[page.pk])
    text = office.get(screen).content.decode()
    assert re.search(r"<button[^>]*disabled title=\"The public notice runs until", text)
    end_notice(page)
    text = office.get(screen).content.decode()
    assert re.search(
        r"<button[^>]*disabled title=\"1 objection is not answered and closed yet",
        text,
    )
    response = office.post(
        reverse("publicity_admin:award", args=[page.pk]), follow=True
    )
    assert "1 objection is not answered and closed yet." in response.content.decode()
    page.refresh_from_db()
    assert page.stage == ModelStage.NOTICE
    actions.answer_objection(objection, answer="已核實", actor=world.director)
    office.post(reverse("publicity_admin:award", args=[page.pk]))
    page.refresh_from_db()
    assert page.stage == ModelStage.AWARDED
    client.logout()
    listed = client.get(column.url, {"category": "models"}).content.decode()
    assert f'href="{page.url}"' in listed
    assert 'data-stage="awarded"' in listed


def test_notice_and_award_ask_for_confirmation(login, world, nomination):
    actions.cast_ballot(nomination, choice="for", actor=world.leader)
    office = login(world.director)
    screen = reverse("publicity_admin:model", args=[nomination.pk])
    text = office.get(screen).content.decode()
    assert re.search(r"<button[^>]*data-confirm=\"[^\"]+\"[^>]*>[^<]*</button>", text)
    assert reverse("publicity_admin:notice", args=[nomination.pk]) in text
    actions.start_public_notice(nomination, days=7, actor=world.director)
    text = office.get(screen).content.decode()
    award = re.search(
        rf'action="{reverse("publicity_admin:award", args=[nomination.pk])}".*?</form>',
        text,
        re.S,
    )
    assert award and "data-confirm=" in award.group(0)


# -- the screens refuse ------------------------------------------------------------


def test_a_nominations_page_is_hidden_from_other_units(login, world, nomination):
    url = reverse("publicity_admin:model", args=[nomination.pk])
    assert login(world.liaison_b).get(url).status_code == 404
    assert login(world.clerk).get(url).status_code == 404
    # the nominating unit sees its nomination, without a ballot form
    text = login(world.liaison_a).get(url).content.decode()
    assert 'name="choice"' not in text


def test_closing_the_vote_is_refused_to_the_unit(login, world, nomination):
    url = reverse("publicity_admin:close_vote", args=[nomination.pk])
    assert login(world.liaison_a).post(url).status_code == 403
    assert login(world.liaison_b).post(url).status_code == 404


def test_the_models_list_pages_and_filters(login, world, column, nomination):
    for number in range(30):
        actions.nominate_model(
            column,
            unit=world.unit_a,
            kind="person",
            nominee=f"候選人{number:02d}",
            deeds="<p>事蹟</p>",
            actor=world.liaison_a,
        )
    on_notice(world, nomination)
    client = login(world.director)
    url = reverse("publicity_admin:models")
    first = client.get(url).content.decode()
    assert "候選人29" in first and "候選人00" not in first
    assert "page=2" in first
    assert "候選人00" in client.get(url, {"page": 2}).content.decode()
    on_notice_only = client.get(url, {"stage": "notice"}).content.decode()
    assert "張衛國" in on_notice_only and "候選人" not in on_notice_only
    named = client.get(url, {"q": "候選人07"}).content.decode()
    assert "候選人07" in named and "候選人08" not in named
