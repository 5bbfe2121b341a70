"""The phase summary report: reachable from the cockpit, refused to those who do not
oversee the campaign, and holding the cockpit's figures over the phase's period."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from docx import Document

from campaigns.models import MainTask, Phase
from ledgers.models import Problem, ProblemSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return Phase.objects.create(
        campaign=world.campaign,
        sequence=90,
        name="查擺整改",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
    )


def url(phase, **query):  # type: ignore[no-untyped-def]
    path = reverse("dashboard:phase_report", args=[phase.pk])
    return path + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def tables(response):  # type: ignore[no-untyped-def]
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return cells, "\n".join(p.text for p in document.paragraphs)


def test_anonymous_people_are_sent_to_log_in(client, phase):
    response = client.get(url(phase))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["head_a", "liaison_a", "editor", "outsider"])
def test_unit_roles_the_publicity_group_and_outsiders_are_refused(
    login, world, phase, persona
):
    response = login(getattr(world, persona)).get(url(phase))
    assert response.status_code in (302, 403)
    assert not response["Content-Type"].endswith("wordprocessingml.document")


def test_another_campaigns_leader_is_refused(login, other_world, phase):
    assert login(other_world.leader).get(url(phase)).status_code == 403


def test_a_unit_of_another_organisation_is_refused(login, world, other_world, phase):
    response = login(world.leader).get(url(phase, unit=other_world.unit_a.pk))
    assert response.status_code == 400


def test_the_cockpit_links_each_phase_to_its_report(login, world, phase):
    page = login(world.leader).get("/admin/cockpit/").content.decode()
    assert f'href="{url(phase)}"' in page


def test_the_report_holds_the_cockpits_figures_for_the_phase(
    login, world, phase, demand_set
):
    task = MainTask.objects.create(campaign=world.campaign, sequence=9, name="促進發展")
    Problem.objects.create(
        campaign=world.campaign,
        unit=world.unit_a,
        source=ProblemSource.SELF_INSPECTION,
        main_task=task,
        description="台賬不全",
    )
    client = login(world.leader)
    cockpit = client.get(
        "/admin/cockpit/",
        {
            "campaign": world.campaign.pk,
            "start": phase.starts_on.isoformat(),
            "end": phase.ends_on.isoformat(),
        },
    )
    figures = cockpit.context["figures"]
    cells, text = tables(client.get(url(phase), HTTP_ACCEPT_LANGUAGE="en"))
    # in the reader's script: English pages and documents show simplified names
    assert "summary of the phase “查摆整改”" in text
    start = formats.date_format(phase.starts_on, "DATE_FORMAT")
    end = formats.date_format(phase.ends_on, "DATE_FORMAT")
    assert f"{start} to {end}" in text
    assert ["Received in the period", str(figures.demands.received)] in cells
    assert figures.demands.received == 4
    assert ["Open now", str(figures.open_count)] in cells
    assert ["Overdue now", str(figures.overdue_count)] in cells
    assert figures.overdue_count == 2
    # the main tasks' progress: the task with no demand still shows its problem
    assert ["促进发展", "0", "—", "1", "0"] in cells


def test_the_unit_report_narrows_the_figures(login, world, phase, demand_set):
    cells, _text = tables(
        login(world.director).get(
            url(phase, unit=world.unit_b.pk), HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert ["Overdue now", "1"] in cells


def test_an_article_dated_inside_the_phase_counts_though_published_after_it(
    login, world, time_machine
):
    """The phase-2 report counted 0 adopted articles: the one dated 20 November,
    inside the phase, went live on 2 December, after the phase."""
    from publicity.models import ArticlePage
    from publicity.tests.conftest import build_column, publish_plain

    time_machine.move_to(datetime.datetime(2026, 12, 9, 2, 0, tzinfo=datetime.UTC))
    phase = Phase.objects.create(
        campaign=world.campaign,
        sequence=2,
        name="整改落實",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    page = publish_plain(
        build_column(world),
        "甲處為民辦實事",
        on=datetime.date(2026, 11, 20),
        submitted_by=world.liaison_a,
        source_unit=world.unit_a,
    )
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)
    )
    _cells, text = tables(
        login(world.leader).get(url(phase), HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Published submissions\nTotal: 1" in text
