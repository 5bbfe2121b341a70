"""The column's kinds in the site's one search (text.search): live public
articles, published briefings, and advanced models on public notice or awarded."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from publicity.models import AdvancedModelPage, ArticlePage, BriefingPage, ModelStage
from publicity.sanitise import plain_text
from text import search
from text.personal import mask_personal_data


def _page_hit(
    kind: str, page: Page, *, day: datetime.date | None, text: str, meta: str
) -> search.Hit:
    return search.Hit(
        kind=kind,
        title=mask_personal_data(page.title),
        url=page.url or "",
        date=day,
        text=mask_personal_data(text),
        meta=meta,
    )


def _article_text(summary: str, body: str) -> str:
    # a summary is often the article's first sentence: not twice in a snippet
    return body if summary in body else f"{summary} {body}"


def find_articles(words: list[str], limit: int) -> tuple[list[search.Hit], int]:
    # the articles keep their folded, segmented words (ArticlePage.search_text)
    rows = ArticlePage.objects.live().public()
    for word in words:
        rows = rows.filter(search_text__contains=word)
    found = (
        rows.select_related("source_unit")
        .order_by("-published_on", "-pk")
        .only(
            "title",
            "url_path",
            "published_on",
            "summary",
            "body",
            "source_unit__name",
        )[:limit]
    )
    hits = [
        _page_hit(
            "article",
            row,
            day=row.published_on,
            text=_article_text(row.summary, plain_text(row.body)),
            meta=row.source_unit.name if row.source_unit else "",
        )
        for row in found
    ]
    return hits, rows.count()


def _briefing_text(page: BriefingPage) -> str:
    return " ".join((page.title, plain_text(page.text)))


def find_briefings(words: list[str], limit: int) -> tuple[list[search.Hit], int]:
    rows = (
        BriefingPage.objects.live()
        .public()
        .filter(search.holding(["title", "text"], words))
        .order_by("-first_published_at", "-pk")
    )
    found, count = search.verified(rows, words, _briefing_text, limit)
    hits = [
        _page_hit(
            "briefing",
            page,
            day=page.issue_date,
            text=plain_text(page.text),
            meta=page.issue_label,
        )
        for page in found
    ]
    return hits, count


def _model_text(page: AdvancedModelPage) -> str:
    return " ".join((page.title, page.nominee, plain_text(page.deeds)))


def find_models(words: list[str], limit: int) -> tuple[list[search.Hit], int]:
    # the models the public sees (publicity.column.public_models)
    rows = (
        AdvancedModelPage.objects.live()
        .public()
        .filter(stage__in=[ModelStage.NOTICE, ModelStage.AWARDED])
        .filter(search.holding(["title", "nominee", "deeds"], words))
        .order_by("-notice_starts_at", "-pk")
    )
    found, count = search.verified(rows, words, _model_text, limit)
    hits = []
    for page in found:
        on_notice = page.stage == ModelStage.NOTICE
        day = page.awarded_on or (
            timezone.localdate(page.notice_starts_at) if page.notice_starts_at else None
        )
        hits.append(
            _page_hit(
                "model",
                page,
                day=day,
                text=plain_text(page.deeds),
                meta=str(_("On public notice") if on_notice else _("Awarded")),
            )
        )
    return hits, count


def register() -> None:
    search.register(search.Source("article", _("Article"), find_articles, 1))
    search.register(search.Source("briefing", _("Briefing"), find_briefings, 2))
    search.register(search.Source("model", _("Advanced model"), find_models, 3))
