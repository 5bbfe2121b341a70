"""Objections to an advanced model: the voting bodies read them on a screen of their
own, with the contacts in full for the publicity group and the office (each showing
logged) and masked for the leading group; their authors' name and phone are erased
once the retention has passed."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from core.errors import Conflict
from publicity import actions, sweeps
from publicity.models import Objection
from publicity.tests.conftest import model_on_notice

pytestmark = pytest.mark.django_db

TEXT = "事蹟有誇大，請聯繫13912345678核實"


@pytest.fixture
def on_notice(world, column):
    return model_on_notice(world, column)


@pytest.fixture
def objection(on_notice):
    return actions.file_objection(
        on_notice, text=TEXT, name="王小明", phone="13800001111"
    )


def shown(page, action="sanfu.model.objection_contacts_view"):
    return PageLogEntry.objects.filter(page=page, action=action)


def screen(on_notice):
    return reverse("publicity_admin:objections", args=[on_notice.pk])


def test_the_publicity_group_reads_objections_with_their_contacts(
    login, world, on_notice, objection
):
    response = login(world.editor).get(screen(on_notice))
    assert response.status_code == 200
    text = response.content.decode()
    assert TEXT in text
    assert "王小明" in text
    assert "13800001111" in text
    (entry,) = shown(on_notice)
    assert entry.user_id == world.editor.pk


def test_the_leader_reads_the_text_with_contacts_masked(
    login, world, on_notice, objection
):
    response = login(world.leader).get(screen(on_notice))
    assert response.status_code == 200
    text = response.content.decode()
    assert "事蹟有誇大" in text
    assert "王小明" not in text
    assert "13800001111" not in text
    assert "13912345678" not in text  # a number typed into the text, too
    assert "138****1111" in text
    assert not shown(on_notice).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("liaison_a", 403), ("head_a", 403), ("liaison_b", 404), ("clerk", 404)],
)
def test_the_nominating_unit_and_others_do_not_read_objections(
    login, world, on_notice, objection, persona, status
):
    response = login(getattr(world, persona)).get(screen(on_notice))
    assert response.status_code == status
    assert "事蹟有誇大" not in response.content.decode()


def test_the_screen_sends_visitors_to_sign_in(client, on_notice):
    response = client.get(screen(on_notice))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_objection_contacts_are_erased_after_the_retention(
    world, on_notice, objection, settings, capsys
):
    days = settings.SANFU_OBJECTION_RETENTION_DAYS
    recent = actions.file_objection(
        on_notice, text="另有意見", name="李四", phone="13700002222"
    )
    with pytest.raises(Conflict):
        actions.erase_objection_contacts(objection, now=timezone.now())
    Objection.objects.filter(pk=objection.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days + 1)
    )

    call_command("sweep_publicity")

    assert "objection contacts erased: 1" in capsys.readouterr().out
    erased = Objection.objects.get(pk=objection.pk)
    assert (erased.name, erased.phone) == ("", "")
    assert "13912345678" not in erased.text
    assert "事蹟有誇大" in erased.text  # what was objected stays
    kept = Objection.objects.get(pk=recent.pk)
    assert (kept.name, kept.phone) == ("李四", "13700002222")
    assert shown(on_notice, "sanfu.model.objection_erase").count() == 1
    assert sweeps.erase_expired_objection_contacts(timezone.now()) == 0
