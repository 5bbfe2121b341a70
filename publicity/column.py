"""The column's article list: newest first, paged by key, filtered by category,
unit and month, and kept in the cache until an article is published or withdrawn.

The cache key holds the column's ``listing_version`` (bumped on every publish and
unpublish of one of its articles, see publicity.signals) and its own last publication,
so a publish shows at once and nothing has to be deleted.
"""

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.encoding import iri_to_uri

from publicity.forms import ColumnFilterForm
from publicity.models import (
    AdvancedModelPage,
    ArticleCategory,
    ArticlePage,
    CampaignPage,
    ModelStage,
)
from text.segment import segment

PAGE_SIZE = 20
CACHE_SECONDS = 60 * 60


def live_articles(column: CampaignPage) -> QuerySet[ArticlePage]:
    return ArticlePage.objects.live().child_of(column)


def public_models(column: CampaignPage | None = None) -> QuerySet[AdvancedModelPage]:
    """Advanced models the public sees: on public notice (公示) or awarded."""
    pages = AdvancedModelPage.objects.live().filter(
        stage__in=[ModelStage.NOTICE, ModelStage.AWARDED]
    )
    if column is not None:
        pages = pages.child_of(column)
    return pages


def column_listing(column: CampaignPage, query: QueryDict) -> dict[str, Any]:
    form = ColumnFilterForm(query)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    stamp = column.last_published_at.timestamp() if column.last_published_at else 0
    params = "&".join(f"{key}={data.get(key) or ''}" for key in sorted(form.fields))
    key = f"publicity:column:{column.pk}:{column.listing_version}:{stamp}:{params}"
    listing = cache.get(key)
    if listing is None:
        listing = _build(column, form if valid else ColumnFilterForm({}))
        cache.set(key, listing, CACHE_SECONDS)
    return {**listing, "form": form}


def _build(column: CampaignPage, form: ColumnFilterForm) -> dict[str, Any]:
    form.is_valid()
    articles = live_articles(column)
    data = form.cleaned_data
    if data.get("category"):
        articles = articles.filter(category=data["category"])
    if data.get("unit"):
        articles = articles.filter(source_unit_id=data["unit"])
    month = form.month_range()
    if month:
        articles = articles.filter(published_on__range=month)
    cursor = form.cursor()
    if cursor:
        day, pk = cursor
        articles = articles.filter(
            Q(published_on__lt=day) | Q(published_on=day, pk__lt=pk)
        )
    rows = list(
        articles.select_related("source_unit")
        .order_by("-published_on", "-pk")
        .only(
            "title",
            "url_path",
            "published_on",
            "category",
            "summary",
            "source_unit__name",
        )[: PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    base = column.url_path
    next_query = ""
    if more:
        last = rows[-1]
        params = {k: v for k, v in data.items() if v and k != "after"}
        params["after"] = f"{last.published_on.isoformat()}_{last.pk}"
        next_query = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    labels = dict(ArticleCategory.choices)
    show_models = data.get("category") in ("", None, ArticleCategory.MODELS)
    models = (
        public_models(column).order_by("stage", "-notice_starts_at", "-pk")
        if show_models and not data.get("unit") and not cursor
        else AdvancedModelPage.objects.none()
    )
    return {
        "models": [
            {
                "title": model.title,
                "url_path": iri_to_uri(model.url_path[len(base) :]),
                "stage": model.stage,
                "on_notice": model.stage == ModelStage.NOTICE,
                "notice_ends_at": model.notice_ends_at,
                "awarded_on": model.awarded_on,
                "kind": model.get_kind_display(),
            }
            for model in models
        ],
        "articles": [
            {
                "title": row.title,
                # Percent-encoded: the script middleware would convert a Chinese
                # slug in the page's HTML into a URL that does not exist.
                "url_path": iri_to_uri(row.url_path[len(base) :]),
                "published_on": row.published_on,
                "category": str(labels.get(row.category, "")),
                "category_code": row.category,
                "unit": row.source_unit.name if row.source_unit else "",
                "summary": row.summary,
            }
            for row in rows
        ],
        "next_query": next_query,
        "filtered": any(data.get(k) for k in ("category", "unit", "month", "after")),
    }


def search_articles(text: str, *, limit: int = 50) -> list[ArticlePage]:
    """Live articles holding every word of the query, in either script: the query
    is segmented the way the articles' search text was (text.segment)."""
    words = segment(text)[:10]
    if not words:
        return []
    articles = ArticlePage.objects.live()
    for word in words:
        articles = articles.filter(search_text__contains=word)
    return list(
        articles.select_related("source_unit").order_by("-published_on", "-pk")[:limit]
    )


def month_choices(today: datetime.date, months: int = 12) -> list[str]:
    first = today.replace(day=1)
    result = []
    for _ in range(months):
        result.append(first.strftime("%Y-%m"))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return result
