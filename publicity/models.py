"""The public website as Wagtail pages.

Home → 黨群工作網 → campaign column (專欄) → articles.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Task, TaskState
from wagtail.search import index

from campaigns.models import Campaign, CampaignStatus, MainTask
from campaigns.structure import campaign_structure
from core.masking import mask_name, mask_phone, scrub_numbers
from org.actors import Viewer
from org.models import Person, Unit
from publicity.sanitise import clean_stored_html, plain_text

ARTICLE_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "image"]


class PublicPage(Page):
    """A page of the public site, kept whole in the cache for anonymous readers
    (publicity.page_cache) unless a view restriction guards it."""

    # The query parameters the page reads; a request with others is not stored.
    page_cache_query_keys: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from publicity.page_cache import allow_page_cache

        response: HttpResponse = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions().exists():
            allow_page_cache(
                response,
                query_keys=self.page_cache_query_keys,
                hit_page=self.counted_reading(),
            )
        return response

    def counted_reading(self) -> int | None:
        """The page whose readings are counted, also when served from the cache."""
        return None

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[Any]:
        # On the host the sitemap was asked on, not on the Site record's hostname
        # (``localhost`` in a fresh install).
        if request is None:
            return super().get_sitemap_urls(request)
        location = request.build_absolute_uri(self.get_url(request) or "/")
        return [{"location": location, "lastmod": self.last_published_at}]


class HomePage(PublicPage):
    intro = RichTextField(_("introduction"), blank=True, features=ARTICLE_FEATURES)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publicity.PartyWorkPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """What a campaign site's front page gives: the campaigns and their
        records, the latest news and notices, the models on public notice, the
        briefings and the demand channel (the page is cached whole, and bumped
        when any of them is published)."""
        context = super().get_context(request, *args, **kwargs)
        columns = (
            CampaignPage.objects.live()
            .descendant_of(self)
            .exclude(campaign__status=CampaignStatus.DRAFT)
            .select_related("campaign")
            .order_by("-campaign__starts_on", "-pk")
        )
        articles = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-published_on", "-pk")
        )
        context.update(
            {
                "columns": columns,
                "sections": PartyWorkPage.objects.live().child_of(self),
                "news": articles.exclude(category=ArticleCategory.NOTICES)[:8],
                "notices": articles.filter(category=ArticleCategory.NOTICES)[:5],
                "public_notices": AdvancedModelPage.objects.live()
                .descendant_of(self)
                .filter(stage=ModelStage.NOTICE)
                .order_by("notice_ends_at")[:5],
                "awarded_models": AdvancedModelPage.objects.live()
                .descendant_of(self)
                .filter(stage=ModelStage.AWARDED)
                .order_by("-awarded_on", "-pk")[:5],
                "briefings": BriefingPage.objects.live()
                .descendant_of(self)
                .order_by("-first_published_at", "-pk")[:4],
            }
        )
        return context


class PartyWorkPage(PublicPage):
    """The 黨群工作網 section of the website."""

    intro = RichTextField(_("introduction"), blank=True, features=ARTICLE_FEATURES)

    parent_page_types = ["publicity.HomePage"]
    subpage_types = ["publicity.CampaignPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("party and mass work section")


class CampaignPage(PublicPage):
    """A campaign's column (專欄): what it is, who leads it, what it reports."""

    campaign = models.OneToOneField(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="column",
    )
    intro = RichTextField(_("introduction"), blank=True, features=ARTICLE_FEATURES)
    # Bumped when an article of the column is published or unpublished: the cached
    # listing is keyed by it, so a publish shows at once (publicity.signals).
    listing_version = models.PositiveIntegerField(default=0, editable=False)

    page_cache_query_keys = ("category", "unit", "month", "after")

    parent_page_types = ["publicity.PartyWorkPage"]
    subpage_types = [
        "publicity.ArticlePage",
        "publicity.AdvancedModelPage",
        "publicity.BriefingPage",
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("campaign"),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("campaign column")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from publicity.column import column_listing

        context = super().get_context(request, *args, **kwargs)
        campaign = self.campaign
        context.update(
            {
                "phases": campaign.phases.all(),
                "main_tasks": campaign.main_tasks.all(),
                "requirements": campaign.requirements.all(),
                "body_tree": campaign_structure(campaign),
                "meetings": campaign.meetings.select_related("host")[:5],
                "listing": column_listing(self, request.GET),
            }
        )
        return context


class ArticleCategory(models.TextChoices):
    ACTIVITIES = "activities", _("Activity news")  # 活動動態
    MEASURES = "measures", _("Work measures")  # 工作舉措
    RESULTS = "results", _("Work results")  # 工作成效
    MODELS = "models", _("Advanced models")  # 先進典型
    NOTICES = "notices", _("Notices")  # 通知公告
    DISCLOSURE = "disclosure", _("Open government affairs")  # 政務公開


TITLE_MAX_LENGTH = 120


class ArticlePage(PublicPage):
    """A report in the campaign column, with where it came from."""

    category = models.CharField(
        _("category"),
        max_length=20,
        choices=ArticleCategory.choices,
        default=ArticleCategory.ACTIVITIES,
    )
    source_unit = models.ForeignKey(
        Unit,
        verbose_name=_("source unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    author = models.CharField(_("author"), max_length=100, blank=True)
    dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    source = models.CharField(_("original source"), max_length=200, blank=True)
    published_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("article text"), features=ARTICLE_FEATURES)
    main_task = models.ForeignKey(
        MainTask,
        verbose_name=_("related main task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_articles",
    )
    # Title, summary and text folded to simplified script and cut into words with
    # jieba, so that a query in either script finds the article (text.segment).
    search_text = models.TextField(blank=True, editable=False)

    parent_page_types = ["publicity.CampaignPage"]
    subpage_types: list[str] = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldPanel("source_unit"),
        FieldPanel("author"),
        FieldPanel("dateline"),
        FieldPanel("source"),
        FieldPanel("published_on"),
        FieldPanel("main_task"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("images", label=_("Images")),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.FilterField("published_on"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(
                fields=["published_on", "page_ptr"], name="article_date_key_idx"
            ),
            # the units' submissions (publicity.metrics.published_submissions): an
            # index-only scan instead of a visit to every article's wide row
            models.Index(
                fields=["page_ptr", "source_unit"],
                condition=models.Q(
                    submitted_by__isnull=False, source_unit__isnull=False
                ),
                name="article_submission_unit_idx",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Cleaning, not a business rule: whatever path writes the page, the stored
        # text is safe and the search words match it.
        from text.segment import search_text

        self.body = clean_stored_html(self.body)
        self.search_text = search_text(
            " ".join((self.title, self.summary, plain_text(self.body)))
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from publicity.readings import count_reading

        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            count_reading(self.pk)
        return response

    def counted_reading(self) -> int | None:
        return self.pk


class ArticleImage(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ArticleAttachment(Orderable):
    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]


class ArticleDayHits(models.Model):
    """Readings of an article on one day: one row per article and day, bumped with
    an UPDATE, not a row per reading."""

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="article_hits_day")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: {self.hits}"


class SubmissionMonthStat(models.Model):
    """A unit's submissions in one month of a campaign, kept by the actions."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    published = models.PositiveIntegerField(_("published"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)

    class Meta:
        verbose_name = _("submission statistics")
        verbose_name_plural = _("submission statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "month"], name="submission_stat_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class SensitiveWord(models.Model):
    """A word that must not go on the public site (涉密信息不上網); the office
    keeps the list."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="sensitive_words",
    )
    word = models.CharField(_("word"), max_length=50)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "word"], name="sensitive_word_unique"
            )
        ]

    def __str__(self) -> str:
        return self.word


class ReviewFileKind(models.TextChoices):
    IMAGE = "image", _("Image")
    ATTACHMENT = "attachment", _("Attachment")


class ReviewFileOpening(models.Model):
    """A reviewer opened one image or attachment of a submission (through the
    checked view that serves it): approval waits until every file of the article
    as it stands was opened by the approving reviewer."""

    page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="file_openings"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReviewFileKind.choices)
    # the Wagtail image's or document's id (a new upload is a new file to open)
    file_id = models.PositiveIntegerField()
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "person", "kind", "file_id"],
                name="review_file_opened_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_id}"


class FindingKind(models.TextChoices):
    ID_NUMBER = "id_number", _("ID card number")
    PHONE = "phone", _("Phone number")
    WORD = "word", _("Sensitive word")
    UNCHECKED = "unchecked", _("Attachment not checked")


class FindingDismissal(models.Model):
    """A reviewer's word that a flagged text is not confidential, with the reason."""

    page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="dismissals"
    )
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    text = models.CharField(max_length=100)
    reason = models.TextField(_("reason"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "kind", "text"], name="finding_dismissed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class ModelKind(models.TextChoices):
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")


class ModelStage(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    VOTED = "voted", _("Voted")
    NOTICE = "notice", _("Public notice")
    AWARDED = "awarded", _("Awarded")
    NOT_ELECTED = "not_elected", _("Not elected")


class BallotChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class AdvancedModelPage(PublicPage):
    """An advanced model (先進典型): a person or a unit and their deeds, reached
    through nomination, vote, public notice (公示) and award.

    The vote is the leading group's ballots (``ModelBallot``), tallied into
    ``votes_for`` and ``votes_against`` when it closes."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=ModelKind.choices, default=ModelKind.PERSON
    )
    nominee = models.CharField(_("nominee"), max_length=100)
    nominating_unit = models.ForeignKey(
        Unit,
        verbose_name=_("nominating unit"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    deeds = RichTextField(_("deeds"), features=ARTICLE_FEATURES)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=ModelStage.choices,
        default=ModelStage.NOMINATED,
    )
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    notice_starts_at = models.DateTimeField(_("notice starts"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("notice ends"), null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)

    parent_page_types = ["publicity.CampaignPage"]
    subpage_types: list[str] = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("nominee"),
        FieldPanel("nominating_unit"),
        FieldPanel("deeds"),
        FieldPanel("photo"),
    ]

    class Meta:
        verbose_name = _("advanced model")
        verbose_name_plural = _("advanced models")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.deeds = clean_stored_html(self.deeds)
        super().save(*args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from publicity.forms import ObjectionForm

        context = super().get_context(request, *args, **kwargs)
        context["objection_form"] = ObjectionForm()
        return context


class PageCacheVersion(models.Model):
    """The version of the public pages, in one row, for when the cache is each
    process's own memory and cannot carry it (publicity.page_cache)."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class ModelBallot(models.Model):
    """One voting member's ballot on a nomination (campaigns.seats.BALLOT)."""

    page = models.ForeignKey(
        AdvancedModelPage, on_delete=models.CASCADE, related_name="ballots"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="model_ballots",
    )
    choice = models.CharField(_("choice"), max_length=10, choices=BallotChoice.choices)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "voter"], name="publicity_one_ballot_per_voter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.voter_id} {self.choice}"


class Objection(models.Model):
    """An objection from the public during a model's public notice; the office
    answers it and closes it before the model may be awarded."""

    page = models.ForeignKey(
        AdvancedModelPage, on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField(_("objection"), max_length=2000)
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.page_id} {self.submitted_at:%Y-%m-%d}"

    @property
    def contacts_kept_until(self) -> datetime.datetime:
        """When the author's name and phone are due for erasure."""
        days = settings.SANFU_OBJECTION_RETENTION_DAYS
        return self.submitted_at + datetime.timedelta(days=days)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_text(self) -> str:
        return scrub_numbers(self.text)


class PublicityReviewTask(Task):
    """Review by the publicity group (宣傳組) of the article's campaign.

    Reviewers are people holding a publicity position in the campaign the page's
    column belongs to, not members of a Django group: Sanfu's roles come from
    positions (see campaigns.backends.RoleBackend).
    """

    def _is_reviewer(self, obj: Any, user: Viewer) -> bool:
        from publicity.access import is_reviewer

        return is_reviewer(user, obj)

    def user_can_access_editor(self, obj: Any, user: Viewer) -> bool:
        return self._is_reviewer(obj, user)

    def locked_for_user(self, obj: Any, user: Viewer) -> bool:
        return not self._is_reviewer(obj, user)

    def get_actions(self, obj: Any, user: Viewer) -> list[tuple[str, Any, bool]]:
        if self._is_reviewer(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
            ]
        return []

    def on_action(
        self, task_state: TaskState, user: Person, action_name: str, **kwargs: Any
    ) -> None:
        # Wagtail's own editor goes through the same actions (and their checks).
        from publicity import actions

        page = task_state.workflow_state.content_object.specific
        comment = kwargs.get("comment", "")
        if action_name == "approve":
            actions.approve_article(page, actor=user, comment=comment)
        elif action_name == "reject":
            actions.reject_article(page, actor=user, comment=comment)

    def get_task_states_user_can_moderate(self, user: Viewer, **kwargs: Any) -> Any:
        from publicity.access import review_task_states_for_user

        return review_task_states_for_user(user, self)

    @classmethod
    def get_description(cls) -> Any:
        return _("The publicity group of the article's campaign reviews it")

    class Meta:
        verbose_name = _("publicity review task")
        verbose_name_plural = _("publicity review tasks")


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


class BriefingPage(PublicPage):
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
        user: Person | None = None,
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


# A briefing's files live beside the briefings' other modules, and the site's
# identity (a setting) beside the pages: imported here so that Django finds them.
from publicity.briefings.models import BriefingFile  # noqa: E402, F401
from publicity.site_identity import SiteIdentity  # noqa: E402, F401
