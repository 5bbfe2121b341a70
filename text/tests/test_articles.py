from datetime import date
from pathlib import Path

import pytest

from text.articles import ArticleImportError, parse_article

SEED = (
    Path(__file__).resolve().parent.parent / "data" / "zhujiang-2007-sanfu-article.txt"
)
SEED_ORIGINAL = Path("/work/shared/seed/zhujiang-2007-sanfu-article.txt")


def article(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")


def test_it_parses_the_seed_article() -> None:
    parsed = parse_article(SEED.read_bytes(), filename=SEED.name)

    assert parsed.source == "中國水利網站"
    assert parsed.published_on == date(2007, 3, 28)
    assert parsed.dateline == "本站3月28日訊"
    assert "來源" not in parsed.body
    assert "(guān)" not in parsed.body
    assert "岳中明" in parsed.body
    assert parsed.body.startswith("本站3月28日訊 廣東省委決定")
    assert parsed.body.endswith("提出了很好的意見和建議。")


def test_it_derives_the_title_from_the_first_sentence() -> None:
    parsed = parse_article(SEED.read_bytes())

    assert parsed.title == (
        "廣東省委決定2007年在省直機關開展以“服務基層、服務群眾、服務大局,"
        "促進社會和諧”為主題的“三服務一促進”實踐活動"
    )


@pytest.mark.skipif(not SEED_ORIGINAL.exists(), reason="the shared seed is absent")
def test_it_ships_the_seed_byte_for_byte() -> None:
    assert SEED.read_bytes() == SEED_ORIGINAL.read_bytes()


def test_it_keeps_a_short_first_sentence_whole() -> None:
    parsed = parse_article(
        article("本站3月28日訊 珠江委召開會議。會議指出。", "來源:本站 2007-03-28")
    )

    assert parsed.title == "珠江委召開會議"
    assert parsed.dateline == "本站3月28日訊"


def test_it_cuts_a_long_title_at_a_clause_boundary() -> None:
    first = "甲" * 30
    second = "乙" * 40
    parsed = parse_article(article(f"{first},{second}。", "来源:本站 2007-03-28"))

    assert parsed.title == first


def test_it_cuts_a_title_without_punctuation_at_sixty_characters() -> None:
    parsed = parse_article(article("甲" * 100, "来源:本站 2007-03-28"))

    assert parsed.title == "甲" * 60


def test_it_takes_the_title_from_the_line_after_a_lone_dateline() -> None:
    raw = article("本站3月28日訊", "珠江委召開會議。", "來源:本站 2007-03-28")

    parsed = parse_article(raw)

    assert parsed.dateline == "本站3月28日訊"
    assert parsed.title == "珠江委召開會議"


def test_it_does_without_a_dateline() -> None:
    parsed = parse_article(article("珠江委召開會議。", "来源:本站 2007-03-28"))

    assert parsed.dateline == ""
    assert parsed.title == "珠江委召開會議"


def test_it_does_not_take_a_date_in_the_text_for_a_dateline() -> None:
    parsed = parse_article(article("委3月28日電視電話會議。", "来源:本站 2007-03-28"))

    assert parsed.dateline == ""
    assert parsed.title == "委3月28日電視電話會議"


def test_it_accepts_a_full_width_colon_and_simplified_source_line() -> None:
    parsed = parse_article(
        article("珠江委召开会议。", "来源：中国水利网站 2007年3月28日", "")
    )

    assert parsed.source == "中国水利网站"
    assert parsed.published_on == date(2007, 3, 28)


def test_it_accepts_an_iso_date() -> None:
    parsed = parse_article(article("珠江委召开会议。", "來源:中國水利網站 2007-03-28"))

    assert parsed.published_on == date(2007, 3, 28)


def test_it_tolerates_a_byte_order_mark() -> None:
    parsed = parse_article(b"\xef\xbb\xbf" + SEED.read_bytes())

    assert parsed.body.startswith("本站")


def test_it_refuses_bytes_that_are_not_utf8() -> None:
    raw = "珠江委召開會議。\n來源:本站 2007-03-28".encode("big5")

    with pytest.raises(ArticleImportError, match="UTF-8"):
        parse_article(raw)


def test_it_refuses_nul_bytes() -> None:
    with pytest.raises(ArticleImportError, match="NUL"):
        parse_article(article("珠江委\x00召開會議。", "來源:本站 2007-03-28"))


def test_it_refuses_binary_data() -> None:
    with pytest.raises(ArticleImportError, match="binary"):
        parse_article(bytes(range(1, 32)) * 10 + article("來源:本站 2007-03-28"))


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(ArticleImportError, match="empty"):
        parse_article(b"")
    with pytest.raises(ArticleImportError, match="empty"):
        parse_article(b" \r\n\n")
    with pytest.raises(ArticleImportError, match="empty"):
        parse_article("\ufeff\u200b".encode())


def test_it_refuses_a_source_line_without_text() -> None:
    with pytest.raises(ArticleImportError, match="no article text"):
        parse_article(article("來源:本站 2007-03-28"))


def test_it_refuses_an_article_without_a_source_line() -> None:
    with pytest.raises(ArticleImportError, match="source and the date"):
        parse_article(article("珠江委召開會議。", "會議指出。"))


def test_it_refuses_a_source_line_without_a_source() -> None:
    with pytest.raises(ArticleImportError, match="does not name the source"):
        parse_article(article("珠江委召開會議。", "來源: 2007-03-28"))


def test_it_refuses_a_date_that_does_not_parse() -> None:
    with pytest.raises(ArticleImportError, match="no date"):
        parse_article(article("珠江委召開會議。", "來源:本站 2007年3月"))


def test_it_refuses_a_date_that_does_not_exist() -> None:
    with pytest.raises(ArticleImportError, match="does not exist"):
        parse_article(article("珠江委召開會議。", "來源:本站 2007年2月30日"))


def test_it_names_the_file_in_the_message() -> None:
    with pytest.raises(ArticleImportError, match=r"^notes\.txt: "):
        parse_article(b"", filename="notes.txt")


def test_its_error_is_a_value_error() -> None:
    assert issubclass(ArticleImportError, ValueError)
