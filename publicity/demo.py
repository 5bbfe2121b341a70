"""Demo content of the column: reports in several categories from demo units, one
submission waiting for the publicity group, one advanced model on public notice."""

import datetime

from campaigns.models import Campaign
from org.models import Person, Unit
from publicity import actions
from publicity.model_rules import ballot_members
from publicity.models import SensitiveWord
from text.demo_mark import DEMO_MARK

ARTICLES = [
    (
        "guihua_liaison",
        "規劃計劃處",
        "activities",
        "規劃計劃處赴基層水文站開展調研",
        "處領導帶隊深入基層水文站，聽取一線職工的意見和建議。",
        datetime.date(2007, 4, 12),
    ),
    (
        "shuizheng_liaison",
        "水政水資源處",
        "measures",
        "水政水資源處推出便民服務五項舉措",
        "公開辦事流程，限時辦結取水許可申請，設立群眾意見箱。",
        datetime.date(2007, 4, 20),
    ),
    (
        "guihua_liaison",
        "規劃計劃處",
        "results",
        "規劃計劃處為基層解決實際困難三件",
        "協調解決了基層單位反映的辦公用房、交通和培訓問題。",
        datetime.date(2007, 5, 8),
    ),
]


def build_column_demo(campaign: Campaign) -> None:
    column = campaign.column
    people = {person.username: person for person in Person.objects.all()}
    units = {
        unit.name: unit
        for unit in Unit.objects.filter(organisation=campaign.organisation)
    }
    editor = people["xuanchuan"]
    SensitiveWord.objects.create(campaign=campaign, word="內部資料", note=DEMO_MARK)
    for username, unit, category, title, text, day in ARTICLES:
        page = actions.save_draft(
            column,
            actions.ArticleDraft(
                title=title + DEMO_MARK,
                category=category,
                summary=text,
                body=actions.paragraphs_to_html(text),
                published_on=day,
            ),
            unit=units[unit],
            actor=people[username],
        )
        actions.submit_article(page, actor=people[username])
        actions.approve_article(page, actor=editor)
    pending = actions.save_draft(
        column,
        actions.ArticleDraft(
            title="水政水資源處黨員志願服務隊走進社區" + DEMO_MARK,
            category="activities",
            summary="志願服務隊向社區居民宣傳節約用水。",
            body="<p>志願服務隊向社區居民宣傳節約用水知識，發放宣傳資料三百份。</p>",
        ),
        unit=units["水政水資源處"],
        actor=people["shuizheng_liaison"],
    )
    actions.submit_article(pending, actor=people["shuizheng_liaison"])
    model = actions.nominate_model(
        column,
        unit=units["規劃計劃處"],
        kind="person",
        nominee="王志強" + DEMO_MARK,
        deeds="<p>常年深入基層水文站，幫助解決職工實際困難。</p>",
        actor=people["guihua_head"],
    )
    # every member of the leading group votes, which closes the vote
    for member in ballot_members(model):
        actions.cast_ballot(model, choice="for", actor=member)
    actions.start_public_notice(model, days=7, actor=editor)
