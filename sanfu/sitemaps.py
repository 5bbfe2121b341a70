"""The sitemap: Wagtail's pages and the public pages of the apps beside them."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from campaigns.models import Campaign

Item = tuple[str, dict[str, str]]  # a URL name and its arguments

# (not the tracking page: robots.txt keeps crawlers out of it)
SITE_PAGES = (
    "demands:choose_campaign",
    "demands:replied",
    "demands:figures",
)
# The records every published campaign keeps public: URL name, slug argument.
CAMPAIGN_RECORDS = (
    ("ledgers:deeds", "campaign"),
    ("ledgers:disclosure", "campaign"),
    ("publicity:briefing_list", "campaign_slug"),
)


class PublicUrlSitemap(Sitemap):
    """The demand channel, and each campaign's deeds, disclosure and briefings
    (and its demand form while it takes demands). The locations are paths: the
    sitemap view adds the host the request came on."""

    def items(self) -> list[Item]:
        items: list[Item] = [(name, {}) for name in SITE_PAGES]
        for campaign in Campaign.objects.live().order_by("pk"):
            items += [
                (name, {argument: campaign.slug}) for name, argument in CAMPAIGN_RECORDS
            ]
        items += [
            ("demands:submit", {"campaign_slug": slug})
            for slug in Campaign.objects.accepting()
            .order_by("pk")
            .values_list("slug", flat=True)
        ]
        return items

    def location(self, item: Item) -> str:
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


SITEMAPS = {"pages": PageSitemap, "public": PublicUrlSitemap}
