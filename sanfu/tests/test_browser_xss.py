"""The XSS corpus (``text.tests.xss_payloads``) through every free-text and rich-text
field the public and the office read: demands (title, content, place, name, reply)
on the tracking page, the public list of replies and the office's screens; articles
(title, summary, body) in the column, the article page and search; the ledgers'
problems and deeds (title, target, beneficiaries, stages, progress notes) on the
disclosure page and the office's screens; an advanced model's nominee and deeds on
its public notice page and the models screen; an inspection score's comment and
the unit's answer on the unit's score sheet (the office's and the unit's) and the
unit's scores screen. Chromium loads each page; nothing may open a dialog or set
the flag the payloads set.

The objects are made through the actions (fast); the tracking page is reached
through its form, as a person would."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from demands import actions as demand_actions
from demands.models import DemandKind, Urgency
from evaluation import actions as evaluation_actions
from evaluation.models import SetStatus
from evaluation.tests.factories import (
    IndicatorFactory,
    IndicatorSetFactory,
    InspectionRoundFactory,
)
from ledgers.actions.deeds import StageInput, publish_deed, report_deed_progress
from ledgers.actions.problems import publish_problem
from ledgers.models import DeedClass
from ledgers.tests.conftest import DAY, make_deed, make_measure, make_problem
from org.tests.factories import PASSWORD
from publicity import actions as publicity_actions
from publicity.tests.conftest import build_column, draft
from sanfu.tests.browser import sign_in
from text.tests.xss_payloads import PAYLOADS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CORPUS = "\n".join(PAYLOADS)
# A field of a few dozen characters gets the classics that fit.
SHORT = '"><img src=x onerror=window.__xss=1><script>window.__xss=1</script>'
FLAG = "window.__xss === undefined && window.__dialogs === 0"


@pytest.fixture
def pages(world: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    demand, code = demand_actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        urgency=Urgency.NORMAL,
        title=SHORT,
        content=CORPUS,
        location=SHORT,
        submitter_name="<b onmouseover=window.__xss=1>張</b>",
        submitter_phone="13812345678",
        allow_publish=True,
    )
    demand_actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand_actions.accept_demand(demand, actor=world.liaison_a)
    demand_actions.reply_demand(
        demand, reply=CORPUS, solved=True, actor=world.liaison_a
    )

    column = build_column(world)
    article = publicity_actions.save_draft(
        column,
        draft(title=SHORT, summary=CORPUS[:500], body=CORPUS),
        unit=world.unit_a,
        actor=world.liaison_a,
    )
    publicity_actions.submit_article(article, actor=world.liaison_a)
    publicity_actions.approve_article(article, actor=world.editor)
    article.refresh_from_db()
    # one left as a draft, one waiting in the review queue: the office's screens
    draft_page = publicity_actions.save_draft(
        column,
        draft(title=SHORT, summary=CORPUS[:500], body=CORPUS),
        unit=world.unit_a,
        actor=world.liaison_a,
    )
    queued = publicity_actions.save_draft(
        column,
        draft(title=SHORT + "2", summary=CORPUS[:500], body=CORPUS),
        unit=world.unit_a,
        actor=world.liaison_a,
    )
    publicity_actions.submit_article(queued, actor=world.liaison_a)

    problem = make_problem(world, description=CORPUS)
    make_measure(world, problem)
    publish_problem(problem, published=True, actor=world.clerk)
    deed = make_deed(
        world,
        title=SHORT[:100],
        target=CORPUS,
        beneficiaries=SHORT,
        deed_class=DeedClass.STAGED,
        stages=[StageInput(name=SHORT, due_on=DAY)],
    )
    report_deed_progress(deed, percent=40, on=DAY, note=CORPUS, actor=world.liaison_a)
    publish_deed(deed, published=True, actor=world.clerk)

    # an advanced model on public notice
    model = publicity_actions.nominate_model(
        column,
        unit=world.unit_a,
        kind="person",
        nominee=SHORT,
        deeds=CORPUS,
        actor=world.liaison_a,
    )
    publicity_actions.cast_ballot(model, choice="for", actor=world.leader)
    model = publicity_actions.start_public_notice(model, days=7, actor=world.director)

    # an inspection score with its comment, published, and the unit's answer
    indicator_set = IndicatorSetFactory.create(
        campaign=world.campaign, status=SetStatus.IN_FORCE
    )
    indicator = IndicatorFactory.create(
        indicator_set=indicator_set, weight=Decimal("100"), max_score=Decimal("10")
    )
    inspection_round = InspectionRoundFactory.create(
        indicator_set=indicator_set,
        starts_on=datetime.date(2007, 6, 1),
        ends_on=datetime.date(2007, 6, 30),
    )
    inspection_round.inspectors.add(world.clerk)
    inspection_round.units.add(world.unit_a)
    score = evaluation_actions.score_unit(
        inspection_round,
        world.unit_a,
        indicator,
        score=Decimal("8"),
        comment=CORPUS,
        actor=world.clerk,
    )
    evaluation_actions.publish_round(inspection_round, actor=world.director)
    evaluation_actions.answer_score(score, answer=CORPUS, actor=world.liaison_a)
    sheet = reverse("evaluation_admin:sheet", args=[indicator_set.pk, world.unit_a.pk])
    my_scores = reverse("evaluation_admin:my_scores")
    return {
        # pages that must show the payloads' text (the fields are on them)
        "shown": {model.get_url(), sheet, my_scores},
        "tracking_no": demand.tracking_no,
        "code": code,
        "public": [
            reverse("demands:replied"),
            column.get_url(),
            article.get_url(),
            reverse("publicity:search") + "?q=" + "%3Cscript%3Ewindow.__xss%3D1",
            reverse("ledgers:disclosure", args=[world.campaign.slug]),
            reverse("ledgers:deeds", args=[world.campaign.slug]),
            model.get_url(),
        ],
        "office": [
            (world.director, reverse("demands_office:index")),
            (world.director, reverse("demands_office:detail", args=[demand.pk])),
            (world.director, reverse("ledgers_admin:problems")),
            (world.director, reverse("ledgers_admin:problem", args=[problem.pk])),
            (world.director, reverse("ledgers_admin:deeds")),
            (world.director, reverse("ledgers_admin:deed", args=[deed.pk])),
            (world.liaison_a, reverse("publicity_admin:submissions")),
            (
                world.liaison_a,
                reverse("publicity_admin:submission", args=[draft_page.pk]),
            ),
            (world.editor, reverse("publicity_admin:review_queue")),
            (world.editor, reverse("publicity_admin:review", args=[queued.pk])),
            (world.director, reverse("publicity_admin:models")),
            (world.director, sheet),
            (world.liaison_a, reverse("publicity_admin:models")),
            (world.liaison_a, sheet),
            (world.liaison_a, my_scores),
        ],
    }


def _watch(page: Any) -> list[str]:
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.add_init_script(
        "window.__dialogs = 0; window.alert = () => window.__dialogs++;"
    )
    return dialogs


def _assert_nothing_ran(
    page: Any, url: str, dialogs: list[str], shown: bool = False
) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    # hovering and focusing would fire the handlers an attribute kept
    page.mouse.move(5, 5)
    page.mouse.move(400, 300)
    assert page.evaluate(FLAG), url
    assert dialogs == [], url
    if shown:  # the payloads were there, as text
        assert "window.__xss=1" in page.inner_text("body"), url


def test_no_payload_runs_on_any_page(world, pages, browser_page):
    page = browser_page
    dialogs = _watch(page)
    # the detector detects: a payload left unescaped sets the flag
    page.set_content('<img src=x onerror="window.__xss=1">')
    page.wait_for_function("window.__xss === 1")
    # the submitter's walk: the tracking form, then the status page
    page.goto(reverse("demands:track"))
    page.fill("input[name=tracking_no]", pages["tracking_no"])
    page.fill("input[name=query_code]", pages["code"])
    page.click("form.demand-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/track/status/" in page.url
    assert page.evaluate(FLAG)
    assert dialogs == []
    # the text is shown, as text
    assert "onerror=window.__xss=1" in page.content()

    for url in pages["public"]:
        _assert_nothing_ran(page, url, dialogs, url in pages["shown"])

    logged_in = None
    for person, url in pages["office"]:
        if person != logged_in:
            sign_in(page, person.username, PASSWORD)
            logged_in = person
        _assert_nothing_ran(page, url, dialogs, url in pages["shown"])
