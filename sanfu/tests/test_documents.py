"""Every document kind the platform issues, from the demo, in the official format
(text.documents): an A4 page with the GB/T 9704 margins, a Word East-Asian font on
every run, none of python-docx's default styles, one script throughout; and, where
LibreOffice is installed, the pages it prints."""

import ctypes.util
import io
import logging
import re
import shutil
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
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
def demo(demo_once: None, db: None) -> None:
    """The demo (loaded once for the module: conftest's ``demo_once``)."""


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


def pdfimages(page) -> list[object]:  # type: ignore[no-untyped-def]
    return [
        item for item in page.get_objects() if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
    ]


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


# --- What a render needs, on every path that runs the site -------------------------

ROOT = Path(__file__).resolve().parents[2]
HARFBUZZ_SUBSET = "libharfbuzz-subset0"
FONTTOOLS_FALLBACK = "Using fontTools instead of HarfBuzz"


@pytest.mark.skipif(
    ctypes.util.find_library("harfbuzz-subset") is None,
    reason=f"{HARFBUZZ_SUBSET} not installed (make fonts)",
)
def test_a_pdf_embeds_its_fonts_through_harfbuzz_subset(demo, caplog):
    # Without HarfBuzz's subsetter WeasyPrint falls back to fontTools: 16 s to
    # embed the CJK fonts of one briefing instead of 0.25 s.
    from weasyprint.text import ffi

    from publicity.briefings import exports
    from publicity.models import BriefingPage

    assert ffi.harfbuzz_subset is not None
    briefing = BriefingPage.objects.live().exclude(campaign=None).first()
    assert briefing is not None
    caplog.set_level(logging.WARNING, logger="weasyprint")
    with translation.override("zh-hans"):
        for wall_board in (False, True):
            assert exports.render_pdf(briefing, wall_board=wall_board)[:5] == b"%PDF-"
    fallbacks = [r for r in caplog.records if FONTTOOLS_FALLBACK in r.getMessage()]
    assert not fallbacks, [record.getMessage() for record in fallbacks]


def makefile() -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """The Makefile's variables, each target's prerequisites and its recipe."""
    variables: dict[str, str] = {}
    prerequisites: dict[str, list[str]] = {}
    recipes: dict[str, str] = {}
    target = None
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("\t") and target is not None:
            recipes[target] += line + "\n"
        elif match := re.match(r"^([A-Za-z_][\w]*)\s*(?::=|\?=|=)\s*(.*)$", line):
            variables[match.group(1)] = match.group(2).strip()
            target = None
        elif match := re.match(r"^([\w.$()/-]+)\s*:(?!=)\s*(.*)$", line):
            target = match.group(1)
            prerequisites[target] = match.group(2).replace("|", " ").split()
            recipes[target] = ""
        elif line.strip() and not line.startswith("#"):
            target = None
    return variables, prerequisites, recipes


def test_make_run_serve_and_test_install_harfbuzz_subset():
    variables, prerequisites, recipes = makefile()
    packages = variables["PDF_PACKAGES"].split()
    assert HARFBUZZ_SUBSET in packages
    assert {"fonts-noto-cjk", "fonts-arphic-ukai"} <= set(packages)

    def closure(target: str) -> set[str]:
        seen: set[str] = set()
        todo = [target]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(prerequisites.get(name, []))
        return seen

    installers = {
        name
        for name, recipe in recipes.items()
        if "apt-get install" in recipe and "$(PDF_PACKAGES)" in recipe
    }
    assert installers == {"fonts"}, installers
    # fonts installs them unless all are there: the library is checked too, not
    # only the fonts (chromium's dependencies bring the fonts without it)
    assert "libharfbuzz-subset" in recipes["fonts"].split("||")[0]
    for target in ("run", "serve", "test", "stack-test", "documents-preview"):
        assert "fonts" in closure(target), target


def test_the_deploy_notes_name_the_pdf_packages():
    variables, _prerequisites, _recipes = makefile()
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    worker = (ROOT / "deploy" / "systemd" / "sanfu-worker.service").read_text()
    for package in variables["PDF_PACKAGES"].split():
        assert f"`{package}`" in production, package
        assert package in worker, package


def test_the_worker_warms_up_before_its_first_task(database_tasks, monkeypatch):
    # A fresh worker would otherwise pay on its first task for Wagtail's hook
    # discovery (pulled in by expand_db_html), WeasyPrint and the CJK fonts, and
    # jieba's dictionaries (a report's hot topics): 3-10 s.
    from django_tasks_db.management.commands.db_worker import Command as DbWorker
    from wagtail import hooks

    from publicity.briefings import files
    from text import segment

    done: list[str] = []

    def spy(module, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
        real = getattr(module, name)

        def called(*args, **kwargs):  # type: ignore[no-untyped-def]
            done.append(label)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, called)

    monkeypatch.setattr(hooks, "_searched_for_hooks", False)
    monkeypatch.setattr(segment, "_tokenizer", None)
    spy(hooks, "search_for_hooks", "wagtail hooks")
    spy(files, "warm_up", "weasyprint")
    spy(segment, "_build_tokenizer", "jieba")
    monkeypatch.setattr(DbWorker, "handle", lambda self, **kw: done.append("tasks"))

    # as the systemd unit and `make serve` start it
    out = io.StringIO()
    call_command("db_worker", "--backend", "sanfu", "--no-reload", stdout=out)
    assert done[0] == "wagtail hooks"
    assert {"weasyprint", "jieba"} <= set(done[:-1]), done
    assert done[-1] == "tasks" and done.count("tasks") == 1
    assert "Warmed up in" in out.getvalue()

    # a batch (the tests, a one-off) is not warmed; with the reloader only its
    # child, which runs the tasks (`make run`)
    done.clear()
    call_command("db_worker", "--backend", "sanfu", "--batch", stdout=io.StringIO())
    call_command("db_worker", "--backend", "sanfu", "--reload", stdout=io.StringIO())
    assert done == ["tasks", "tasks"]
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("db_worker", "--backend", "sanfu", "--reload", stdout=io.StringIO())
    assert "weasyprint" in done and done[-1] == "tasks"


def test_the_pdf_masthead_keeps_the_issuer_and_date_on_one_line(demo):
    # the 编印单位 at the left, the date at the right, over the red rule: a long
    # office name wrapped "编" and "印" onto two lines
    from publicity.briefings import exports
    from publicity.models import BriefingPage

    briefing = BriefingPage.objects.live().exclude(campaign=None).first()
    assert briefing is not None
    with translation.override("zh-hans"):
        pdf = pdfium.PdfDocument(exports.render_pdf(briefing))
    textpage = pdf[0].get_textpage()
    text = textpage.get_text_range()
    issuer = briefing.campaign.issuing_office
    start = text.index(to_simplified(issuer)[:4])
    end = text.index("日", start)  # the date's last character
    line = [
        textpage.get_charbox(index)
        for index in range(start, end + 1)
        if not text[index].isspace()
    ]
    bottoms = [box[1] for box in line]  # a glyph's own, within a few points
    assert max(bottoms) - min(bottoms) < 8, text[start : end + 1]


def test_the_wall_board_with_pictures_still_fills_one_a3_sheet(
    demo, settings, tmp_path
):
    # three articles with a landscape photo each: the estimated type size left
    # the last article's end on a second sheet
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from publicity.briefings import exports
    from publicity.models import ArticleImage, BriefingPage

    settings.MEDIA_ROOT = str(tmp_path)
    briefing = (
        BriefingPage.objects.live()
        .exclude(campaign=None)
        .order_by("-issue_number", "-pk")
        .first()
    )
    assert briefing is not None
    for number, article in enumerate(briefing.chosen_articles()[:3]):
        out = io.BytesIO()
        PILImage.new("RGB", (600, 400), (40 * number, 120, 200)).save(out, "JPEG")
        picture = Image.objects.create(
            title="现场照片", file=ImageFile(out, name=f"photo{number}.jpg")
        )
        ArticleImage.objects.create(page=article, image=picture, caption="现场照片")
    with translation.override("zh-hans"):
        board = pdfium.PdfDocument(exports.render_pdf(briefing, wall_board=True))
    assert len(board) == 1
    assert len(pdfimages(board[0])) == 3
