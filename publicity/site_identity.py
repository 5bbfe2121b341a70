"""The site's identity and frame: one name, one header and navigation, one footer.

A Chinese government website names who runs it (主办单位), how to reach them, and
its registration numbers (ICP 备案号, 公安机关备案号, 网站标识码) at the foot of
every page. They are settings an administrator edits (Settings → Site identity),
not template text. The frame (the identity, and the campaign the navigation leads to)
is read once and cached: every public page shows it, and a list page must not pay a
query for it. What the public pages show changing forgets it
(``publicity.page_cache.bump_version``).
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

FRAME_KEY = "publicity:site-frame"
FRAME_TIMEOUT = 10 * 60


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    site_name = models.CharField(
        _("site name"),
        max_length=100,
        blank=True,
        help_text=_("Shown in every page's header and title. Empty: the site's name."),
    )
    sponsor = models.CharField(_("sponsor (主办单位)"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser (承办单位)"), max_length=200, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    telephone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    icp_number = models.CharField(
        _("ICP registration number"),
        max_length=60,
        blank=True,
        help_text=_("As filed with the MIIT, e.g. 粤ICP备05000001号."),
    )
    public_security_number = models.CharField(
        _("public security registration number"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 粤公网安备 44010602000001号"),
    )
    site_code = models.CharField(
        _("website identification code"),
        max_length=20,
        blank=True,
        help_text=_("网站标识码, given by the government website census."),
    )

    panels = [
        FieldPanel("site_name"),
        MultiFieldPanel(
            [
                FieldPanel("sponsor"),
                FieldPanel("organiser"),
                FieldPanel("postal_address"),
                FieldPanel("postcode"),
                FieldPanel("telephone"),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("icp_number"),
                FieldPanel("public_security_number"),
                FieldPanel("site_code"),
            ],
            heading=_("Registration"),
        ),
    ]

    class Meta:
        verbose_name = _("site identity")

    def __str__(self) -> str:
        return self.site_name or str(self._meta.verbose_name)


@dataclass(frozen=True)
class Frame:
    """What every public page shows around its content."""

    site_name: str = ""
    sponsor: str = ""
    organiser: str = ""
    postal_address: str = ""
    postcode: str = ""
    telephone: str = ""
    email: str = ""
    icp_number: str = ""
    public_security_number: str = ""
    site_code: str = ""
    # the campaign the navigation leads to: the newest published one with a column
    campaign_slug: str = ""
    campaign_name: str = ""
    column_url: str = ""

    @property
    def public_security_code(self) -> str:
        """The digits of the public security number, for the record's link."""
        return "".join(c for c in self.public_security_number if c.isdigit())


def _read_frame() -> Frame:
    from wagtail.models import Site

    from campaigns.models import CampaignStatus
    from publicity.models import CampaignPage

    identity = SiteIdentity.objects.first()
    values: dict[str, Any] = {}
    if identity is not None:
        values = {
            field: getattr(identity, field)
            for field in Frame.__dataclass_fields__
            if hasattr(identity, field)
        }
    if not values.get("site_name"):
        site = Site.objects.filter(is_default_site=True).first()
        values["site_name"] = site.site_name if site else ""
    column = (
        CampaignPage.objects.live()
        .exclude(campaign__status=CampaignStatus.DRAFT)
        .select_related("campaign")
        .order_by("-campaign__starts_on", "-pk")
        .first()
    )
    if column is not None:
        values["campaign_slug"] = column.campaign.slug
        values["campaign_name"] = column.campaign.name
        values["column_url"] = column.get_url() or ""
    return Frame(**values)


def site_frame() -> Frame:
    values = cache.get(FRAME_KEY)
    if values is None:
        frame = _read_frame()
        cache.set(FRAME_KEY, asdict(frame), FRAME_TIMEOUT)
        return frame
    return Frame(**values)


def forget_site_frame() -> None:
    cache.delete(FRAME_KEY)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def navigation(frame: Frame, path: str) -> list[NavItem]:
    """The site's main navigation: the campaign's records, then the demand channel."""
    items: list[tuple[Any, str]] = [(_("Home"), "/")]
    slug = frame.campaign_slug
    if slug:
        items += [
            (_("Campaign column"), frame.column_url),
            (_("Practical deeds"), reverse("ledgers:deeds", args=[slug])),
            (
                _("Rectification disclosure"),
                reverse("ledgers:disclosure", args=[slug]),
            ),
            (_("Advanced models"), f"{frame.column_url}#models"),
            (_("Briefings"), reverse("publicity:briefing_list", args=[slug])),
        ]
    items += [
        (_("Monthly figures"), reverse("demands:figures")),
        (_("Submit a demand"), reverse("demands:choose_campaign")),
        (_("Track a demand"), reverse("demands:track")),
        (_("Replied demands"), reverse("demands:replied")),
    ]
    return [NavItem(str(label), url, url == path) for label, url in items if url]


def site_frame_context(request: HttpRequest) -> dict[str, Any]:
    """The frame for the public templates, read only by a page that shows it."""
    frame = SimpleLazyObject(site_frame)
    return {
        "site_frame": frame,
        "site_navigation": SimpleLazyObject(
            lambda: navigation(site_frame(), request.path)
        ),
    }
