"""The project's own catalogue: complete, compiled, and read in both scripts."""

import gettext
import io
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import translation
from pytest_django import Settings

from campaigns.models import Campaign, CampaignStatus
from campaigns.roles import CampaignRole
from org.models import UnitRole
from text import catalogues
from text.catalogues import Message
from text.script import to_traditional

LOCALE_DIR = Path(django_settings.BASE_DIR) / "sanfu" / "locale"
PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PROJECT_APPS = ("audit", "campaigns", "org", "publicity", "sanfu", "text")
# Han characters, CJK punctuation (。、「」) and full-width forms (，：（）)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def project_messages() -> list[Message]:
    """The entries of the project's zh_Hans catalogue, header left out."""
    return [message for message in catalogues.read_po(PO) if not message.is_header]


def shown(message: Message) -> str:
    """Look a message up as the code does, through the active language."""
    if message.msgid_plural is not None:
        if message.msgctxt is not None:
            return translation.npgettext(
                message.msgctxt, message.msgid, message.msgid_plural, 1
            )
        return translation.ngettext(message.msgid, message.msgid_plural, 1)
    if message.msgctxt is not None:
        return translation.pgettext(message.msgctxt, message.msgid)
    return translation.gettext(message.msgid)


class RequiredName(forms.Form):
    name = forms.CharField()


def required_error() -> str:
    form = RequiredName(data={})
    assert not form.is_valid()
    return str(form.errors["name"][0])


# --- the catalogue file -------------------------------------------------------------


def test_the_project_catalogue_collects_the_strings_of_every_project_app() -> None:
    referenced = {
        reference.split("/")[0]
        for line in PO.read_text(encoding="utf-8").splitlines()
        if line.startswith("#: ")
        for reference in line[3:].split()
    }

    assert set(PROJECT_APPS) <= referenced
    assert not any(reference.startswith(".venv") for reference in referenced)
    assert len(project_messages()) > 100


def test_no_app_keeps_a_catalogue_of_its_own_beside_the_project_one() -> None:
    base = Path(django_settings.BASE_DIR)

    assert [app for app in PROJECT_APPS if (base / app / "locale").is_dir()] == [
        "sanfu"
    ]
    assert not (catalogues.OUTPUT_DIR / "zh_Hans").exists()
    assert sorted(path.name for path in LOCALE_DIR.iterdir()) == ["zh_Hans"]


def test_every_project_message_is_translated_and_none_is_fuzzy() -> None:
    messages = project_messages()

    untranslated = [m.msgid for m in messages if not all(m.msgstr) or not m.msgstr]
    fuzzy = [m.msgid for m in messages if "fuzzy" in m.flags]
    assert untranslated == []
    assert fuzzy == []
    assert "fuzzy" not in catalogues.read_po(PO)[0].flags


def test_every_plural_message_has_the_single_form_chinese_uses() -> None:
    header = catalogues.read_po(PO)[0].msgstr[0]

    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert [
        m.msgid
        for m in project_messages()
        if m.msgid_plural is not None and len(m.msgstr) != 1
    ] == []


def test_every_translation_keeps_the_placeholders_of_its_msgid() -> None:
    changed = {
        m.msgid: m.msgstr[0]
        for m in project_messages()
        if sorted(catalogues.placeholders(m.msgstr[0]))
        != sorted(catalogues.placeholders(m.msgid))
    }

    assert changed == {}


def test_every_translation_is_written_with_chinese_characters_or_punctuation() -> None:
    assert [m.msgid for m in project_messages() if not CJK.search(m.msgstr[0])] == []


# --- the compiled catalogue ---------------------------------------------------------


def test_the_compiled_catalogue_holds_exactly_what_the_po_file_translates() -> None:
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    expected: dict[str | tuple[str, int], str] = {}
    for m in project_messages():
        key = m.msgid if m.msgctxt is None else f"{m.msgctxt}\x04{m.msgid}"
        if m.msgid_plural is None:
            expected[key] = m.msgstr[0]
        else:
            expected.update({(key, n): text for n, text in enumerate(m.msgstr)})

    catalogue = dict(vars(compiled)["_catalog"])
    header = catalogue.pop("")
    assert catalogue == expected
    assert header == catalogues.read_po(PO)[0].msgstr[0]
    assert compiled.info()["language"] == "zh_Hans"


def test_the_compiled_catalogue_is_the_one_the_check_command_expects() -> None:
    compiled = catalogues.compile_catalogues(LOCALE_DIR)

    assert list(compiled) == [Path("zh_Hans/LC_MESSAGES/django.mo")]
    assert catalogues.stale_files(compiled, LOCALE_DIR) == []


# --- what the interface shows -------------------------------------------------------


def test_project_strings_read_in_simplified_chinese_under_zh_hans() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Main tasks") == "主要任务"
        assert translation.gettext("Leading group") == "领导小组"
        assert str(CampaignRole.OFFICE_DIRECTOR.label) == "办公室主任"
        assert str(UnitRole.LIAISON.label) == "单位联络员"
        assert str(CampaignStatus.ACTIVE.label) == "进行中"
        assert str(Campaign._meta.verbose_name) == "活动"


def test_project_strings_read_in_traditional_chinese_under_zh_hant() -> None:
    with translation.override("zh-hant"):
        assert translation.gettext("Main tasks") == "主要任務"
        assert translation.gettext("Leading group") == "領導小組"
        assert str(CampaignRole.OFFICE_DIRECTOR.label) == "辦公室主任"
        assert str(UnitRole.LIAISON.label) == "單位聯絡員"
        assert str(CampaignStatus.ACTIVE.label) == "進行中"


def test_project_strings_stay_english_under_en() -> None:
    with translation.override("en"):
        assert translation.gettext("Main tasks") == "Main tasks"
        assert str(CampaignRole.OFFICE_DIRECTOR.label) == "Office director"


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_every_project_message_shows_the_projects_own_wording(language: str) -> None:
    """Even where Wagtail or Django translate the same msgid ("name", "title",
    "description"), the project's wording wins, in both scripts."""
    script = (lambda text: text) if language == "zh-hans" else to_traditional
    wrong = {}
    with translation.override(language):
        for m in project_messages():
            if shown(m) != script(m.msgstr[0]):
                wrong[m.msgid] = (shown(m), script(m.msgstr[0]))

    assert wrong == {}


def test_a_form_field_error_reads_in_simplified_chinese_under_zh_hans() -> None:
    with translation.override("zh-hans"):
        error = required_error()

    assert error != "This field is required."
    assert "字段" in error


def test_a_form_field_error_reads_in_traditional_chinese_under_zh_hant() -> None:
    with translation.override("zh-hant"):
        error = required_error()

    assert error != "This field is required."
    assert "欄位" in error
    assert error == to_traditional(error)


# --- how the project catalogue is compiled and filled --------------------------------


def write_po(locale_dir: Path, locale: str, body: str) -> Path:
    path = locale_dir / locale / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n' + body,
        encoding="utf-8",
    )
    return path


def test_compiling_leaves_out_fuzzy_and_empty_entries_as_msgfmt_does(
    tmp_path: Path,
) -> None:
    write_po(
        tmp_path,
        "zh_Hans",
        'msgid "Main tasks"\nmsgstr "主要任务"\n\n'
        '#, fuzzy\nmsgid "Phases"\nmsgstr "阶段"\n\n'
        'msgid "Meetings"\nmsgstr ""\n',
    )

    (relative, data), *others = catalogues.compile_catalogues(tmp_path).items()
    catalogues.write_files({relative: data}, tmp_path)
    with (tmp_path / relative).open("rb") as file:
        compiled = gettext.GNUTranslations(file)

    assert others == []
    assert relative == Path("zh_Hans/LC_MESSAGES/django.mo")
    assert compiled.gettext("Main tasks") == "主要任务"
    assert compiled.gettext("Phases") == "Phases"
    assert compiled.gettext("Meetings") == "Meetings"
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"


def test_a_project_translation_is_filled_even_where_an_app_translates_the_msgid(
    tmp_path: Path,
) -> None:
    project, app = tmp_path / "project", tmp_path / "app"
    write_po(
        project,
        "zh_Hans",
        'msgid "description"\nmsgstr "说明"\n\nmsgid "title"\nmsgstr "标题"\n',
    )
    write_po(project, "zh_Hant", 'msgid "title"\nmsgstr "題名"\n')
    write_po(app, "zh_Hans", 'msgid "description"\nmsgstr "描述"\n')
    write_po(app, "zh_Hant", 'msgid "description"\nmsgstr "描述"\n')
    sources = [
        catalogues.CatalogueSource("project", project, authoritative=True),
        catalogues.CatalogueSource("app", app),
    ]

    fill = catalogues.collect_fill(sources, "django", to_traditional)

    assert {m.msgid: m.msgstr for m in fill.messages} == {"description": ("說明",)}


WAGTAIL_GAPS = Path(django_settings.BASE_DIR) / "text" / "locale_wagtail"


def test_the_project_catalogue_comes_first_and_is_authoritative() -> None:
    first, second, *others = catalogues.installed_sources()

    assert (first.label, first.locale_dir.resolve()) == ("sanfu", LOCALE_DIR.resolve())
    assert first.authoritative
    # then the hand-made zh-Hans translations of what Wagtail's catalogues miss
    assert second.locale_dir.resolve() == WAGTAIL_GAPS.resolve()
    assert second.authoritative
    assert not any(source.authoritative for source in others)
    assert LOCALE_DIR.resolve() not in [s.locale_dir.resolve() for s in others]


def test_check_fails_when_a_project_po_changed_without_recompiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    project, fill = tmp_path / "locale", tmp_path / "fill"
    write_po(project, "zh_Hans", 'msgid "Main tasks"\nmsgstr "主要任务"\n')
    monkeypatch.setattr(catalogues, "OUTPUT_DIR", fill)
    settings.LOCALE_PATHS = [project, fill]
    call_command("fill_hant_catalogues", stdout=io.StringIO())
    call_command("fill_hant_catalogues", "--check", stdout=io.StringIO())
    mo = project / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert mo.is_file()

    write_po(project, "zh_Hans", 'msgid "Main tasks"\nmsgstr "主要工作"\n')

    with pytest.raises(CommandError, match=re.escape(str(mo))):
        call_command("fill_hant_catalogues", "--check", stdout=io.StringIO())
