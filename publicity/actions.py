"""State changes of the public website: one function each, audited."""

from typing import Any

from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from audit.actions import record
from campaigns.models import Campaign
from publicity.models import ArticlePage, CampaignPage, HomePage, PartyWorkPage
from text.articles import ArticleImportError, ParsedArticle


def paragraphs_to_html(text: str) -> str:
    return "".join(
        f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )


@transaction.atomic
def set_up_site(*, site_name: str, home_title: str, actor: Any) -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    welcome = root.get_children().exclude(
        content_type__model="homepage", content_type__app_label="publicity"
    )
    site = Site.objects.filter(is_default_site=True).first()
    for page in welcome.filter(slug="home"):
        if site is not None and site.root_page_id == page.pk:
            site.root_page = root
            site.save(update_fields=["root_page"])
        page.delete()
    home = root.add_child(instance=HomePage(title=home_title, slug="home"))
    home.save_revision(user=actor, log_action=True).publish(user=actor)
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = site_name
    site.save()
    return home


@transaction.atomic
def create_column(
    parent: PartyWorkPage, campaign: Campaign, *, title: str, slug: str, actor: Any
) -> CampaignPage:
    page = parent.add_child(
        instance=CampaignPage(title=title, slug=slug, campaign=campaign)
    )
    page.save_revision(user=actor, log_action=True).publish(user=actor)
    return page


@transaction.atomic
def create_section(
    home: HomePage, *, title: str, slug: str, actor: Any
) -> PartyWorkPage:
    page = home.add_child(instance=PartyWorkPage(title=title, slug=slug))
    page.save_revision(user=actor, log_action=True).publish(user=actor)
    return page


@transaction.atomic
def import_article(
    parsed: ParsedArticle, column: CampaignPage, *, actor: Any
) -> ArticlePage:
    """Publish a cleaned article in a campaign column; a second import is refused."""
    duplicate = (
        ArticlePage.objects.child_of(column)
        .filter(title=parsed.title, published_on=parsed.published_on)
        .exists()
    )
    if duplicate:
        raise ArticleImportError(
            _("This article (%(title)s, %(date)s) has already been imported.")
            % {"title": parsed.title, "date": parsed.published_on.isoformat()}
        )
    page = column.add_child(
        instance=ArticlePage(
            title=parsed.title,
            dateline=parsed.dateline,
            source=parsed.source,
            published_on=parsed.published_on,
            body=paragraphs_to_html(parsed.body),
        )
    )
    page.save_revision(user=actor, log_action=True).publish(user=actor)
    record(
        page,
        "sanfu.article.import",
        actor=actor,
        data={"source": parsed.source, "date": parsed.published_on.isoformat()},
    )
    return page
