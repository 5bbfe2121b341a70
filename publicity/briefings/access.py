"""The one door through which briefings reach views.

The publicity group and the office director of a campaign compile its briefings and
see its drafts; everyone else (the public included) sees published briefings only. A
role held in one campaign grants nothing in another.
"""

from django.db.models import QuerySet
from django.http import Http404

from campaigns.access import campaigns_for_user
from campaigns.models import Campaign
from org.actors import Viewer
from publicity.models import BriefingPage

COMPILE_PERM = "publicity.compile_briefing"


def briefing_campaigns_for_user(user: Viewer) -> QuerySet[Campaign]:
    """Campaigns whose briefings the person may compile and publish."""
    return campaigns_for_user(user, perm=COMPILE_PERM)


def may_compile(user: Viewer, campaign_id: int | None) -> bool:
    if campaign_id is None:
        return bool(user.is_active and user.is_superuser)
    return briefing_campaigns_for_user(user).filter(pk=campaign_id).exists()


def briefings_for_user(user: Viewer, *, write: bool = False) -> QuerySet[BriefingPage]:
    """Briefings a person may read (live ones) or, with ``write``, compile."""
    if not write:
        return BriefingPage.objects.live().public()  # type: ignore[no-any-return]
    return BriefingPage.objects.filter(campaign__in=briefing_campaigns_for_user(user))


def get_briefing_for_user(
    user: Viewer, pk: int, *, write: bool = False
) -> BriefingPage:
    try:
        return briefings_for_user(user, write=write).get(pk=pk)
    except BriefingPage.DoesNotExist:
        raise Http404 from None


def get_briefing_to_download(user: Viewer, pk: int, *, draft: bool) -> BriefingPage:
    """The briefing to export: its draft (latest revision) only for those who may
    compile it, its published version for anyone; a briefing never published does
    not exist for the rest."""
    if draft:
        page = get_briefing_for_user(user, pk, write=True)
        return page.get_latest_revision_as_object()  # type: ignore[no-any-return]
    return get_briefing_for_user(user, pk)
