"""The public website as Wagtail pages.

Home → 黨群工作網 → campaign column (專欄) → articles.
"""

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from campaigns.models import Campaign
from campaigns.structure import campaign_structure

ARTICLE_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "image"]


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=ARTICLE_FEATURES)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publicity.PartyWorkPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        context = super().get_context(request, *args, **kwargs)
        context["columns"] = (
            CampaignPage.objects.live()
            .descendant_of(self)
            .select_related("campaign")
            .order_by("-campaign__starts_on")
        )
        return context


class PartyWorkPage(Page):
    """The 黨群工作網 section of the website."""

    intro = RichTextField(_("introduction"), blank=True, features=ARTICLE_FEATURES)

    parent_page_types = ["publicity.HomePage"]
    subpage_types = ["publicity.CampaignPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("party and mass work section")


class CampaignPage(Page):
    """A campaign's column (專欄): what it is, who leads it, what it reports."""

    campaign = models.OneToOneField(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="column",
    )
    intro = RichTextField(_("introduction"), blank=True, features=ARTICLE_FEATURES)

    parent_page_types = ["publicity.PartyWorkPage"]
    subpage_types = ["publicity.ArticlePage", "publicity.BriefingPage"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("campaign"),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("campaign column")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        context = super().get_context(request, *args, **kwargs)
        campaign = self.campaign
        context.update(
            {
                "phases": campaign.phases.all(),
                "main_tasks": campaign.main_tasks.all(),
                "requirements": campaign.requirements.all(),
                "body_tree": campaign_structure(campaign),
                "meetings": campaign.meetings.select_related("host")[:5],
                "articles": ArticlePage.objects.live()
                .child_of(self)
                .order_by("-published_on", "-pk")[:10],
            }
        )
        return context


class ArticlePage(Page):
    """A report in the campaign column, with where it came from."""

    dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    published_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("article text"), features=ARTICLE_FEATURES)

    parent_page_types = ["publicity.CampaignPage"]
    subpage_types: list[str] = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("dateline"),
        FieldPanel("source"),
        FieldPanel("published_on"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("published_on"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")


# Briefings (簡報) and wall boards (版報) live in their own module.
from publicity.briefings.models import (  # noqa: E402, F401
    BriefingArticle,
    BriefingCounter,
    BriefingPage,
)
