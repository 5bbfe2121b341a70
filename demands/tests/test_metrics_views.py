"""The figures screen and its workbook, walked by every persona."""

import html
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from demands import actions, metrics
from demands.models import DemandKind, Rating, Urgency
from demands.tests.factories import CategoryFactory, submit_test_demand

pytestmark = pytest.mark.django_db

INDEX = reverse("demands_metrics:index")
EXPORT = reverse("demands_metrics:export")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def figures(world, django_capture_on_commit_callbacks):
    """Unit A: two demands replied in time, one satisfied and one unsatisfied
    (reopened); one dispatched to unit B and not accepted. Notices wait for a
    commit, which a test never reaches: run them here."""
    with django_capture_on_commit_callbacks(execute=True):
        return _figures(world)


def _figures(world):
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    made = []
    for _ in range(3):
        demand, _code = actions.submit_demand(
            world.campaign,
            kind=DemandKind.COMPLAINT,
            title="噪音擾民",
            content="工地夜間施工噪音擾民。",
            urgency=Urgency.URGENT,
            category=category,
        )
        made.append(demand)
    first, second, third = made
    for demand, rating in ((first, Rating.SATISFIED), (second, Rating.UNSATISFIED)):
        demand = actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
        demand = actions.accept_demand(demand, actor=world.liaison_a)
        demand = actions.reply_demand(
            demand, reply="已責令整改", solved=True, actor=world.liaison_a
        )
        actions.rate_demand(demand, rating=rating)
    actions.dispatch_demand(third, world.unit_b, actor=world.clerk)
    return category


def test_the_public_is_sent_to_the_login(client, world):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_person_without_a_role_is_sent_to_the_login(login, world):
    response = login(world.outsider).get(INDEX)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.parametrize("persona", ["editor", "head_a", "liaison_a", "staff_a"])
def test_units_and_the_publicity_group_are_refused(login, world, figures, persona):
    client = login(getattr(world, persona))
    assert client.get(INDEX).status_code == 403
    response = client.get(EXPORT)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("persona", ["leader", "director", "clerk", "superuser"])
def test_the_leaders_and_the_office_see_the_figures(login, world, figures, persona):
    response = login(getattr(world, persona)).get(INDEX, **ENGLISH)
    assert response.status_code == 200
    page = response.content.decode()
    assert world.unit_a.name in page and world.unit_b.name in page
    assert "Response rate" in page


def test_the_table_shows_a_units_rates(login, world, figures):
    response = login(world.director).get(INDEX, **ENGLISH)
    by_unit = {row["label"]: row for row in response.context["by_unit"]}
    columns = response.context["columns"]
    cells = {
        label: cell["text"]
        for label, cell in zip(
            columns, by_unit[world.unit_a.name]["cells"], strict=True
        )
    }
    assert cells["Received"] == "2"
    assert cells["Response rate"] == "100.0%"
    assert cells["Satisfaction rate"] == "100.0%"
    assert cells["Reopen rate"] == "50.0%"
    b = dict(zip(columns, by_unit[world.unit_b.name]["cells"], strict=True))
    # dispatched moments ago, inside its deadline: no figure yet (was 0.0 %)
    assert b["Response rate"]["text"] == "—"
    assert b["Satisfaction rate"]["text"] == "—"


def test_a_rate_over_a_small_sample_is_shown_flagged(login, world, figures):
    response = login(world.director).get(INDEX, **ENGLISH)
    by_unit = {row["label"]: row for row in response.context["by_unit"]}
    columns = response.context["columns"]
    a = dict(zip(columns, by_unit[world.unit_a.name]["cells"], strict=True))
    assert a["Response rate"] == {"text": "100.0%", "flag": "※ n=2"}
    assert a["Received"]["flag"] == ""
    page = response.content.decode()
    assert "※ n=2" in page
    assert "too small a sample" in page


def test_each_rate_is_defined_on_the_page(login, world, figures):
    response = login(world.director).get(INDEX, **ENGLISH)
    page = response.content.decode()
    with translation.override("en"):
        for rate in metrics.RATE_DEFINITIONS:
            assert html.escape(str(rate.definition)) in page


def test_the_wide_table_scrolls_in_a_focusable_captioned_box(login, world, figures):
    page = login(world.director).get(INDEX, **ENGLISH).content.decode()
    assert 'class="demand-metrics-scroll" tabindex="0" role="region"' in page
    assert "overflow-x: auto" in page
    for grouping in ("unit", "main_task"):
        assert f'<caption id="demand-metrics-caption-{grouping}">' in page
        assert f'aria-labelledby="demand-metrics-caption-{grouping}"' in page


def test_undispatched_demands_have_a_row_so_the_total_adds_up(
    login, world, figures, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_test_demand(world, category=None)  # neither dispatched nor sorted
    response = login(world.director).get(INDEX, **ENGLISH)
    received = response.context["columns"].index("Received")
    rows = response.context["by_unit"]
    assert rows[-1]["label"] == "Not dispatched"
    assert sum(int(row["cells"][received]["text"]) for row in rows) == 4
    assert response.context["total"][received]["text"] == "4"
    tasks = response.context["by_main_task"]
    assert tasks[-1]["label"] == "Uncategorised"
    assert sum(int(row["cells"][received]["text"]) for row in tasks) == 4
    export = login(world.director).get(EXPORT, **ENGLISH)
    workbook = load_workbook(io.BytesIO(export.content))
    rates = {str(rate.label) for rate in metrics.RATE_DEFINITIONS}
    for name in ("By unit", "By main task"):
        header, *rows_, total = workbook[name].iter_rows(values_only=True)
        assert total[0] == "Total"
        counts = [
            index
            for index, label in enumerate(header)
            if index and label not in rates and label != "Satisfaction rank"
        ]
        assert len(counts) == 12
        for index in counts:
            assert sum(line[index] for line in rows_) == total[index], header[index]


def test_a_unit_below_the_minimum_is_shown_but_not_ranked(login, world, figures):
    response = login(world.director).get(INDEX)
    ranks = {row["label"]: row["rank"] for row in response.context["by_unit"]}
    assert ranks == {world.unit_a.name: None, world.unit_b.name: None}


def test_a_unit_with_enough_ratings_is_ranked(login, world, figures, settings):
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "RANKING_MIN_RATED": 1}
    response = login(world.director).get(INDEX)
    ranks = {row["label"]: row["rank"] for row in response.context["by_unit"]}
    assert ranks == {world.unit_a.name: 1, world.unit_b.name: None}


def test_the_screen_takes_a_fixed_number_of_queries(
    login, world, figures, django_assert_max_num_queries
):
    client = login(world.director)
    # with the admin menu's items, and the count of the deadlines passed
    with django_assert_max_num_queries(25):
        assert client.get(INDEX).status_code == 200


def test_a_leader_of_another_campaign_cannot_pick_this_one(
    login, world, other_world, figures
):
    client = login(other_world.leader)
    response = client.get(INDEX, {"campaign": world.campaign.pk}, **ENGLISH)
    assert response.status_code == 200
    assert response.context["form"].errors["campaign"]
    assert world.unit_a.name not in response.content.decode()
    export = client.get(EXPORT, {"campaign": world.campaign.pk})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/html")


def test_a_period_that_ends_before_it_starts_is_an_error(login, world, figures):
    response = login(world.director).get(
        INDEX,
        {"campaign": world.campaign.pk, "start": "2025-03-02", "end": "2025-03-01"},
        **ENGLISH,
    )
    assert "The period ends before it starts." in response.content.decode()


def test_a_main_task_of_another_campaign_is_an_error(
    login, world, other_world, figures
):
    task = CategoryFactory.create(campaign=other_world.campaign).main_task
    response = login(world.superuser).get(
        INDEX, {"campaign": world.campaign.pk, "main_task": task.pk}, **ENGLISH
    )
    assert response.context["form"].errors["main_task"]


def test_the_workbook_opens_and_holds_the_figures(login, world, figures):
    response = login(world.director).get(
        EXPORT, {"campaign": world.campaign.pk}, **ENGLISH
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["By unit", "By main task", "Definitions"]
    units = workbook["By unit"]
    header = [cell.value for cell in units[1]]
    assert header[:5] == [
        "Unit",
        "Received",
        "Dispatched",
        "Accepted in time",
        "Late, not accepted yet",
    ]
    assert header[-1] == "Satisfaction rank"
    rows = {
        line[0]: dict(zip(header, line, strict=True))
        for line in units.iter_rows(min_row=2, values_only=True)
    }
    a, b, total = rows[world.unit_a.name], rows[world.unit_b.name], rows["Total"]
    assert (a["Received"], a["Replied"], a["Reopened"]) == (2, 2, 1)
    assert a["Response rate"] == 1.0 and a["Reopen rate"] == 0.5
    assert b["Response rate"] is None and b["Satisfaction rate"] is None
    assert (total["Received"], total["Dispatched"], total["Rated"]) == (3, 3, 1)
    assert units.cell(
        row=2, column=header.index("Response rate") + 1
    ).number_format == ("0.0%")
    tasks = workbook["By main task"]
    task_rows = list(tasks.iter_rows(min_row=2, values_only=True))
    assert task_rows[0][:3] == (figures.main_task.name, 3, 3)
    assert task_rows[-1][0] == "Total"
    definitions = list(workbook["Definitions"].iter_rows(values_only=True))
    assert ("Response rate", str(metrics.RESPONSE.definition)) in [
        row[:2] for row in definitions
    ]
    rate = units.cell(row=2, column=header.index("Response rate") + 1)
    assert rate.comment is not None and rate.comment.text == "※ n=2"


def test_the_workbook_speaks_chinese_by_default(login, world, figures):
    response = login(world.director).get(EXPORT)
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    with translation.override("zh-hans"):
        expected = [gettext("Unit"), gettext("Received")]
        sheet = gettext("By unit")
    assert header[:2] == expected
    assert workbook.sheetnames[0] == sheet


def test_the_menu_shows_the_figures_to_the_office_only(login, world, client):
    menu = reverse("demands_metrics:index")
    assert (
        menu in login(world.director).get(reverse("wagtailadmin_home")).content.decode()
    )
    client.logout()
    assert (
        menu
        not in login(world.editor).get(reverse("wagtailadmin_home")).content.decode()
    )


def test_a_name_that_looks_like_a_formula_stays_text(login, world, figures):
    name = '=HYPERLINK("http://example.invalid")'
    type(world.unit_a).objects.filter(pk=world.unit_a.pk).update(name=name)
    response = login(world.director).get(EXPORT, {"campaign": world.campaign.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    names = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=2)]
    cell = next(cell for cell in names if cell.value == name)
    assert cell.data_type == "s"
