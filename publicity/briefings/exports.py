"""A briefing as a file: .docx (python-docx), an A4 PDF and an A3 wall board (版報)
poster (WeasyPrint, with a CJK font: without one Chinese prints as blanks or boxes).

Rendering costs seconds, so it is the worker's job, and each file is kept per
version, language and script (``publicity.briefings.files``).
"""

import io
import mimetypes
import os
import re
from dataclasses import dataclass
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
from wagtail.rich_text import expand_db_html

from publicity.models import BriefingPage
from sanfu.lib.digits import parse_key

# Debian's fonts-noto-cjk gives the Sans family; the Serif one and other common CJK
# families follow in case a host has those instead.
CJK_FONTS = (
    '"Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", '
    '"Source Han Serif SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", sans-serif'
)
CJK_FONT_NAME = "Noto Sans CJK SC"

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

    @property
    def date_label(self) -> str:
        return str(formats.date_format(self.issue_date, "DATE_FORMAT"))


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


def briefing_content(page: BriefingPage) -> BriefingContent:
    """What an export holds, from the stored page or a draft revision's copy."""
    return BriefingContent(
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


def render_pdf(page: BriefingPage, *, wall_board: bool = False) -> bytes:
    from weasyprint import HTML

    template = (
        "publicity/briefing_wallboard.html"
        if wall_board
        else "publicity/briefing_pdf.html"
    )
    html = render_to_string(
        template, {"briefing": briefing_content(page), "fonts": mark_safe(CJK_FONTS)}
    )
    document = HTML(string=html, base_url=_BASE_URL, url_fetcher=media_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf


# --- .docx --------------------------------------------------------------------------


class _DocxWriter(HTMLParser):
    """Rich text into Word paragraphs: headings, lists, bold and italic runs, line
    breaks and pictures; anything else is read for its text."""

    BLOCKS = {"p", "div", "h2", "h3", "h4", "li", "blockquote"}

    def __init__(self, document: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph: Any = None
        self.bold = 0
        self.italic = 0
        self.lists: list[str] = []

    def _style_for(self, tag: str) -> str | None:
        if tag == "h2":
            return "Heading 3"
        if tag in {"h3", "h4"}:
            return "Heading 4"
        if tag == "li":
            return (
                "List Number"
                if self.lists and self.lists[-1] == "ol"
                else "List Bullet"
            )
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"ol", "ul"}:
            self.lists.append(tag)
        elif tag in self.BLOCKS:
            self.paragraph = self.document.add_paragraph(style=self._style_for(tag))
        elif tag in {"b", "strong"}:
            self.bold += 1
        elif tag in {"i", "em"}:
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "img":
            self._picture(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ol", "ul"} and self.lists:
            self.lists.pop()
        elif tag in self.BLOCKS:
            self.paragraph = None
        elif tag in {"b", "strong"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"i", "em"}:
            self.italic = max(0, self.italic - 1)

    def handle_data(self, data: str) -> None:
        if not data.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self.paragraph = self.document.add_paragraph()
        run = self.paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None

    def _picture(self, attrs: dict[str, str | None]) -> None:
        self.add_picture(attrs.get("src") or "")

    def add_picture(self, url: str, *, caption: str = "") -> None:
        from docx.shared import Cm

        data = read_media(url)
        if data is None:
            return
        try:
            self.document.add_picture(io.BytesIO(data), width=Cm(14))
        except Exception:
            return
        self.paragraph = None
        if caption:
            self.document.add_paragraph(caption, style="Caption")


def _use_cjk_font(document: Any) -> None:
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 3", "Heading 4"):
        style = document.styles[name]
        style.font.name = CJK_FONT_NAME
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), CJK_FONT_NAME)


def render_docx(page: BriefingPage) -> bytes:
    from docx import Document

    content = briefing_content(page)
    document = Document()
    _use_cjk_font(document)
    header = document.sections[0].header.paragraphs[0]
    header.text = f"{content.title}　{content.issue_label}　{content.date_label}"
    document.add_heading(content.title, level=0)
    document.add_paragraph(f"{content.issue_label}　{content.date_label}")
    _DocxWriter(document).feed(content.text)
    for article in content.articles:
        document.add_heading(article.title, level=1)
        meta = "　".join(
            part
            for part in (
                article.source,
                article.published_on.isoformat() if article.published_on else "",
            )
            if part
        )
        if meta:
            document.add_paragraph(meta)
        writer = _DocxWriter(document)
        writer.feed(article.body)
        for picture in article.pictures:
            writer.add_picture(picture.url, caption=picture.caption)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
