"""``manage.py import_article``: a cleaned article, or a refusal and nothing written."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry

from publicity.models import ArticlePage
from sanfu.demo import SEED_ARTICLE
from text.articles import SLUG_MAX_LENGTH, TITLE_MAX_LENGTH
from text.script import to_simplified

pytestmark = pytest.mark.django_db

ARTICLE = (
    "本站4月2日訊 珠江委召開“三服務(wù)一促進(jìn)”主題實踐活動推進會,"
    "部署下一階段工作。\n"
    "會議要求各單位抓好整改。\n"
    "來源:中國水利網(wǎng)站 2007年4月2日\n"
)


@pytest.fixture
def demo(demo_once: None, db: None) -> None:
    """The demo (loaded once for the module: conftest's ``demo_once``)."""


def run(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command(
        "import_article", str(path), *options, campaign="sanfu-2007", stdout=out
    )
    return out.getvalue()


def write(tmp_path: Path, text: str, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_a_cleaned_article_with_its_source_and_date(demo, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    run(path)
    article = ArticlePage.objects.get(published_on=datetime.date(2007, 4, 2))
    assert article.live
    assert article.source == "中國水利網站"
    assert "服務" in article.title
    assert "wù" not in article.title + article.body
    assert "來源" not in article.body
    assert PageLogEntry.objects.filter(
        action="sanfu.article.import", page=article
    ).exists()


def test_it_refuses_a_file_that_is_not_utf8_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(ARTICLE.replace("(wù)", "").encode("big5", errors="ignore"))
    before = ArticlePage.objects.count()
    with pytest.raises(CommandError, match="UTF-8"):
        run(path)
    assert ArticlePage.objects.count() == before


def test_it_refuses_a_file_without_a_source_line_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "nosource.txt"
    path.write_text(ARTICLE.rsplit("來源", 1)[0], encoding="utf-8")
    before = ArticlePage.objects.count()
    with pytest.raises(CommandError) as error:
        run(path)
    assert "source" in str(error.value).lower() or "來源" in str(error.value)
    assert ArticlePage.objects.count() == before


def test_it_refuses_the_same_article_twice(demo):
    before = ArticlePage.objects.count()
    with pytest.raises(CommandError, match="already"):
        run(SEED_ARTICLE)
    assert ArticlePage.objects.count() == before


def test_it_refuses_an_unknown_campaign(demo, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_article", str(path), campaign="no-such", stdout=None)


def test_it_refuses_a_missing_file(demo, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.txt")


def test_it_refuses_the_same_article_in_the_other_script(demo, tmp_path):
    run(write(tmp_path, ARTICLE))
    before = ArticlePage.objects.count()
    simplified = to_simplified(ARTICLE).replace("推进会", "推进 会")

    with pytest.raises(CommandError, match="already"):
        run(write(tmp_path, simplified, "simplified.txt"))
    assert ArticlePage.objects.count() == before


UNDATED = (
    "本網訊 珠江委召開“三服務一促進”主題實踐活動推進會,部署下一階段工作,"
    "要求各單位對照方案抓好整改落實並按時報送進展情況。\n"
    "會議要求各單位抓好整改。\n"
    "來源:中國水利網站 2007年4月2日\n"
)


def test_it_gives_an_undated_dateline_article_a_short_title_and_address(demo, tmp_path):
    run(write(tmp_path, UNDATED))

    article = ArticlePage.objects.get(published_on=datetime.date(2007, 4, 2))
    assert article.dateline == "本網訊"
    assert (
        article.title == "珠江委召開“三服務一促進”主題實踐活動推進會,部署下一階段工作"
    )
    assert len(article.title) <= TITLE_MAX_LENGTH + 2  # the quotation marks
    assert len(article.slug) <= SLUG_MAX_LENGTH
    assert len(article.url) < 100


def test_it_shows_the_dateline_once(demo, tmp_path, client):
    run(write(tmp_path, ARTICLE))
    article = ArticlePage.objects.get(published_on=datetime.date(2007, 4, 2))

    page = client.get(article.url).content.decode()

    assert article.dateline == "本站4月2日訊"
    assert "本站" not in article.body
    assert page.count("本站4月2日") == 1


def test_it_gives_the_same_title_a_second_slug(demo, tmp_path):
    run(write(tmp_path, ARTICLE))
    other_day = ARTICLE.replace("2007年4月2日", "2007年4月3日")
    run(write(tmp_path, other_day, "other.txt"))

    slugs = set(
        ArticlePage.objects.filter(
            published_on__in=[datetime.date(2007, 4, 2), datetime.date(2007, 4, 3)]
        ).values_list("slug", flat=True)
    )
    assert len(slugs) == 2


OUT_OF_PERIOD = ARTICLE.replace("2007年4月2日", "2021年4月2日")


def test_it_refuses_an_article_dated_outside_the_campaign(demo, tmp_path):
    before = ArticlePage.objects.count()

    with pytest.raises(CommandError, match="outside the campaign") as error:
        run(write(tmp_path, OUT_OF_PERIOD))
    assert "--force" in str(error.value)
    assert ArticlePage.objects.count() == before


def test_it_imports_an_article_outside_the_campaign_when_forced(demo, tmp_path):
    out = run(write(tmp_path, OUT_OF_PERIOD), "--force")

    assert ArticlePage.objects.filter(published_on=datetime.date(2021, 4, 2)).exists()
    assert "outside the campaign" in out


def test_a_dry_run_shows_what_would_be_stored_and_stores_nothing(demo, tmp_path):
    before = ArticlePage.objects.count()
    logs = PageLogEntry.objects.count()

    out = run(write(tmp_path, OUT_OF_PERIOD), "--dry-run")

    assert ArticlePage.objects.count() == before
    assert PageLogEntry.objects.count() == logs
    assert "nothing is stored" in out
    assert "珠江委召開“三服務一促進”主題實踐活動推進會,部署下一階段工作" in out
    assert "2021-04-02" in out
    assert "2021-04-02-zhu-jiang-wei" in out
    assert "本站4月2日訊" in out
    assert "會議要求各單位" in out
    assert "outside the campaign" in out


def test_a_dry_run_names_the_duplicate(demo, tmp_path):
    run(write(tmp_path, ARTICLE))
    before = ArticlePage.objects.count()

    out = run(write(tmp_path, to_simplified(ARTICLE), "again.txt"), "--dry-run")

    assert "Duplicate" in out
    assert ArticlePage.objects.count() == before


def test_it_keeps_real_brackets_and_drops_only_the_pinyin(demo, tmp_path):
    text = (
        "本站4月2日訊 珠江委召開會議。\n"
        "測站高程(m)按實施細則(a)和(b)核定,GDP(國內生產總值)穩步增長,"
        "珠江(zhū jiāng)委機關（jī guān）幹部參加。\n"
        "來源:中國水利網站 2007年4月2日\n"
    )

    run(write(tmp_path, text))

    body = ArticlePage.objects.get(published_on=datetime.date(2007, 4, 2)).body
    assert "高程(m)" in body
    assert "實施細則(a)和(b)" in body
    assert "GDP(國內生產總值)" in body
    assert "珠江委機關幹部參加" in body


def test_it_stores_nothing_when_publishing_fails(demo, tmp_path, monkeypatch):
    """The import is one transaction: a failure at its last step leaves no page."""

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr("publicity.actions.record", fail)
    before = ArticlePage.objects.count()

    with pytest.raises(RuntimeError):
        run(write(tmp_path, ARTICLE))
    assert ArticlePage.objects.count() == before
