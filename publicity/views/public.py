"""The column's public views beside Wagtail's pages: search, the feed and the
public's objections to an advanced model on notice."""

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from core import ratelimit
from core.errors import Conflict
from publicity import actions
from publicity.column import live_articles
from publicity.forms import ObjectionForm, SearchForm
from publicity.models import (
    AdvancedModelPage,
    ArticleCategory,
    ArticlePage,
    CampaignPage,
)
from publicity.sanitise import plain_text
from publicity.site_identity import site_frame
from text import search as site_search
from text.middleware import active_script
from text.personal import mask_personal_data
from text.script import convert

OBJECTION_LIMIT = 5  # per address and hour
SEARCH_LIMIT = 30  # per address and minute: a search reads five kinds of content


def search(request: HttpRequest) -> HttpResponse:
    """The site's one search: articles, briefings, models, deeds and disclosure
    (text.search), in either script, newest first, paged."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        if not ratelimit.hit(
            "publicity-search",
            ratelimit.client_key(request),
            limit=SEARCH_LIMIT,
            window=60,
        ):
            return render(request, "publicity/search_limited.html", status=429)
        data = form.cleaned_data
        results = site_search.search(
            data["q"], kind=data["kind"], page=data["page"] or 1
        )
    kind = form.cleaned_data.get("kind", "") if form.is_bound else ""
    return render(
        request,
        "publicity/search.html",
        {
            "form": form,
            "results": results,
            "kind": kind,
            "kinds": [
                {
                    "kind": source.kind,
                    "label": source.label,
                    "count": results.counts.get(source.kind, 0) if results else 0,
                }
                for source in site_search.sources()
            ],
            "query": form.cleaned_data.get("q", "") if form.is_bound else "",
            "searched": bool(request.GET.get("q")),
        },
    )


class ColumnFeed(Feed):
    """A column's latest articles as Atom (the whole site's without a column), in
    the script of the reader's language (the feed answers the same language
    choice as the pages)."""

    feed_type = Atom1Feed

    def get_object(
        self, request: HttpRequest, column_id: int | None = None, category: str = ""
    ) -> tuple[CampaignPage | None, str]:
        self.request = request
        if column_id is None:
            return None, ""
        column = CampaignPage.objects.live().filter(pk=column_id).first()
        if column is None or (category and category not in ArticleCategory.values):
            raise Http404
        return column, category

    def title(self, obj: tuple[CampaignPage | None, str]) -> str:
        column, category = obj
        if column is None:
            return self._script(site_frame().site_name) or _("Sanfu")
        label = str(ArticleCategory(category).label) if category else ""
        return self._script(f"{column.title} {label}".strip())

    def link(self, obj: tuple[CampaignPage | None, str]) -> str:
        column = obj[0]
        return (
            self._absolute(column) if column else self.request.build_absolute_uri("/")
        )

    def subtitle(self, obj: tuple[CampaignPage | None, str]) -> str:
        column = obj[0]
        return self._script(column.campaign.theme) if column else ""

    def items(self, obj: tuple[CampaignPage | None, str]) -> Any:
        column, category = obj
        if column is None:
            articles = ArticlePage.objects.live().public()
        else:
            articles = live_articles(column)
        if category:
            articles = articles.filter(category=category)
        return articles.order_by("-published_on", "-pk")[:30]

    # a feed's copies outlive the page (readers and aggregators keep them): its
    # entries carry no personal data
    def item_title(self, item: ArticlePage) -> str:
        return self._script(mask_personal_data(item.title))

    def item_description(self, item: ArticlePage) -> str:
        text = item.summary or plain_text(item.body)[:200]
        return self._script(mask_personal_data(text))

    def item_link(self, item: ArticlePage) -> str:
        return self._absolute(item)

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        # the article's own date, not the moment its page went live (a loaded
        # archive would all carry the day it was loaded)
        midnight = datetime.datetime.combine(item.published_on, datetime.time())
        return timezone.make_aware(midnight)

    def item_updateddate(self, item: ArticlePage) -> datetime.datetime:
        # the article's date too, unless it was published again after it first went
        # live (a correction): then that later publishing is its update
        first, last = item.first_published_at, item.last_published_at
        published = self.item_pubdate(item)
        if first and last and last > first and last > published:
            return last
        return published

    def _absolute(self, page: Page) -> str:
        # On the host the reader asked on: the Site record's hostname is whatever
        # the site was set up with (``localhost`` in a fresh install).
        return self.request.build_absolute_uri(page.get_url(self.request) or "/")

    def _script(self, text: str) -> str:
        return convert(text, active_script())

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Vary"] = "Cookie, Accept-Language"
        return response


@require_POST
def object_to_model(request: HttpRequest, pk: int) -> HttpResponse:
    page = AdvancedModelPage.objects.live().filter(pk=pk).first()
    if page is None:
        raise Http404
    if not ratelimit.hit(
        "publicity-objection",
        ratelimit.client_key(request),
        limit=OBJECTION_LIMIT,
        window=3600,
    ):
        return render(request, "publicity/objection_limited.html", status=429)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "publicity/advanced_model_page.html",
            {"page": page, "self": page, "objection_form": form},
            status=400,
        )
    try:
        actions.file_objection(page, **form.cleaned_data)
    except Conflict as error:
        return render(
            request,
            "publicity/objection_done.html",
            {"page": page, "message": str(error)},
            status=409,
        )
    return render(
        request,
        "publicity/objection_done.html",
        {"page": page, "message": _("Your objection has been received.")},
    )
