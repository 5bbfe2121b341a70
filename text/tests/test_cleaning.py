import re
from pathlib import Path

from text.cleaning import clean_text, is_pinyin

SEED = (
    Path(__file__).resolve().parent.parent / "data" / "zhujiang-2007-sanfu-article.txt"
)
# Any bracket holding only Latin letters (tone-marked or not) and spaces.
LATIN_BRACKET = re.compile(r"[(（][A-Za-z\u00c0-\u024f\u1e00-\u1eff ]+[)）]")


def test_it_removes_glued_pinyin() -> None:
    assert clean_text("機(jī)關(guān)") == "機關"
    assert clean_text("服務(wù)") == "服務"


def test_it_keeps_real_parentheses() -> None:
    assert clean_text("政務(wù)(廠務(wù))公開") == "政務(廠務)公開"
    assert clean_text("政務（廠務）公開") == "政務（廠務）公開"


def test_it_removes_several_syllables_with_tone_marks() -> None:
    assert clean_text("機關(jī guān)開會") == "機關開會"


def test_it_removes_a_glued_toneless_syllable() -> None:
    assert clean_text("好的(de)") == "好的"


def test_it_keeps_latin_words_that_are_not_pinyin() -> None:
    assert clean_text("世界衛生組織(WHO)") == "世界衛生組織(WHO)"
    assert clean_text("咖啡館(café)") == "咖啡館(café)"
    assert clean_text("中國(zhong guo)") == "中國(zhong guo)"


def test_it_keeps_pinyin_that_is_not_glued_to_a_chinese_character() -> None:
    assert clean_text("Beijing (běi)") == "Beijing (běi)"
    assert clean_text("機 (jī)") == "機 (jī)"


def test_it_recognises_pinyin_with_umlauts_and_capitals() -> None:
    assert is_pinyin("lǜ")
    assert is_pinyin("Zhū")
    assert not is_pinyin("xyz")
    assert not is_pinyin("Zhu")


def test_it_turns_full_width_letters_and_digits_into_ascii() -> None:
    assert clean_text("２００７年ＡＢＣｘｙｚ") == "2007年ABCxyz"


def test_it_keeps_chinese_punctuation() -> None:
    text = "服務基層，服務群眾；「實踐」：活動。"
    assert clean_text(text) == text


def test_it_normalises_white_space_and_newlines() -> None:
    assert clean_text("  a \t\u3000 b  \r\nc\rd\n") == "a b\nc\nd\n"


def test_it_drops_zero_width_and_control_characters() -> None:
    assert clean_text("機\u200b關\ufeff\u202e服\x07務\x00") == "機關服務"


def test_it_composes_unicode_to_nfc() -> None:
    assert clean_text("e\u0301") == "\u00e9"


def test_it_cleans_the_whole_seed_article() -> None:
    raw = SEED.read_text(encoding="utf-8")

    cleaned = clean_text(raw)

    assert LATIN_BRACKET.search(raw)
    assert LATIN_BRACKET.search(cleaned) is None
    assert "政務(廠務)公開" in cleaned
    assert "機關" in cleaned
    assert "領導小組" in cleaned
    assert len(cleaned.split("\n")) == len(raw.split("\n"))


def test_it_is_idempotent() -> None:
    once = clean_text(SEED.read_text(encoding="utf-8"))

    assert clean_text(once) == once


def test_it_keeps_a_single_letter_that_is_not_the_reading_of_the_character() -> None:
    assert clean_text("高程(m)") == "高程(m)"
    assert clean_text("實施細則(a)") == "實施細則(a)"
    assert clean_text("實施細則(b)") == "實施細則(b)"


def test_it_keeps_pinyin_that_does_not_read_the_characters_before_it() -> None:
    assert clean_text("高(jī)") == "高(jī)"
    assert clean_text("機關(guān jī)") == "機關(guān jī)"
    assert clean_text("關（jī guān）") == "關（jī guān）"


def test_it_removes_pinyin_in_both_bracket_styles() -> None:
    assert clean_text("珠江(zhū jiāng)委") == "珠江委"
    assert clean_text("珠江（zhū jiāng）委") == "珠江委"
    assert clean_text("路燈（lù dēng）") == "路燈"


def test_it_accepts_any_reading_of_a_heteronym() -> None:
    assert clean_text("調(diào)研") == "調研"
    assert clean_text("協調(tiáo)") == "協調"
    assert clean_text("綠(lǜ)色") == "綠色"


def test_it_keeps_real_brackets_beside_pinyin_artifacts() -> None:
    text = (
        "高程(m)與實施細則(a)、(b),GDP(國內生產總值)增長,"
        "珠江(zhū jiāng)委機關（jī guān）開會。"
    )

    assert clean_text(text) == (
        "高程(m)與實施細則(a)、(b),GDP(國內生產總值)增長,珠江委機關開會。"
    )
