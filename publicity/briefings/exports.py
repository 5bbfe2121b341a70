"""A briefing as a file: .docx (python-docx), an A4 PDF and an A3 wall board (版報)
poster (WeasyPrint, with a CJK font: without one Chinese prints as blanks or boxes).

Rendering costs seconds, so it is the worker's job, and each file is kept per
version, language and script (``publicity.briefings.files``).
"""

import mimetypes
import os
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from campaigns.models import Campaign
from core.digits import parse_key
from publicity.models import BriefingPage
from publicity.sanitise import plain_text
from text.documents import BODY, HEI, KAI, document_script, in_script, print_context
from text.documents.word import OfficialDocx
from text.script import Script

DOCX = "docx"
PDF = "pdf"
WALL_BOARD = "wallboard"
KINDS = {
    DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    PDF: ("application/pdf", "pdf"),
    WALL_BOARD: ("application/pdf", "pdf"),
}

_BASE_URL = "https://sanfu.invalid/"


@dataclass
class ExportPicture:
    url: str
    caption: str


@dataclass
class ExportArticle:
    title: str
    source: str
    published_on: date | None
    body: SafeString
    # The article's images field, after its text; a picture the text already
    # shows is not repeated.
    pictures: list[ExportPicture]


@dataclass
class BriefingContent:
    title: str
    issue_label: str
    issue_date: date
    text: SafeString
    articles: list[ExportArticle]
    # 编印单位, and the 报/送/发 block's lines, and 共印 N 份.
    issuer: str = ""
    distribution: list[str] = field(default_factory=list)
    copies: int = 0

    @property
    def date_label(self) -> str:
        return str(formats.date_format(self.issue_date, "DATE_FORMAT"))

    @property
    def compiled_by(self) -> str:
        return str(_("Compiled by %(issuer)s") % {"issuer": self.issuer})

    @property
    def copies_label(self) -> str:
        if not self.copies:
            return ""
        return str(_("(%(copies)d copies printed)") % {"copies": self.copies})


_IMAGE_EMBED = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def print_html(html: str) -> SafeString:
    """Stored rich text as HTML for print: pictures from their original files (a
    print wants the full resolution, and no web rendition is made on the way)."""
    from wagtail.images import get_image_model

    def picture(match: re.Match[str]) -> str:
        attrs = dict(_ATTRIBUTE.findall(match.group(0)))
        image_id = attrs.get("id", "")
        image = (
            get_image_model().objects.filter(pk=key).first()
            if (key := parse_key(image_id)) is not None
            else None
        )
        if image is None:
            return ""
        return format_html(
            '<img src="{}" alt="{}">', image.file.url, attrs.get("alt", "")
        )

    return mark_safe(expand_db_html(_IMAGE_EMBED.sub(picture, html)))


def field_pictures(article: Any) -> list[ExportPicture]:
    """The pictures of the article's images field, from their original files."""
    in_text = {
        attrs.get("id")
        for match in _IMAGE_EMBED.finditer(article.body)
        for attrs in [dict(_ATTRIBUTE.findall(match.group(0)))]
    }
    items = sorted(article.images.all(), key=lambda item: item.sort_order or 0)
    return [
        ExportPicture(url=item.image.file.url, caption=item.caption)
        for item in items
        if str(item.image_id) not in in_text
    ]


def issuer_and_distribution(
    campaign: Campaign | None,
) -> tuple[str, list[str], int]:
    """The campaign's office (编印单位), the 报/发 lines and the copies printed:
    reported to the body that ordered the campaign, sent to its organisation's
    units, one copy each."""
    if campaign is None:
        return "", [], 0
    from org.models import Unit

    issuer = campaign.issuing_office
    units = Unit.objects.filter(organisation=campaign.organisation).count()
    lines = []
    if campaign.ordered_by:
        lines.append(_("Reported to: %(to)s") % {"to": campaign.ordered_by})
    units_of = _("the units of %(organisation)s") % {
        "organisation": campaign.organisation.name
    }
    lines.append(_("Sent to: %(to)s") % {"to": units_of})
    return issuer, lines, units + (1 if campaign.ordered_by else 0)


def briefing_content(page: BriefingPage) -> BriefingContent:
    """What an export holds, from the stored page or a draft revision's copy."""
    issuer, distribution, copies = issuer_and_distribution(page.campaign)
    return BriefingContent(
        issuer=issuer,
        distribution=distribution,
        copies=copies,
        title=page.title,
        issue_label=page.issue_label,
        issue_date=page.issue_date,
        text=print_html(page.text),
        articles=[
            ExportArticle(
                title=article.title,
                source=article.source,
                published_on=article.published_on,
                body=print_html(article.body),
                pictures=field_pictures(article),
            )
            for article in page.chosen_articles()
        ],
    )


# --- Files from our own storage only -------------------------------------------------


def media_name(url: str) -> str | None:
    """The storage name behind a URL of our media, or None for anything else."""
    path = unquote(urlsplit(url).path)
    prefix = settings.MEDIA_URL
    if not path.startswith(prefix):
        return None
    name = os.path.normpath(path[len(prefix) :])
    if name.startswith("..") or os.path.isabs(name):
        return None
    return name


def read_media(url: str) -> bytes | None:
    name = media_name(url)
    if name is None or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def fetch_media(url: str) -> Any:
    """Our media files and nothing else (no network, no disk paths), whatever URLs
    the articles' HTML holds."""
    from weasyprint.urls import URLFetcherResponse

    data = read_media(url)
    if data is None:
        raise ValueError(f"not one of our media files: {url}")
    mime = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})


def media_fetcher() -> Any:
    """WeasyPrint's fetcher, answering with ``fetch_media`` only."""
    from weasyprint.urls import URLFetcher

    class MediaFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return fetch_media(url)

    return MediaFetcher(allowed_protocols=["https"])


# --- PDF ----------------------------------------------------------------------------


def render_pdf(
    page: BriefingPage, *, wall_board: bool = False, script: Script | None = None
) -> bytes:
    """The A4 简报 or the A3 wall board, in ``script`` (default: the active
    language's), through the one print template (``documents/print_base.html``)."""
    from weasyprint import HTML

    script = script or document_script()
    content = briefing_content(page)
    template = (
        "publicity/briefing_wallboard.html"
        if wall_board
        else "publicity/briefing_pdf.html"
    )
    context: dict[str, Any] = {"briefing": content, **print_context(script)}
    if wall_board:
        context["board"] = wall_board_layout(content)

    def laid_out() -> Any:
        html = in_script(render_to_string(template, context), script)
        return HTML(
            string=html, base_url=_BASE_URL, url_fetcher=media_fetcher()
        ).render()

    document = laid_out()
    # The wall board's size is an estimate: when the articles still run onto a
    # second sheet, the type and pictures are made smaller until they fit.
    while wall_board and len(document.pages) > 1:
        board = smaller(context["board"])
        if board is None:
            break
        context["board"] = board
        document = laid_out()
    pdf: bytes = document.write_pdf()
    return pdf


@dataclass
class BoardLayout:
    """How the A3 wall board fills its sheet: a type size for the amount of text
    and pictures, and the number of columns."""

    font_pt: float
    columns: int
    picture_mm: int


_BOARD_MIN_PT = 10.5
_BOARD_STEP = 0.92  # an eighth less area a step


def smaller(board: BoardLayout) -> BoardLayout | None:
    """The next smaller wall board layout, or None at the smallest type."""
    if board.font_pt <= _BOARD_MIN_PT:
        return None
    return BoardLayout(
        font_pt=max(_BOARD_MIN_PT, round(board.font_pt * _BOARD_STEP * 2) / 2),
        columns=board.columns,
        picture_mm=int(board.picture_mm * _BOARD_STEP),
    )


# The A3 sheet's text block (297 × 420 mm less 15 mm margins) less the masthead.
_BOARD_AREA_MM2 = (297 - 30) * (420 - 30 - 70)
_BOARD_LINE_HEIGHT = 1.55
_MM_PER_PT = 25.4 / 72


def wall_board_layout(content: BriefingContent) -> BoardLayout:
    """The size that lets the lead, the articles and their pictures fill one A3
    sheet: the text's area at size s is about chars × (s × 1.0) × (s × 1.55), so
    s follows from the area left over by the pictures, between 10.5 and 18 pt."""
    chars = len(plain_text(content.text)) + sum(
        len(plain_text(article.body)) + len(article.title) * 2 + 60
        for article in content.articles
    )
    pictures = sum(
        len(article.pictures) + article.body.count("<img")
        for article in content.articles
    )
    columns = 3 if len(content.articles) >= 3 or chars > 2500 else 2
    column_mm = (297 - 30 - 8 * (columns - 1)) / columns
    picture_mm = int(min(70, column_mm * 0.62))
    area = _BOARD_AREA_MM2 - pictures * (column_mm * picture_mm + 12 * column_mm)
    area = max(area, _BOARD_AREA_MM2 * 0.35) * 0.92  # paragraph ends, headings
    size_mm = (area / max(chars, 1) / _BOARD_LINE_HEIGHT) ** 0.5
    font_pt = round(min(18.0, max(10.5, size_mm / _MM_PER_PT)) * 2) / 2
    return BoardLayout(font_pt=font_pt, columns=columns, picture_mm=picture_mm)


# --- .docx --------------------------------------------------------------------------


_WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")


class _DocxWriter(HTMLParser):
    """Rich text into the official document's paragraphs: headings (黑体, 楷体),
    lists, bold and italic runs, line breaks and pictures; anything else is read
    for its text."""

    BLOCKS = {"p", "div", "h2", "h3", "h4", "li", "blockquote"}

    def __init__(self, document: OfficialDocx) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph: Any = None
        self.font = BODY
        self.bold = 0
        self.italic = 0
        self.lists: list[list[Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"ol", "ul"}:
            self.lists.append([tag, 0])
        elif tag in self.BLOCKS:
            self.font = {"h2": HEI, "h3": KAI, "h4": KAI}.get(tag, BODY)
            self.paragraph = self.document.paragraph()
            if tag == "li" and self.lists:
                kind = self.lists[-1]
                kind[1] += 1
                marker = f"{kind[1]}. " if kind[0] == "ol" else "· "
                self.document.run(self.paragraph, marker)
        elif tag in {"b", "strong"}:
            self.bold += 1
        elif tag in {"i", "em"}:
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.document.run(self.paragraph, "").add_break()
        elif tag == "img":
            self.add_picture(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ol", "ul"} and self.lists:
            self.lists.pop()
        elif tag in self.BLOCKS:
            self.paragraph = None
            self.font = BODY
        elif tag in {"b", "strong"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"i", "em"}:
            self.italic = max(0, self.italic - 1)

    def handle_data(self, data: str) -> None:
        # HTML's white space is one space, never a line: a line written after a
        # closed paragraph ("<p>…</p>\n第二段") is a paragraph of its own, not a
        # paragraph that opens with a break
        data = _WHITE_SPACE.sub(" ", data)
        if self.paragraph is None:
            data = data.lstrip()
            if not data:
                return
            self.paragraph = self.document.paragraph()
        self.document.run(
            self.paragraph,
            data,
            font=self.font,
            bold=bool(self.bold) or None,
            italic=bool(self.italic) or None,
        )

    def add_picture(self, url: str, *, caption: str = "") -> None:
        data = read_media(url)
        if data is not None and self.document.picture(data, caption=caption):
            self.paragraph = None


def render_docx(page: BriefingPage, *, script: Script | None = None) -> bytes:
    """The 简报 as Word: the red masthead, the editor's text, the articles, the
    报/发 block; in ``script`` (default: the active language's)."""
    content = briefing_content(page)
    document = OfficialDocx(script or document_script())
    document.masthead(
        content.title,
        content.issue_label,
        content.compiled_by,
        content.date_label,
    )
    _DocxWriter(document).feed(content.text)
    for article in content.articles:
        document.paragraph()
        document.title(article.title)
        meta = "　".join(
            part
            for part in (
                article.source,
                article.published_on.isoformat() if article.published_on else "",
            )
            if part
        )
        if meta:
            document.meta(meta)
        writer = _DocxWriter(document)
        writer.feed(article.body)
        for picture in article.pictures:
            writer.add_picture(picture.url, caption=picture.caption)
    document.closing(content.distribution, content.copies_label)
    return document.bytes()
