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


# --- Briefings (簡報) and wall boards (版報) ---
# Briefings (簡報): numbered issues compiled from a campaign's published articles.
#
# The number (第N期) is the campaign's next one, given when a briefing first goes live,
# inside the publishing transaction, from a counter row held under a lock; a draft has
# none, and a briefing keeps its number when it is published again.

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from modelcluster.fields import ParentalKey  # noqa: E402
from wagtail.admin.forms import WagtailAdminPageForm  # noqa: E402
from wagtail.admin.panels import InlinePanel, PageChooserPanel  # noqa: E402
from wagtail.models import Orderable  # noqa: E402

BRIEFING_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class BriefingPageForm(WagtailAdminPageForm):
    """The page editor's form: only the campaign's live articles may be chosen."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        parent = getattr(self, "parent_page", None)
        column = parent.specific if parent is not None else None
        campaign_id = getattr(column, "campaign_id", None)
        if campaign_id is not None and self.instance.campaign_id is None:
            self.instance.campaign_id = campaign_id
        formset = self.formsets.get("briefing_articles")
        if formset is None or column is None:
            return cleaned
        allowed = set(
            column_articles(column).values_list("pk", flat=True)  # type: ignore[arg-type]
        )
        for form in formset.forms:
            article = form.cleaned_data.get("article") if form.is_valid() else None
            if article is not None and article.pk not in allowed:
                form.add_error(
                    "article",
                    _("Choose a published article of this campaign's column."),
                )
        return cleaned


def column_articles(column: Page) -> Any:
    """The live articles of a campaign column, newest first: what a briefing may use."""
    from publicity.models import ArticlePage

    return ArticlePage.objects.live().child_of(column).order_by("-published_on", "-pk")


class BriefingPage(Page):
    """One issue of a campaign's briefing (簡報)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        # No reverse manager: django-stubs cannot type one onto a Page subclass.
        related_name="+",
        null=True,
        editable=False,
    )
    issue_number = models.PositiveIntegerField(
        _("issue number"), null=True, editable=False
    )
    text = RichTextField(_("editor's text"), blank=True, features=BRIEFING_FEATURES)

    parent_page_types = ["publicity.CampaignPage"]
    subpage_types: list[str] = []
    base_form_class = BriefingPageForm
    # A copy is a new briefing: it gets its own number when it goes live.
    exclude_fields_in_copy = ["issue_number"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("text"),
        InlinePanel("briefing_articles", label=_("Articles"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("text")]

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        permissions = [("compile_briefing", "Can compile and publish briefings")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "issue_number"],
                name="briefing_issue_unique_per_campaign",
            ),
            models.CheckConstraint(
                condition=models.Q(issue_number__isnull=True)
                | models.Q(issue_number__gte=1),
                name="briefing_issue_positive",
            ),
        ]

    @property
    def issue_label(self) -> str:
        if self.issue_number is None:
            return str(_("Draft (no number yet)"))
        return str(_("Issue %(number)s") % {"number": self.issue_number})

    @property
    def issue_date(self) -> Any:
        moment = self.first_published_at or timezone.now()
        return timezone.localdate(moment)

    def with_content_json(self, content: dict[str, Any]) -> "BriefingPage":
        # The number and the campaign belong to the briefing, not to a revision: a
        # revision saved before the first publish must not wipe them out.
        obj = super().with_content_json(content)
        obj.issue_number = self.issue_number
        obj.campaign_id = self.campaign_id
        return obj

    def publish(  # type: ignore[override]
        self,
        revision: Any,
        user: Any = None,
        changed: bool = True,
        log_action: bool = True,
        previous_revision: Any = None,
        skip_permission_checks: bool = False,
    ) -> Any:
        """Every way to publish (editor, our screens, scheduled) numbers the issue.

        The page row is locked first and its number re-read, so that a second
        publisher who waited sees the number the first gave and does not write the
        stale, empty one back."""
        from publicity.briefings.numbering import assign_issue_number

        with transaction.atomic():
            fresh = (
                BriefingPage.objects.select_for_update()
                .filter(pk=self.pk)
                .values("issue_number", "campaign_id")
                .get()
            )
            self.issue_number = fresh["issue_number"]
            self.campaign_id = fresh["campaign_id"]
            result = super().publish(
                revision,
                user=user,
                changed=changed,
                log_action=log_action,
                previous_revision=previous_revision,
                skip_permission_checks=skip_permission_checks,
            )
            assign_issue_number(self, actor=user)
        return result

    def chosen_articles(self) -> list[Any]:
        """The briefing's articles in its order, only those still live.

        Works on a revision's copy as well as on the stored page."""
        items = sorted(
            self.briefing_articles.all(),  # type: ignore[attr-defined]
            key=lambda item: item.sort_order or 0,
        )
        live = ArticlePage.objects.live().in_bulk([item.article_id for item in items])
        return [live[item.article_id] for item in items if item.article_id in live]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        context = super().get_context(request, *args, **kwargs)
        context["briefing_articles"] = self.chosen_articles()
        return context


class BriefingArticle(Orderable):
    page = ParentalKey(
        BriefingPage, on_delete=models.CASCADE, related_name="briefing_articles"
    )
    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("article", "publicity.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("briefing article")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "article"], name="briefing_article_once"
            )
        ]


class BriefingCounter(models.Model):
    """The last issue number a campaign's briefings have used; locked to take one."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="briefing_counter",
    )
    last_issue = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("briefing counter")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.last_issue}"
