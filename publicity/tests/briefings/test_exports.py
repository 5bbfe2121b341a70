"""The briefing as .docx, A4 PDF and A3 wall board: titles, Chinese glyphs (drawn,
not boxes), the masthead with the issue number and date, page numbers, the
pictures, in the reader's script (tests run in English: simplified)."""

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.utils import formats
from docx import Document

from publicity.briefings import actions, exports
from publicity.tests.briefings.conftest import ARTICLE_TITLES, add_article
from text.script import to_simplified

pytestmark = pytest.mark.django_db

A4 = (595.3, 841.9)
A3 = (841.9, 1190.6)


def pdf_pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    return [
        document[index].get_textpage().get_text_range()
        for index in range(len(document))
    ]


def test_the_docx_opens_and_holds_the_articles_titles_text_and_picture(published):
    data = exports.render_docx(published)
    document = Document(io.BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for title in ARTICLE_TITLES:
        assert to_simplified(title) in text
    assert "本期编者按" in text
    assert "服务基层" in text
    # the masthead: the name, the issue, the date
    masthead = [paragraph.text for paragraph in document.paragraphs[:3]]
    assert published.issue_label in masthead
    assert formats.date_format(published.issue_date, "DATE_FORMAT") in masthead[2]
    assert len(document.inline_shapes) == 1
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "服务基层" in bold


def test_a_traditional_reader_gets_the_briefing_in_traditional_script(published):
    document = Document(io.BytesIO(exports.render_docx(published, script="hant")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "服務基層" in text and "服务基层" not in text
    pages = pdf_pages(exports.render_pdf(published, script="hant"))
    assert "服務基層" in pages[0] and "服务基层" not in pages[0]


def test_the_pdf_is_a4_and_embeds_a_cjk_font(published):
    data = exports.render_pdf(published)
    document = pdfium.PdfDocument(data)
    width, height = document[0].get_size()
    assert (round(width, 1), round(height, 1)) == A4
    fonts = embedded_fonts(document[0])
    assert any("CJK" in name for name in fonts), fonts


def embedded_fonts(page: pdfium.PdfPage) -> set[str]:
    """Base names of the embedded fonts the page's text is drawn with."""
    names = set()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
        if not pdfium_c.FPDFFont_GetIsEmbedded(font):
            continue
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
        names.add(buffer.value.decode())
    return names


def char_crops(page: pdfium.PdfPage, text: str, scale: float = 4) -> list[bytes]:
    """The rendered pixels inside each character box of ``text`` on the page."""
    textpage = page.get_textpage()
    full = textpage.get_text_range()
    start = full.index(text)
    image = page.render(scale=scale).to_pil().convert("L")
    height = page.get_height()
    crops = []
    for index in range(start, start + len(text)):
        left, bottom, right, top = textpage.get_charbox(index)
        box = (
            int(left * scale),
            int((height - top) * scale),
            int(right * scale) + 1,
            int((height - bottom) * scale) + 1,
        )
        crops.append(image.crop(box).resize((24, 24)).point(lambda v: v < 128 and 255))
    return [crop.tobytes() for crop in crops]


def test_the_pdf_draws_chinese_glyphs_not_boxes(published):
    page = pdfium.PdfDocument(exports.render_pdf(published))[0]
    title = to_simplified(ARTICLE_TITLES[0])  # 珠江委深入基层调研: nine characters
    crops = char_crops(page, title)
    for crop in crops:
        assert crop.count(255) > 20  # something is drawn
    # A missing glyph is drawn as the same box (tofu) whatever the character;
    # drawn glyphs of nine different characters all differ.
    assert len(set(crops)) == len(set(title))


def test_page_one_has_the_masthead_and_every_page_its_number(
    published, column, articles
):
    from publicity.briefings import actions

    long = add_article(
        column, "長文", "".join(f"<p>第{n}段：基層群眾的聲音。</p>" for n in range(120))
    )
    published.refresh_from_db()
    page = actions.update_briefing(
        published,
        title=published.title,
        text=published.text,
        articles=[*articles, long],
        revision_id=published.latest_revision_id,
        actor=published.owner,
    )
    pages = pdf_pages(exports.render_pdf(page))
    assert len(pages) >= 2
    date = formats.date_format(published.issue_date, "DATE_FORMAT")
    assert "Issue 1" in pages[0]
    assert "".join(date.split()) in "".join(pages[0].split())
    for number, text in enumerate(pages, start=1):
        assert f"— {number} —" in text


def test_a_draft_says_it_has_no_number_yet(draft):
    text = pdf_pages(exports.render_pdf(draft))[0]
    assert "Draft (no number yet)" in text


def test_the_wall_board_is_an_a3_poster_with_the_pictures(published):
    document = pdfium.PdfDocument(exports.render_pdf(published, wall_board=True))
    page = document[0]
    width, height = page.get_size()
    assert (round(width, 1), round(height, 1)) == A3
    assert len(document) == 1
    text = page.get_textpage().get_text_range()
    for title in ARTICLE_TITLES:
        assert to_simplified(title) in text
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1


def test_the_pdf_fetches_nothing_but_our_media(published, column, monkeypatch):
    seen = []
    real = exports.read_media

    def spy(url):
        seen.append(url)
        return real(url)

    monkeypatch.setattr(exports, "read_media", spy)
    add_article(column, "外鏈", '<p><img src="http://169.254.169.254/x.png"></p>')
    assert exports.media_name("http://169.254.169.254/x.png") is None
    assert exports.media_name("/media/../settings.py") is None
    assert exports.media_name("/media/images/a.png") == "images/a.png"
    with pytest.raises(ValueError):
        exports.fetch_media("file:///etc/passwd")


@pytest.fixture
def with_field_pictures(world, column, articles):
    """The first article also has its body's picture in the images field (shown
    once), the second a picture in the images field only."""
    from publicity.models import ArticleImage
    from publicity.tests.briefings.conftest import make_image, publish

    in_body = int(articles[0].body.split('id="')[1].split('"')[0])
    ArticleImage.objects.create(page=articles[0], image_id=in_body, sort_order=0)
    ArticleImage.objects.create(
        page=articles[1], image=make_image(), caption="群眾取水現場", sort_order=0
    )
    briefing = actions.create_briefing(
        column, title="簡報", text="", articles=articles, actor=world.editor
    )
    return publish(briefing, world.editor)


def test_the_images_field_pictures_are_in_the_wall_board(with_field_pictures):
    data = exports.render_pdf(with_field_pictures, wall_board=True)
    page = pdfium.PdfDocument(data)[0]
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 2
    assert "群众取水现场" in page.get_textpage().get_text_range()


def test_the_images_field_pictures_are_in_the_pdf_and_the_docx(with_field_pictures):
    pdf = pdfium.PdfDocument(exports.render_pdf(with_field_pictures))
    images = [
        obj
        for index in range(len(pdf))
        for obj in pdf[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
    ]
    assert len(images) == 2
    document = Document(io.BytesIO(exports.render_docx(with_field_pictures)))
    assert len(document.inline_shapes) == 2
    assert "群众取水现场" in [paragraph.text for paragraph in document.paragraphs]
