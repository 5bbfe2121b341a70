import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from text.personal import (
    blank_personal_data,
    find_personal_data,
    mask_person_name,
    mask_personal_data,
)
from text.tests.personal_corpus import LOOK_ALIKES, POSITIVES

DIGITS = re.compile(r"[0-9０-９〇零一幺二两三四五六七八九]")


def test_the_corpus_is_large_enough():
    assert len(POSITIVES) >= 100
    assert len(LOOK_ALIKES) >= 30


@pytest.mark.parametrize(("text", "masked"), POSITIVES)
def test_personal_data_in_the_corpus_is_masked(text, masked):
    assert mask_personal_data(text) == masked
    assert masked != text


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_left_untouched(text):
    assert find_personal_data(text) == []
    assert mask_personal_data(text) == text


def test_the_reported_title_keeps_its_street_address_and_loses_name_and_phone():
    title = "陈志华13600001111反映江南大道168号水管漏水"
    masked = mask_personal_data(title)
    assert masked == "陈**136****1111反映江南大道168号水管漏水"
    assert "志华" not in masked
    assert "0000" not in masked


def test_a_known_name_is_masked_wherever_it_stands():
    text = "李四反映：我李四家门口积水"
    assert mask_personal_data(text, names=["李四"]) == "李*反映：我李*家门口积水"


def test_the_spans_name_what_they_found():
    spans = find_personal_data("王小明先生，电话13800138000，QQ 12345678")
    assert [span.kind for span in spans] == ["name", "mobile", "qq"]


@pytest.mark.parametrize(
    ("text", "blanked"),
    [
        ("請回電13812345678，身份證440102199001011234。", "請回電***，身份證***。"),
        ("座機020-87654321轉", "座機***轉"),
        ("+86 139 1234 5678", "***"),
        ("陈志华先生，微信：chen_zh88", "陈***先生，微信：***"),
        ("住3栋2单元502室", "住***"),
        ("編號2007032712345678901234不是號碼", "編號2007032712345678901234不是號碼"),
    ],
)
def test_blanking_keeps_nothing_of_the_personal_data(text, blanked):
    assert blank_personal_data(text) == blanked


def test_empty_text_stays_empty():
    assert mask_personal_data("") == ""


_ALPHABET = (
    "0123456789０１３８幺一三八零〇 -+()（）@._#"
    "栋单元室号楼座先生女士陈志华王李微信QQ号:：abcxX电话卡身份证区"
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=48))
def test_masking_is_idempotent_and_leaves_nothing_to_find(text):
    masked = mask_personal_data(text)
    assert mask_personal_data(masked) == masked
    assert find_personal_data(masked) == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=48))
def test_masking_never_lengthens_the_text_nor_adds_digits(text):
    masked = mask_personal_data(text)
    assert len(masked) <= len(text)
    assert len(DIGITS.findall(masked)) <= len(DIGITS.findall(text))


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", " ", "电话", "手机：", "，"]),
    st.sampled_from(["", "。", "反映漏水", " 谢谢"]),
)
def test_every_mobile_number_is_masked_whatever_is_around_it(number, before, after):
    masked = mask_personal_data(before + number + after)
    assert masked == before + number[:3] + "****" + number[-4:] + after


@pytest.mark.parametrize(
    "text",
    [
        " " * 4989 + "13800138000",
        "先生" * 2500,
        "x@" + "a." * 2500,
        "电话" * 2500 + "83331234",
        "1 2" * 1600,
    ],
)
def test_long_hostile_text_is_masked_quickly(text):
    started = time.perf_counter()
    mask_personal_data(text)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("陳志華", "陳**"),
        ("李明", "李*"),
        ("歐陽小明", "歐陽**"),
        ("张三处长", "张*处长"),
        ("水政水資源處聯絡員（演示）", "水政水資源處聯絡員（演示）"),
        ("水政水资源处联络员", "水政水资源处联络员"),
        ("處長", "處長"),
        ("西江水文水資源勘測局", "西江水文水資源勘測局"),
        ("John Smith", "J*********"),
        ("staff_a", "s******"),
        ("", ""),
    ],
)
def test_a_persons_name_keeps_its_surname_and_a_post_shows_whole(name, shown):
    assert mask_person_name(name) == shown
