"""The zh-Hant fill catalogues: parser, .mo writer, conversion and the result."""

import gettext
import io
from pathlib import Path

import pytest
import wagtail.admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import translation
from wagtail.admin.views.i18n import js_catalog

from text import catalogues
from text.catalogues import CatalogueSource, Message
from text.script import to_traditional

WAGTAIL_ADMIN_LOCALE = Path(wagtail.admin.__file__).parent / "locale"
HEADER = catalogues.catalogue_header("test")


def load_mo(data: bytes) -> gettext.GNUTranslations:
    """Read .mo bytes the way Django does, through the standard library."""
    return gettext.GNUTranslations(io.BytesIO(data))


def wagtail_admin_catalogue(locale: str, domain: str) -> gettext.GNUTranslations:
    """Wagtail's own compiled catalogue, read without the code under test."""
    path = WAGTAIL_ADMIN_LOCALE / locale / "LC_MESSAGES" / f"{domain}.mo"
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)


def compiled_messages(
    translations: gettext.GNUTranslations,
) -> dict[str | tuple[str, int], str]:
    """List a catalogue's entries; the standard library keeps them in a private dict."""
    catalogue: dict[str | tuple[str, int], str] = vars(translations)["_catalog"]
    return catalogue


def write_po(root: Path, locale: str, text: str, domain: str = "django") -> None:
    """Lay out a fake app's catalogue under ``root`` (its ``locale`` directory)."""
    directory = root / locale / "LC_MESSAGES"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{domain}.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + text,
        encoding="utf-8",
    )


# --- .mo writer -----------------------------------------------------------------


def test_the_mo_writer_round_trips_a_plain_message() -> None:
    mo = catalogues.render_mo(HEADER, [Message("Pages", ("頁面",))])

    assert load_mo(mo).gettext("Pages") == "頁面"


def test_the_mo_writer_round_trips_a_plural_message() -> None:
    message = Message(
        "%(count)s page", ("%(count)s 個頁面",), msgid_plural="%(count)s pages"
    )
    translations = load_mo(catalogues.render_mo(HEADER, [message]))

    assert translations.ngettext("%(count)s page", "%(count)s pages", 1) == (
        "%(count)s 個頁面"
    )
    assert translations.ngettext("%(count)s page", "%(count)s pages", 5) == (
        "%(count)s 個頁面"
    )


def test_the_mo_writer_round_trips_a_message_with_context() -> None:
    messages = [
        Message("name", ("名稱",), msgctxt="A tag name"),
        Message("name", ("姓名",)),
        Message("item", ("項",), msgctxt="counter", msgid_plural="items"),
    ]
    translations = load_mo(catalogues.render_mo(HEADER, messages))

    assert translations.pgettext("A tag name", "name") == "名稱"
    assert translations.gettext("name") == "姓名"
    assert translations.npgettext("counter", "item", "items", 2) == "項"


def test_the_mo_header_declares_utf8_and_a_single_plural_form() -> None:
    translations = load_mo(catalogues.render_mo(HEADER, []))

    assert translations.charset() == "UTF-8"
    assert translations.info()["plural-forms"] == "nplurals=1; plural=0;"


def test_the_mo_writer_leaves_out_fuzzy_and_empty_messages() -> None:
    messages = [
        Message("Draft", ("草稿",), flags=frozenset({"fuzzy"})),
        Message("Live", ("",)),
    ]
    translations = load_mo(catalogues.render_mo(HEADER, messages))

    assert translations.gettext("Draft") == "Draft"
    assert translations.gettext("Live") == "Live"


# --- .po parser -----------------------------------------------------------------


def test_the_po_parser_reads_multiline_strings_escapes_flags_and_plurals() -> None:
    messages = catalogues.parse_po(
        'msgid ""\n'
        'msgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
        "\n"
        "#. extracted note\n"
        "#: wagtail/admin/x.py:1\n"
        "#, fuzzy, python-format\n"
        'msgctxt "ctx"\n'
        'msgid ""\n'
        '"Say \\"%(name)s\\"\\n"\n'
        '"\\tthen go"\n'
        'msgstr "說\\"%(name)s\\""\n'
        "\n"
        'msgid "%(n)s page"\n'
        'msgid_plural "%(n)s pages"\n'
        'msgstr[0] "%(n)s 頁"\n'
        '#~ msgid "Old"\n'
        '#~ msgstr "舊"\n'
    )

    header, quoted, plural = messages
    assert header.is_header
    assert quoted.msgctxt == "ctx"
    assert quoted.msgid == 'Say "%(name)s"\n\tthen go'
    assert quoted.msgstr == ('說"%(name)s"',)
    assert quoted.flags == {"fuzzy", "python-format"}
    assert quoted.comments == ("extracted note",)
    assert not quoted.is_translated
    assert plural.msgid_plural == "%(n)s pages"
    assert plural.msgstr == ("%(n)s 頁",)
    assert plural.is_translated


def test_the_po_parser_rejects_a_string_without_a_keyword() -> None:
    with pytest.raises(catalogues.PoSyntaxError):
        catalogues.parse_po('"dangling"\n')


def test_rendered_po_text_parses_back_to_the_same_messages() -> None:
    messages = [
        Message("a\nb", ('引號"與\\反斜線\n第二行',), flags=frozenset({"c-format"})),
        Message("n", ("個",), msgctxt="c", msgid_plural="ns", comments=("note",)),
    ]

    parsed = catalogues.parse_po(catalogues.render_po(HEADER, messages, ["x"]))

    assert parsed[0].msgstr == (HEADER,)
    assert parsed[1:] == messages


# --- conversion -----------------------------------------------------------------


def test_conversion_leaves_python_format_and_brace_placeholders_unchanged() -> None:
    text = "%(count)s 个页面,{title} 已发布到 %s;100%% {0}"

    converted = catalogues.convert_preserving_placeholders(text, to_traditional)

    assert converted == "%(count)s 個頁面,{title} 已發佈到 %s;100%% {0}"
    assert catalogues.placeholders(converted) == catalogues.placeholders(text)


def test_conversion_falls_back_to_converting_around_placeholders() -> None:
    def mangles_names(text: str) -> str:
        return to_traditional(text).replace("name", "NAME")

    converted = catalogues.convert_preserving_placeholders(
        "删除 %(name)s 的 {name}", mangles_names
    )

    assert converted == "刪除 %(name)s 的 {name}"


def test_conversion_refuses_to_break_a_placeholder() -> None:
    def adds_a_placeholder(text: str) -> str:
        return text + "{oops}" if text else text

    with pytest.raises(catalogues.PlaceholderChanged):
        catalogues.convert_preserving_placeholders("删除 %(name)s", adds_a_placeholder)


# --- collecting the gaps ------------------------------------------------------------


def test_a_message_that_any_app_translates_in_zh_hant_is_not_filled(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_po(
        first,
        "zh_Hans",
        'msgid "Page"\nmsgstr "页面"\n\nmsgid "Publish"\nmsgstr "发布"\n\n'
        'msgid "Edit"\nmsgstr "编辑"\n\n'
        'msgctxt "verb"\nmsgid "Order"\nmsgstr "排序"\n',
    )
    write_po(
        first,
        "zh_Hant",
        '#, fuzzy\nmsgid "Page"\nmsgstr "頁"\n\nmsgid "Publish"\nmsgstr ""\n',
    )
    write_po(
        second,
        "zh_Hant",
        'msgid "Edit"\nmsgstr "修改"\n\nmsgid "Order"\nmsgstr "訂單"\n',
    )
    write_po(second, "en", 'msgid "Untranslated everywhere"\nmsgstr ""\n')
    sources = [CatalogueSource("first", first), CatalogueSource("second", second)]

    fill = catalogues.collect_fill(sources, "django", to_traditional)

    assert {(m.msgctxt, m.msgid): m.msgstr for m in fill.messages} == {
        (None, "Page"): ("頁面",),
        (None, "Publish"): ("發佈",),
        ("verb", "Order"): ("排序",),
    }
    assert (fill.coverage.total, fill.coverage.before) == (6, 2)
    assert fill.coverage.after == 5


def test_the_first_installed_app_decides_a_disputed_zh_hans_translation(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write_po(first, "zh_Hans", 'msgid "Title"\nmsgstr "标题"\n')
    write_po(second, "zh_Hans", 'msgid "Title"\nmsgstr "题目"\n')
    sources = [CatalogueSource("first", first), CatalogueSource("second", second)]

    fill = catalogues.collect_fill(sources, "django", to_traditional)

    assert fill.messages[0].msgstr == ("標題",)
    assert fill.messages[0].comments == ("zh_Hans: first",)


# --- the committed catalogues, end to end ------------------------------------------


def test_a_wagtail_admin_string_its_zh_hant_catalogue_lacks_now_reads_traditional() -> (
    None
):
    hans = wagtail_admin_catalogue("zh_Hans", "django")
    hant = wagtail_admin_catalogue("zh_Hant", "django")
    assert "Aging pages" not in compiled_messages(hant)
    assert hans.gettext("Aging pages") == "较早的页面"

    with translation.override("zh-hant"):
        shown = translation.gettext("Aging pages")

    assert shown == "較早的頁面"


def test_every_wagtail_admin_gap_that_zh_hans_fills_reads_traditional() -> None:
    hans = wagtail_admin_catalogue("zh_Hans", "django")
    hant = wagtail_admin_catalogue("zh_Hant", "django")
    gaps = {
        key: value
        for key, value in compiled_messages(hans).items()
        if isinstance(key, str) and key and key not in compiled_messages(hant)
    }
    assert len(gaps) > 100  # Wagtail 7.4 leaves about 150 of them

    wrong = {}
    with translation.override("zh-hant"):
        for key, simplified in gaps.items():
            context, _, msgid = key.rpartition(catalogues.CONTEXT_SEPARATOR)
            traditional = to_traditional(simplified)
            shown = (
                translation.pgettext(context, msgid)
                if context
                else translation.gettext(msgid)
            )
            if shown == msgid != simplified or shown == simplified != traditional:
                wrong[key] = shown
    assert wrong == {}


def test_a_filled_plural_message_reads_traditional() -> None:
    with translation.override("zh-hant"):
        shown = translation.ngettext(
            "%(num_pages)d page has been moved",
            "%(num_pages)d pages have been moved",
            3,
        )

    assert shown == "已移動%(num_pages)d個頁面"


def test_wagtails_admin_javascript_catalogue_serves_the_filled_strings() -> None:
    assert "Collapse all" not in compiled_messages(
        wagtail_admin_catalogue("zh_Hant", "djangojs")
    )
    request = RequestFactory().get("/admin/jsi18n/")

    with translation.override("zh-hant"):
        body = js_catalog(request).content.decode()

    assert '"Collapse all": "\\u5168\\u90e8\\u6536\\u8d77"' in body  # 全部收起


def test_the_committed_catalogues_are_current() -> None:
    out = io.StringIO()

    call_command("fill_hant_catalogues", "--check", stdout=out)

    assert "django: " in out.getvalue()
    assert "current" in out.getvalue()


def test_check_fails_when_a_committed_catalogue_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogues, "OUTPUT_DIR", tmp_path)
    call_command("fill_hant_catalogues", stdout=io.StringIO())
    po = tmp_path / "zh_Hant" / "LC_MESSAGES" / "djangojs.po"
    po.write_bytes(po.read_bytes() + b"\n")

    with pytest.raises(CommandError, match=r"djangojs\.po"):
        call_command("fill_hant_catalogues", "--check", stdout=io.StringIO())
