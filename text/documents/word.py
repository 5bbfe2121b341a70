"""Official documents as .docx: every builder of the platform writes through
``OfficialDocx``, which starts from the base document we keep (``base.docx``: A4,
the GB/T 9704 margins and 22 × 28 grid, our styles only, none of python-docx's blue
Title or Heading styles) and names the Word font of every run as its East-Asian
font. Text passes through the document's script on the way in.

``python -m text.documents.word`` rebuilds ``base.docx`` from ``build_base``.
"""

import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from text.documents import (
    BASE_DOCX,
    BODY,
    BODY_PT,
    HEI,
    KAI,
    LATIN,
    MARGINS_MM,
    PAGE_MM,
    PAGE_NUMBER_PT,
    RED,
    SONG,
    TITLE,
    TITLE_PT,
    Font,
    in_script,
)
from text.script import Script

# The styles a document may use: ours, plus the few Word needs to exist.
STYLE_IDS = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
}
# Twentieths of a point: the 225 mm text block over 22 lines (28.95 pt).
LINE_PITCH = 579
# 28 characters of 16 pt in the 156 mm line: each character 0.25 pt narrower
# (in twentieths of a point). Word's character grid (linesAndChars) would do it
# too, but LibreOffice then gives every 16 pt character two grid cells.
CHAR_SPACING = -5
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]


def _fonts(rpr: Any, font: Font) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _put(rpr, OxmlElement("w:rFonts"), _RPR_ORDER)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), font.word)
    fonts.set(qn("w:hint"), "eastAsia")


def build_base() -> Any:
    """The base document: python-docx's own, stripped to the styles Word needs,
    with Normal set to 3号仿宋 and the GB/T 9704 page."""
    document = Document()
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in STYLE_IDS:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr_default):
        rpr_default.remove(child)
    _fonts(rpr_default, BODY)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(BODY_PT * 2))
    rpr_default.append(size)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(normal.element.get_or_add_rPr(), BODY)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    # GB/T 9704: the page number 7 mm under the text block, whose line is ~5 mm.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 6)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # No document grid (LibreOffice would print 19 lines on it): the body's
    # exact line height gives the 22 lines, in Word and LibreOffice alike.
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Twips(LINE_PITCH)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING))
    _put(normal.element.get_or_add_rPr(), spacing, _RPR_ORDER)
    # Word 2010's copy of python-docx's default styles (blue headings and all).
    for key, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[key]
    document.core_properties.author = ""
    document.core_properties.title = ""
    document.core_properties.comments = ""
    return document


class OfficialDocx:
    """A document being written: masthead, title, headings, paragraphs, tables,
    pictures and the closing block, every run with its Word font."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.document: Any = Document(str(BASE_DOCX))
        self._page_numbers()

    # -- text in -----------------------------------------------------------------

    def t(self, text: object) -> str:
        return in_script(str(text), self.script)

    def run(
        self,
        paragraph: Any,
        text: str,
        *,
        font: Font = BODY,
        size: float | None = None,
        bold: bool | None = None,
        italic: bool | None = None,
        color: str | None = None,
    ) -> Any:
        run = paragraph.add_run(self.t(text))
        _fonts(run._element.get_or_add_rPr(), font)
        if size is not None:
            run.font.size = Pt(size)
        run.bold = bold if bold is not None else (font.bold or None)
        run.italic = italic
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return run

    def paragraph(
        self,
        text: str = "",
        *,
        font: Font = BODY,
        size: float | None = None,
        align: Any = None,
        indent: bool = True,
        bold: bool | None = None,
        color: str | None = None,
    ) -> Any:
        """A body paragraph: first line indented two characters (GB/T 9704)."""
        paragraph = self.document.add_paragraph()
        if size is not None and size != BODY_PT:
            _off_grid(paragraph)
        if align is not None:
            paragraph.alignment = align
        if indent and align in (None, WD_ALIGN_PARAGRAPH.JUSTIFY):
            paragraph.paragraph_format.first_line_indent = Pt(2 * (size or BODY_PT))
        if text:
            self.run(paragraph, text, font=font, size=size, bold=bold, color=color)
        return paragraph

    # -- parts -------------------------------------------------------------------

    def title(self, text: str) -> Any:
        """The title: 2号小标宋, centred, a blank line under it."""
        paragraph = self.paragraph(
            text, font=TITLE, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        paragraph.paragraph_format.space_after = Pt(BODY_PT)
        return paragraph

    def heading(self, text: str, level: int = 1) -> Any:
        """一、 in 黑体 (level 1), （一） in 楷体 (level 2), body size, indented."""
        font = HEI if level <= 1 else KAI
        paragraph = self.paragraph(text, font=font)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def red_rule(self, paragraph: Any | None = None, *, width: int = 16) -> Any:
        """The red separator rule (a bottom border of ``paragraph`` or a new one)."""
        paragraph = (
            paragraph if paragraph is not None else self.document.add_paragraph()
        )
        _border(paragraph, "bottom", width, RED)
        return paragraph

    def masthead(self, name: str, issue: str, issuer: str, date: str) -> None:
        """The 简报 masthead: the name in red, 第N期, then the 编印单位 left and
        the date right over a red rule."""
        head = self.paragraph(
            name,
            font=TITLE,
            size=42,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            color=RED,
        )
        head.paragraph_format.space_before = Pt(12)
        self.paragraph(issue, align=WD_ALIGN_PARAGRAPH.CENTER)
        line = self.document.add_paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(
            Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT
        )
        line.paragraph_format.space_before = Pt(BODY_PT)
        self.run(line, issuer)
        self.run(line, "\t" + date)
        self.red_rule(line, width=24)
        self.document.add_paragraph()

    def office_head(self, issuer: str) -> None:
        """A 公文 masthead: the issuing office's name in red over a red rule."""
        head = self.paragraph(
            issuer, font=TITLE, size=30, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED
        )
        self.red_rule(head, width=24)
        self.document.add_paragraph()

    def meta(self, text: str) -> Any:
        """A line of particulars under a title: 楷体, centred."""
        return self.paragraph(text, font=KAI, align=WD_ALIGN_PARAGRAPH.CENTER)

    def table(self, header: Sequence[object], rows: Iterable[Sequence[object]]) -> Any:
        """A table in 4号仿宋 with a 黑体 header, thin black rules."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table)
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, font=HEI)
        _repeat_header(table.rows[0])
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                self._cell(cell, value)
        self.document.add_paragraph()
        return table

    def _cell(self, cell: Any, value: object, *, font: Font = BODY) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _off_grid(paragraph)
        self.run(paragraph, str(value), font=font, size=PAGE_NUMBER_PT)

    def picture(self, data: bytes, *, caption: str = "") -> bool:
        """A picture the text block's width at most, its caption in 楷体 under it."""
        try:
            self.document.add_picture(io.BytesIO(data), width=Mm(140))
        except Exception:
            return False
        paragraph = self.document.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _off_grid(paragraph)  # an exact line height would crop the picture
        for run in paragraph.runs:
            _fonts(run._element.get_or_add_rPr(), BODY)
        if caption:
            self.paragraph(
                caption, font=KAI, size=PAGE_NUMBER_PT, align=WD_ALIGN_PARAGRAPH.CENTER
            )
        return True

    def closing(self, lines: Sequence[str], copies: str | None = None) -> None:
        """The closing block (版记 / 报送发): each line (报：…, 发：…) between
        rules, then 共印 right-aligned, kept together."""
        self.document.add_paragraph()
        first = True
        for line in lines:
            paragraph = self.paragraph(indent=False)
            paragraph.paragraph_format.left_indent = Pt(BODY_PT)
            paragraph.paragraph_format.keep_with_next = True
            self.run(paragraph, line, size=PAGE_NUMBER_PT)
            if first:
                _border(paragraph, "top", 8, "000000")
                first = False
            _border(paragraph, "bottom", 4, "000000")
        if copies:
            paragraph = self.paragraph(
                copies,
                size=PAGE_NUMBER_PT,
                align=WD_ALIGN_PARAGRAPH.RIGHT,
                indent=False,
            )
            _border(paragraph, "bottom", 8, "000000")

    def signature(self, issuer: str, date: str) -> None:
        """The issuing office and date, right-aligned, four characters from the
        edge (GB/T 9704 成文日期)."""
        self.document.add_paragraph()
        for text in (issuer, date):
            paragraph = self.paragraph(
                text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False
            )
            paragraph.paragraph_format.right_indent = Pt(4 * BODY_PT)

    # -- pages -------------------------------------------------------------------

    def _page_numbers(self) -> None:
        """ "— 1 —" in 4号宋体: odd pages right, even pages left, one character in."""
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = None  # python-docx's footer part names a "Footer" style
            ppr = paragraph._p.pPr
            if ppr is not None and ppr.pStyle is not None:
                ppr.remove(ppr.pStyle)
            paragraph.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
            else:
                paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
            self.run(paragraph, "— ", font=SONG, size=PAGE_NUMBER_PT)
            _page_field(self.run(paragraph, "", font=SONG, size=PAGE_NUMBER_PT))
            self.run(paragraph, " —", font=SONG, size=PAGE_NUMBER_PT)

    def save(self, stream: IO[bytes]) -> None:
        self.document.save(stream)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


# The order of a paragraph's and a run's properties in the schema (ECMA-376
# CT_PPrBase, CT_RPr): Word refuses a file that breaks it.
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
_RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def _put(parent: Any, child: Any, order: list[str]) -> Any:
    """``child`` into ``parent`` at its place in ``order`` (replacing its twin)."""
    name = child.tag.split("}")[1]
    existing = parent.find(child.tag)
    if existing is not None:
        parent.remove(existing)
    successors = [f"w:{tag}" for tag in order[order.index(name) + 1 :]]
    parent.insert_element_before(child, *successors)
    return child


def _off_grid(paragraph: Any) -> None:
    """A title, a table cell, a caption: its own line height, not the body's grid
    (a 22 pt line would take two grid lines)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _put(paragraph._p.get_or_add_pPr(), snap, _PPR_ORDER)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _border(paragraph: Any, side: str, width: int, color: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _put(ppr, OxmlElement("w:pBdr"), _PPR_ORDER)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(width))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    # top, left, bottom, right in this order
    if side == "top":
        borders.insert(0, edge)
    else:
        borders.append(edge)


def _table_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tbl_pr.append(borders)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.replace(existing, width)
    else:
        tbl_pr.append(width)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _page_field(run: Any) -> None:
    r = run._element
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        r.append(element)
    number = OxmlElement("w:t")
    number.text = "1"
    r.append(number)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    r.append(end)


if __name__ == "__main__":
    build_base().save(str(BASE_DOCX))
    print(f"wrote {BASE_DOCX}")
