"""Demo briefing: issue 1 of the campaign's briefings, compiled from the seed article
by the publicity group's editor and published (called from sanfu.demo._build)."""

from campaigns.models import Campaign, Position
from campaigns.roles import CampaignRole
from publicity.briefings import actions
from publicity.models import BriefingPage, column_articles
from text.demo_mark import DEMO_MARK


def load(campaign: Campaign) -> BriefingPage:
    column = campaign.column  # type: ignore[attr-defined]
    editor = (
        Position.objects.filter(body__campaign=campaign, role=CampaignRole.PUBLICITY)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if editor is None:  # sanfu.demo seats one; the briefing is theirs to compile
        raise LookupError("the demo campaign has no publicity group editor")
    actor = editor.person
    page = actions.create_briefing(
        column,
        title="「三服務一促進」主題實踐活動簡報" + DEMO_MARK,
        text=(
            "<p>委“三服務一促進”主題實踐活動辦公室召開第一次工作會議，"
            "研究部署活動各項工作。現將有關情況簡報如下。" + DEMO_MARK + "</p>"
        ),
        articles=list(column_articles(column).order_by("published_on", "pk")),
        actor=actor,
    )
    page.refresh_from_db()
    return actions.publish_briefing(
        page, revision_id=page.latest_revision_id, actor=actor
    )
