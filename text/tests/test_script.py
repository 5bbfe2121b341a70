from collections.abc import Iterator

import pytest
from django.core.cache import cache
from pytest_django import Settings

from text import script
from text.script import convert_cached, to_simplified, to_traditional


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_it_round_trips_traditional_text() -> None:
    assert to_traditional(to_simplified("服務群眾")) == "服務群眾"


def test_it_simplifies() -> None:
    assert to_simplified("機關") == "机关"


def test_it_uses_taiwan_forms_not_the_dictionary_forms_of_s2t() -> None:
    converted = to_traditional("为人民服务群众")

    assert "為" in converted
    assert "爲" not in converted
    assert "群眾" in converted


def test_it_follows_the_configured_traditional_variant(
    settings: Settings,
) -> None:
    settings.SANFU_TRADITIONAL_CONFIG = "s2hk"
    assert to_traditional("里面") == "裏面"

    settings.SANFU_TRADITIONAL_CONFIG = "s2tw"
    assert to_traditional("里面") == "裡面"


def test_it_converts_to_either_script_through_the_cache() -> None:
    assert convert_cached("機關", "hans") == "机关"
    assert convert_cached("机关", "hant") == "機關"


def test_it_refuses_an_unknown_script() -> None:
    with pytest.raises(ValueError):
        convert_cached("机关", "latn")  # type: ignore[arg-type]


class CountingConverter:
    def __init__(self) -> None:
        self.calls = 0

    def convert(self, text: str) -> str:
        self.calls += 1
        return text.upper()


def test_it_serves_the_second_conversion_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    converter = CountingConverter()
    monkeypatch.setitem(script._converters, "t2s", converter)

    first = convert_cached("page", "hans")
    second = convert_cached("page", "hans")

    assert first == second == "PAGE"
    assert converter.calls == 1


def test_it_keys_the_cache_by_variant(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    converter = CountingConverter()
    monkeypatch.setitem(script._converters, "s2tw", converter)
    monkeypatch.setitem(script._converters, "s2hk", converter)

    settings.SANFU_TRADITIONAL_CONFIG = "s2tw"
    convert_cached("page", "hant")
    settings.SANFU_TRADITIONAL_CONFIG = "s2hk"
    convert_cached("page", "hant")

    assert converter.calls == 2


def test_the_project_phrases_keep_proper_names_as_they_are_written():
    # OpenCC's character table turns the surname 岳 into the mountain 嶽.
    assert to_traditional("岳中明主持会议") == "岳中明主持會議"
    assert to_traditional("山岳") == "山嶽"


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("调研组深入基层并成立工作专班", "調研組深入基層並成立工作專班"),
        ("并成为示范", "並成為示範"),
        ("并成功解决", "並成功解決"),
        # the merger keeps its own character
        ("两个处合并成立新处", "兩個處合併成立新處"),
        ("合并成一个单位", "合併成一個單位"),
    ],
)
def test_the_conjunction_stays_and_a_merger_stays_a_merger(simplified, traditional):
    assert to_traditional(simplified) == traditional
