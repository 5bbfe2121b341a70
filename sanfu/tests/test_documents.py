"""Every document kind the platform issues, from the demo, in the official format
(text.documents): an A4 page with the GB/T 9704 margins, a Word East-Asian font on
every run, none of python-docx's default styles, one script throughout; and, where
LibreOffice is installed, the pages it prints."""

import io
import re
import shutil
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.utils import translation

from sanfu.documents_preview import Rendered, demo_documents, soffice, to_pdf
from text.documents import BODY, HEI, KAI, SONG, TITLE, document_script
from text.script import convert, to_simplified

pytestmark = pytest.mark.django_db

KINDS = {
    "briefing.docx",
    "weekly-report.docx",
    "phase-report.docx",
    "circular.docx",
    "reminder.docx",
    "notice-circular.docx",
}
WORD_FONTS = {font.word for font in (TITLE, BODY, HEI, KAI, SONG)}
# python-docx's default template: its styles and their blue.
DEFAULT_STYLES = re.compile(r'w:(?:pStyle|rStyle|tblStyle) w:val="(?!Normal")([^"]+)"')
PYTHON_DOCX_BLUE = ("17365D", "365F91", "4F81BD", "1F497D")
A4_TWIPS = 'w:w="11906" w:h="16838"'
# 37 mm top, 26 mm right, 35 mm bottom, 28 mm left, in twentieths of a point
MARGINS = {"top": "2098", "right": "1474", "bottom": "1984", "left": "1587"}


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    call_command("load_demo", stdout=io.StringIO())


def documents(language: str) -> dict[str, Rendered]:
    with translation.override(language):
        script = document_script()
        return {item.name: item for item in demo_documents(script)}


def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        }


def words(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_every_docx_is_an_official_a4_document_in_one_script(demo, language):
    rendered = documents(language)
    assert set(rendered) >= KINDS, sorted(rendered)
    for name in sorted(KINDS):
        xml = parts(rendered[name].content)
        body = xml["word/document.xml"]
        assert f"<w:pgSz {A4_TWIPS}/>" in body, name
        margins = re.search(r"<w:pgMar ([^>]*)/>", body)
        assert margins, name
        for side, twips in MARGINS.items():
            assert f'w:{side}="{twips}"' in margins.group(1), (name, side)
        for part, text in xml.items():
            if not re.match(r"word/(document|header\d*|footer\d*)\.xml", part):
                continue
            for run in re.findall(r"<w:r>.*?</w:r>|<w:r [^>]*>.*?</w:r>", text):
                font = re.search(r'w:eastAsia="([^"]+)"', run)
                assert font and font.group(1) in WORD_FONTS, (name, part, run[:300])
            assert not DEFAULT_STYLES.findall(text), (name, part)
        styles = xml["word/styles.xml"]
        ids = set(re.findall(r'w:styleId="([^"]+)"', styles))
        assert ids <= {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}, (
            name,
            ids,
        )
        assert "word/stylesWithEffects.xml" not in xml, name
        assert not any(blue in styles for blue in PYTHON_DOCX_BLUE), name
        text = words(body)
        # the clock's documents are in the site's script, whoever reads them
        by_clock = name in {"reminder.docx", "notice-circular.docx"}
        if language == "zh-hans" or by_clock:
            assert to_simplified(text) == text, (name, _diff(text, to_simplified))
        else:
            to_hant = lambda value: convert(value, "hant")  # noqa: E731
            assert to_hant(text) == text, (name, _diff(text, to_hant))


def _diff(text: str, conversion) -> list[str]:  # type: ignore[no-untyped-def]
    return [c for c in dict.fromkeys(text) if conversion(c) != c][:20]


def test_the_simplified_reader_gets_simplified_labels_and_data(demo):
    rendered = documents("zh-hans")
    briefing = words(parts(rendered["briefing.docx"].content)["word/document.xml"])
    # the seed article's 珠江委於 / 並成立, and the campaign's 服務
    assert "珠江委于" in briefing and "并成立" in briefing
    assert "珠江委於" not in briefing and "並成立" not in briefing
    weekly = words(parts(rendered["weekly-report.docx"].content)["word/document.xml"])
    assert "「三服务一促进」主题实践活动" in weekly
    assert "服務" not in weekly
    circular = words(parts(rendered["circular.docx"].content)["word/document.xml"])
    # the month written as a month, not 「…活動：2007-06 通报」
    assert "年" in circular and "月" in circular
    assert not re.search(r"：\d{4}-\d{2}", circular)


def test_the_briefing_has_the_red_masthead_and_the_closing_block(demo):
    rendered = documents("zh-hans")
    xml = parts(rendered["briefing.docx"].content)["word/document.xml"]
    # the name in red, the red rule under the 编印单位 and date line
    assert re.search(r'<w:color w:val="E60012"/>', xml)
    rule = r'<w:bottom w:val="single" w:sz="24" w:space="1" w:color="E60012"/>'
    assert re.search(rule, xml)
    footer = parts(rendered["briefing.docx"].content)["word/footer1.xml"]
    assert "— " in words(footer) and "PAGE" in footer
    text = words(xml)
    assert "第1期" in text


def test_the_wall_board_fills_one_a3_sheet(demo):
    rendered = documents("zh-hans")
    board = pdfium.PdfDocument(rendered["wallboard.pdf"].content)
    assert len(board) == 1
    width, height = board[0].get_size()
    assert (round(width), round(height)) == (842, 1191)
    # the articles reach the lower part of the sheet, in every column
    textpage = board[0].get_textpage()
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    low = [box for box in boxes if box[1] < height * 0.35 and box[2] > box[0]]
    columns = {int(box[0] // (width / 3)) for box in low}
    assert columns == {0, 1, 2}, columns


@pytest.mark.skipif(
    soffice() is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice not installed (make test-deps)",
)
def test_libreoffice_prints_the_briefing_weekly_report_and_circular_on_a4(
    demo, tmp_path: Path
):
    rendered = documents("zh-hans")
    for name, most in (
        ("briefing.docx", 12),
        ("weekly-report.docx", 8),
        ("circular.docx", 8),
    ):
        path = tmp_path / name
        path.write_bytes(rendered[name].content)
        pdf = pdfium.PdfDocument(to_pdf(path, tmp_path).read_bytes())
        assert 1 <= len(pdf) <= most, (name, len(pdf))
        for page in pdf:
            width, height = page.get_size()
            assert (round(width), round(height)) == (595, 842), name
        for number in range(len(pdf)):
            text = pdf[number].get_textpage().get_text_range()
            assert f"— {number + 1} —" in text, (name, number)
