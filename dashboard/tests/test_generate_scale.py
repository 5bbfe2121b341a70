"""The benchmark generators at a small size: row counts, the states a year leaves
behind, the same rows for the same seed, and generated articles that the column
shows and the page tree accepts."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import F
from wagtail.models import Page

from demands.models import Demand
from ledgers.models import (
    DeedStatus,
    PracticalDeed,
    Problem,
    ProblemStatus,
    RectificationMeasure,
    ResearchVisit,
)
from publicity.column import search_articles
from publicity.models import ArticlePage, CampaignPage

pytestmark = pytest.mark.django_db

UNTIL = "2025-06-30"


def generate(slug: str, *, ledger_rows: int = 200, articles: int = 12) -> None:
    call_command(
        "generate_scale",
        f"--campaign={slug}",
        "--units=4",
        "--demands=30",
        f"--ledger-rows={ledger_rows}",
        f"--articles={articles}",
        f"--until={UNTIL}",
        verbosity=0,
    )


def ledger_rows(slug: str) -> list[tuple]:
    problems = Problem.objects.filter(campaign__slug=slug).order_by("pk")
    return [
        *problems.values_list("unit__name", "status", "description", "created_at"),
        *RectificationMeasure.objects.filter(problem__campaign__slug=slug)
        .order_by("pk")
        .values_list("deadline", "completed_on", "progress"),
        *PracticalDeed.objects.filter(campaign__slug=slug)
        .order_by("pk")
        .values_list("unit__name", "status", "deadline", "done_on"),
        *ResearchVisit.objects.filter(campaign__slug=slug)
        .order_by("pk")
        .values_list("unit__name", "visited_on", "topic"),
    ]


def test_it_generates_the_counts_asked_for():
    generate("scale")
    assert Demand.objects.filter(campaign__slug="scale").count() == 30
    # 15 % visits, 30 % problems, as many measures, the rest deeds
    assert ResearchVisit.objects.filter(campaign__slug="scale").count() == 30
    assert Problem.objects.filter(campaign__slug="scale").count() == 60
    assert (
        RectificationMeasure.objects.filter(problem__campaign__slug="scale").count()
        == 60
    )
    assert PracticalDeed.objects.filter(campaign__slug="scale").count() == 50
    column = CampaignPage.objects.get(campaign__slug="scale")
    assert ArticlePage.objects.child_of(column).live().count() == 12


def test_the_ledgers_hold_the_states_a_year_leaves():
    generate("scale", articles=0)
    until = datetime.date.fromisoformat(UNTIL)
    problems = Problem.objects.filter(campaign__slug="scale")
    assert {ProblemStatus.CLOSED, ProblemStatus.OPEN} <= set(
        problems.values_list("status", flat=True)
    )
    assert all(p.closed_at is not None for p in problems.filter(status="closed"))
    measures = RectificationMeasure.objects.filter(problem__campaign__slug="scale")
    overdue = measures.filter(completed_on__isnull=True, deadline__lt=until)
    late = measures.filter(completed_on__gt=F("deadline"))
    assert overdue.exists() and late.exists()
    assert not measures.filter(completed_on__gt=until).exists()
    deeds = PracticalDeed.objects.filter(campaign__slug="scale")
    assert {DeedStatus.VERIFIED, DeedStatus.IN_PROGRESS} <= set(
        deeds.values_list("status", flat=True)
    )
    assert deeds.filter(status=DeedStatus.IN_PROGRESS, deadline__lt=until).exists()


def test_the_same_seed_gives_the_same_rows():
    generate("first", articles=0)
    generate("second", articles=0)  # the same units: one generated organisation
    assert ledger_rows("first") == ledger_rows("second")
    call_command(
        "generate_ledgers", "--campaign=first", "--rows=40", "--seed=1", verbosity=0
    )
    assert ledger_rows("first") != ledger_rows("second")


def test_generated_articles_show_in_the_column_and_keep_the_tree_sound(client):
    generate("scale", ledger_rows=0, articles=0)  # an empty column
    # batches of two: each appends after the one before, in one run and the next
    for count in (5, 3):
        call_command(
            "generate_articles",
            "--campaign=scale",
            f"--articles={count}",
            "--batch=2",
            verbosity=0,
        )
    column = CampaignPage.objects.get(campaign__slug="scale")
    articles = ArticlePage.objects.child_of(column).live()
    assert articles.count() == 8
    # treebeard finds no bad paths, depths or child counts
    assert all(not problems for problems in Page.find_problems())
    column.refresh_from_db()
    assert column.numchild == 8
    newest = articles.order_by("-first_published_at", "-pk").first()
    assert newest is not None
    page = client.get(column.url).content.decode()
    assert all(article.url in page for article in articles)
    assert client.get(newest.url).status_code == 200
    # the column's search reads the generated search text
    assert newest in search_articles(newest.title.split("（")[0])
