"""``manage.py import_article``: a cleaned article, or a refusal and nothing written."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry

from publicity.models import ArticlePage
from sanfu.demo import SEED_ARTICLE

pytestmark = pytest.mark.django_db

ARTICLE = (
    "本站4月2日訊 珠江委召開“三服務(wù)一促進(jìn)”主題實踐活動推進會,"
    "部署下一階段工作。\n"
    "會議要求各單位抓好整改。\n"
    "來源:中國水利網(wǎng)站 2007年4月2日\n"
)


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=None)


def run(path: Path) -> None:
    call_command("import_article", str(path), campaign="sanfu-2007", stdout=None)


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
