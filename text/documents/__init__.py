"""The one document layer: every .docx and PDF the platform issues goes through it.

The rules, written once here and in ``word.py`` (Word) and the print template
``documents/print_base.html`` (WeasyPrint):

- GB/T 9704-2012 党政机关公文格式: A4 paper; margins 37 mm top, 28 mm left, 26 mm
  right, 35 mm bottom (a 156 × 225 mm text block); title 2号 (22 pt) 小标宋, body 3号
  (16 pt) 仿宋, 22 lines of 28 characters; headings 黑体 (first level) and 楷体
  (second level); page numbers "— 1 —" in 4号 (14 pt) 宋体, outside edge; a red
  separator rule under the masthead.
- The 简报 layout: a red masthead with the briefing's name, 第N期, the 编印单位 and the
  date over a red rule; the 报/送/发 and 共印 block at the end.
- One script per document (``Script``, "hans" or "hant"): the reader's (the active
  language, as on the pages), or for documents made by the clock the site's default
  language; labels and data alike go through OpenCC.

Fonts: the .docx names the fonts an office PC has (the East-Asian font of every
run); the PDFs rendered here, and LibreOffice on this machine, use the closest free
fonts Debian installs (``make fonts``: fonts-noto-cjk, fonts-arphic-ukai):

    role       Word (office PCs)    free font here
    title      方正小标宋简体         Noto Serif CJK SC Bold (思源宋体)
    body       仿宋_GB2312           Noto Serif CJK SC (思源宋体)
    heading 1  黑体                  Noto Sans CJK SC (思源黑体)
    heading 2  楷体_GB2312           AR PL UKai CN (文鼎楷体), else Noto Serif CJK SC
    page no.   宋体                  Noto Serif CJK SC

``fonts.conf`` beside this file tells fontconfig (LibreOffice's and WeasyPrint's
font lookup) the same mapping, so a .docx opened here looks like its PDF.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

from text.script import Script, convert

HERE = Path(__file__).resolve().parent
BASE_DOCX = HERE / "base.docx"
FONTS_CONF = HERE / "fonts.conf"


@dataclass(frozen=True)
class Font:
    word: str  # the name Word knows on an office PC
    free: tuple[str, ...]  # what prints here, best first
    bold: bool = False

    @property
    def css(self) -> str:
        names = (self.word, *self.free)
        return ", ".join(f'"{name}"' for name in names) + ", serif"


TITLE = Font("方正小标宋简体", ("Noto Serif CJK SC", "Source Han Serif SC"), bold=True)
BODY = Font("仿宋_GB2312", ("Noto Serif CJK SC", "Source Han Serif SC"))
HEI = Font("黑体", ("Noto Sans CJK SC", "Source Han Sans SC"))
KAI = Font("楷体_GB2312", ("AR PL UKai CN", "Noto Serif CJK SC"))
SONG = Font("宋体", ("Noto Serif CJK SC", "Source Han Serif SC"))
LATIN = "Times New Roman"

# GB/T 9704-2012, in millimetres and points.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "left": 28, "right": 26, "bottom": 35}
TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
RED = "E60012"


def document_script(language: str | None = None) -> Script:
    """The script of a document for ``language`` (default: the active one, else the
    site's): traditional for zh-Hant, simplified otherwise (English documents show
    Chinese names in simplified, as English pages do)."""
    language = (
        language or translation.get_language() or settings.LANGUAGE_CODE
    ).lower()
    return "hant" if language == "zh-hant" else "hans"


def in_script(text: str, script: Script) -> str:
    """``text`` in ``script``: labels and data alike."""
    return convert(text, script) if text else text


def print_context(script: Script) -> dict[str, object]:
    """What ``documents/print_base.html`` needs: fonts, margins, colours."""
    return {
        "script": script,
        "html_lang": "zh-Hant" if script == "hant" else "zh-Hans",
        "font_title": TITLE.css,
        "font_body": BODY.css,
        "font_hei": HEI.css,
        "font_kai": KAI.css,
        "font_song": SONG.css,
        "margins": MARGINS_MM,
        "red": f"#{RED}",
    }
