"""Many published articles in a campaign's column, for benchmarks (never for
production).

``generate_articles --campaign bench --articles 100000`` makes the campaign's column
when it is missing (site, 黨群工作網, column, through ``publicity.actions``), then
adds ``--articles`` live ArticlePages under it, dated over the year before
``--until``, from the campaign's units (60 % of them as units' submissions, which
the evaluation counts). The same ``--seed`` gives the same rows.

Wagtail pages are a treebeard materialised-path tree, and Django cannot
``bulk_create`` a model with multi-table inheritance; ``add_child`` would cost a
page save, a tree lock and a search-index update per article (hours for 100,000).
So the command computes the paths itself (the column's path plus one four-character
base-36 step per child, after the column's last child), ``bulk_create``s the
``wagtailcore_page`` rows, inserts the ``ArticlePage`` rows that extend them in one
``executemany`` per batch, and raises the column's ``numchild`` once. The article's
``search_text`` (what the column's search reads) is computed as ``ArticlePage.save``
does, once per story (the article's number appended). Wagtail's own search index is
not updated: the column's search does not read it; ``manage.py update_index`` fills
it if wanted. The pages have no revisions; editing one makes its first.
"""

import datetime
import random
import time
import uuid
import zoneinfo
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import F
from wagtail.models import Page

from campaigns import generated
from campaigns.models import Campaign
from org.models import Person, Unit
from publicity import actions
from publicity.models import (
    ArticleCategory,
    ArticlePage,
    CampaignPage,
    HomePage,
    PartyWorkPage,
)
from publicity.sanitise import plain_text
from text.segment import search_text

DAY = datetime.timedelta(days=1)
STORIES = (
    ("深入基層開展專題調研", "圍繞群眾反映的熱點難點問題，深入一線聽取意見。"),
    ("為群眾辦實事見成效", "疏通排灌渠道，解決群眾生產生活中的實際困難。"),
    ("召開推進會部署下一階段工作", "總結前段工作，明確下一階段的任務和責任。"),
    ("整改問題逐項銷號", "對照問題清單逐項整改，經審核後銷號。"),
    ("先進典型事跡報告會", "宣傳身邊的先進典型，發揮示範帶動作用。"),
    ("政務公開目錄更新", "更新公開目錄，方便群眾查詢辦事指南。"),
)
CATEGORIES = list(ArticleCategory)


class Command(BaseCommand):
    help = "Generate many published articles in a campaign's column, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        generated.add_arguments(parser, count="articles", default=1_000, batch=5_000)

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = generated.generated_campaign(options, "articles")
        started = time.monotonic()
        editor, _ = Person.objects.get_or_create(
            username=f"generated-editor-{campaign.slug}",
            defaults={"first_name": "宣傳組"},
        )
        column = self.column(campaign)
        writer = Writer(
            column,
            [
                *Unit.objects.filter(organisation=campaign.organisation_id).values_list(
                    "pk", flat=True
                )
            ],
            [*campaign.main_tasks.values_list("pk", flat=True)],
            submitter=editor.pk,
            until=options["until"] or campaign.ends_on,
            rng=random.Random(options["seed"]),
        )
        total, batch = options["articles"], options["batch"]
        for offset in range(0, total, batch):
            writer.insert(min(batch, total - offset))
        CampaignPage.objects.filter(pk=column.pk).update(
            listing_version=F("listing_version") + 1
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE wagtailcore_page")
                cursor.execute(f"ANALYZE {ArticlePage._meta.db_table}")
        self.stdout.write(
            f"{total} articles in the column of {campaign.slug} "
            f"in {time.monotonic() - started:.1f} s"
        )

    def column(self, campaign: Campaign) -> CampaignPage:
        """The campaign's column, made when missing (by nobody: the command acts as
        the system, as a migration does, so no permission is asked)."""
        column = CampaignPage.objects.filter(campaign=campaign).first()
        if column is not None:
            return column
        home = HomePage.objects.first() or actions.set_up_site(
            site_name="三服務一促進", home_title="首頁", actor=None
        )
        section = PartyWorkPage.objects.child_of(home).first() or (
            actions.create_section(home, title="黨群工作網", slug="dangqun", actor=None)
        )
        return actions.create_column(
            section,
            campaign,
            title=f"{campaign.name}專欄",
            slug=campaign.slug,
            actor=None,
        )


@cache
def _search_text(title: str, summary: str, body: str) -> str:
    return search_text(" ".join((title, summary, plain_text(body))))


class Writer:
    """Batches of articles appended after the column's last child."""

    def __init__(
        self,
        column: CampaignPage,
        units: list[int | None],
        tasks: list[int | None],
        *,
        submitter: int,
        until: datetime.date,
        rng: random.Random,
    ) -> None:
        self.column = column
        self.units = units or [None]
        self.tasks = tasks or [None]
        self.submitter = submitter
        self.until = until
        self.rng = rng
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.content_type = ContentType.objects.get_for_model(ArticlePage)
        self.fields = [
            field
            for field in ArticlePage._meta.local_concrete_fields
            if field.attname != "page_ptr_id"
        ]

    @staticmethod
    def _next_position(column: Page) -> int:
        last = column.get_last_child()
        if last is None:
            return 1
        return int(last.path[-Page.steplen :], 36) + 1

    @transaction.atomic
    def insert(self, count: int) -> None:
        # the column's row is locked: nobody adds a child between the last
        # position read here and the numchild raised below
        column = Page.objects.select_for_update().get(pk=self.column.pk)
        first = self._next_position(column)
        depth = column.depth + 1
        pages, extras = [], []
        for position in range(first, first + count):
            page, extra = self.article(column, position, depth)
            pages.append(page)
            extras.append(extra)
        made = Page.objects.bulk_create(pages, batch_size=count)
        columns = ", ".join(
            connection.ops.quote_name(field.column) for field in self.fields
        )
        table = connection.ops.quote_name(ArticlePage._meta.db_table)
        marks = ", ".join(["%s"] * (len(self.fields) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (page_ptr_id, {columns}) VALUES ({marks})",
                [
                    [page.pk]
                    + [
                        field.get_db_prep_save(extra[field.attname], connection)
                        for field in self.fields
                    ]
                    for page, extra in zip(made, extras, strict=True)
                ],
            )
        Page.objects.filter(pk=column.pk).update(numchild=F("numchild") + count)

    def article(
        self, column: Page, position: int, depth: int
    ) -> tuple[Page, dict[str, Any]]:
        rng = self.rng
        story, summary = STORIES[rng.randrange(len(STORIES))]
        unit = self.units[rng.randrange(len(self.units))]
        title = f"{story}（{position}）"
        body = f"<p>{summary}</p>"
        day = self.until - rng.randrange(365) * DAY
        moment = datetime.datetime.combine(
            day, datetime.time(9 + rng.randrange(9), rng.randrange(60)), self.zone
        )
        slug = f"g{position}"
        page = Page(
            path=column.path + Page._int2str(position).rjust(Page.steplen, "0"),
            depth=depth,
            numchild=0,
            # one per page, the same on every run: from the column and the position
            translation_key=uuid.uuid5(uuid.NAMESPACE_URL, f"{column.pk}/{position}"),
            locale_id=column.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=moment,
            last_published_at=moment,
            title=title,
            draft_title=title,
            slug=slug,
            content_type=self.content_type,
            url_path=f"{column.url_path}{slug}/",
        )
        submitted = rng.random() < 0.6
        extra = {
            "category": CATEGORIES[rng.randrange(len(CATEGORIES))].value,
            "source_unit_id": unit,
            "author": "通訊員",
            "dateline": "",
            "source": "",
            "published_on": day,
            "summary": summary,
            "body": body,
            "main_task_id": self.tasks[rng.randrange(len(self.tasks))],
            "submitted_by_id": self.submitter if submitted and unit else None,
            "search_text": f"{_search_text(story, summary, body)} {position}",
        }
        return page, extra
