from datetime import date
from pathlib import Path

import pytest

from text.articles import (
    SLUG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ArticleImportError,
    article_slug,
    fold_title,
    parse_article,
)

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
    assert parsed.body.startswith("廣東省委決定")
    assert parsed.body.endswith("提出了很好的意見和建議。")


def test_it_derives_the_title_from_the_first_sentence() -> None:
    parsed = parse_article(SEED.read_bytes())

    # The whole sentence is 58 characters; the title ends where the quoted slogan
    # does, the last boundary within the limit.
    assert parsed.title == (
        "廣東省委決定2007年在省直機關開展以“服務基層、服務群眾、服務大局,促進社會和諧”"
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


def test_it_cuts_a_title_without_punctuation_at_forty_characters() -> None:
    parsed = parse_article(article("甲" * 100, "来源:本站 2007-03-28"))

    assert parsed.title == "甲" * 40


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

    assert parsed.dateline == "本站3月28日訊"


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


# A dateline without a date made the title the whole first sentence (54 characters).
UNDATED = (
    "珠江委召開“三服務一促進”主題實踐活動推進會,部署下一階段工作,"
    "要求各單位對照方案抓好整改落實並按時報送進展情況。"
)


@pytest.mark.parametrize(
    ("first_line", "dateline"),
    [
        (f"本網訊 {UNDATED}", "本網訊"),
        (f"本网讯：{UNDATED}", "本网讯"),
        (f"本報北京訊（記者 黃遠）{UNDATED}", "本報北京訊（記者 黃遠）"),
        (f"新華社廣州電 {UNDATED}", "新華社廣州電"),
    ],
)
def test_it_recognises_a_dateline_without_a_date(
    first_line: str, dateline: str
) -> None:
    parsed = parse_article(article(first_line, "來源:本站 2007-04-02"))

    assert parsed.dateline == dateline
    assert parsed.title == "珠江委召開“三服務一促進”主題實踐活動推進會,部署下一階段工作"
    assert parsed.body == UNDATED


def test_it_does_not_take_a_power_cut_for_a_dateline() -> None:
    parsed = parse_article(article("合作社停電,影響灌溉。", "來源:本站 2007-04-02"))

    assert parsed.dateline == ""
    assert parsed.title == "合作社停電,影響灌溉"


def test_it_keeps_the_dateline_out_of_the_body() -> None:
    parsed = parse_article(
        article("本站3月28日訊 珠江委召開會議。", "會議指出。", "來源:本站 2007-03-28")
    )

    assert parsed.dateline == "本站3月28日訊"
    assert parsed.body == "珠江委召開會議。\n會議指出。"


def test_it_takes_the_headline_for_the_title() -> None:
    parsed = parse_article(
        article(
            "珠江委部署主題實踐活動",
            "本網訊 珠江委3月27日召開會議,研究部署開展主題實踐活動的各項工作。",
            "來源:本站 2007-03-28",
        )
    )

    assert parsed.title == "珠江委部署主題實踐活動"
    assert parsed.dateline == "本網訊"
    assert parsed.body.startswith("珠江委3月27日召開會議")


def test_it_takes_a_short_line_without_a_full_stop_for_a_headline() -> None:
    parsed = parse_article(
        article("珠江委部署主題實踐活動", "珠江委召開會議。", "來源:本站 2007-03-28")
    )

    assert parsed.title == "珠江委部署主題實踐活動"
    assert parsed.body == "珠江委召開會議。"


def test_it_keeps_every_title_within_the_limit() -> None:
    for text in (UNDATED, "甲" * 39 + ",乙乙乙。", "“" + "甲" * 50 + "”乙。"):
        title = parse_article(article(text, "來源:本站 2007-03-28")).title
        assert 0 < len(title.replace("“", "").replace("”", "")) <= TITLE_MAX_LENGTH


def test_it_makes_a_short_ascii_slug() -> None:
    slug = article_slug(UNDATED, date(2007, 4, 2))

    assert slug.startswith("2007-04-02-zhu-jiang-wei-zhao-kai")
    assert len(slug) <= SLUG_MAX_LENGTH
    assert slug.isascii()
    assert not slug.endswith("-")


def test_it_folds_script_and_white_space_for_comparison() -> None:
    assert fold_title("珠江委召開 “三服務” 會議") == fold_title(
        "珠江委召开“三服务”会议"
    )
    assert fold_title("珠江委召開會議") != fold_title("珠江委召開大會")
