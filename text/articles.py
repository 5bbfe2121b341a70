"""Turn an uploaded plain-text news article into its parts.

Articles reach us as the text files news sites export: no title line, a dateline
glued to the first sentence (本站3月28日訊), and the source and date on the last
line (來源:中國水利網站 2007年3月28日). The source line is the article's provenance,
so a file without a readable one is refused rather than filed under a guessed date;
every refusal says what is wrong in words an editor can act on.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from text.cleaning import clean_text

TITLE_MAX_LENGTH = 60

# A text file has the odd form feed or tab; binary data is full of control bytes.
_BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")

_SOURCE_LINE = re.compile(r"^(?:來源|来源)\s*[:：]\s*(?P<rest>.*)$")
_DATE = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})"
)
_TRAILING_DATE = re.compile(rf"(?:{_DATE.pattern})$")
# 本站3月28日訊, 新華社北京3月28日電（記者 …）: up to a few words of place or agency,
# the day, then 訊/讯/電/电 and a bracketed byline or a separator (so that
# 3月28日電視電話會議 is not taken for a dateline).
_DATELINE = re.compile(
    r"^(?P<dateline>[^\s,，。:：]{0,20}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*[訊讯電电]"
    r"(?:\s*[(（][^()（）]{1,30}[)）]|(?=[\s:：,，]|$)))[\s:：,，]*"
)
_SENTENCE_END = "。！？!?；;"
_CLAUSE_END = _SENTENCE_END + "，,、：:"
_OPENING = "“‘「『《〈（(【〔"
_CLOSING = "”’」』》〉）)】〕"
_TRAILING_PUNCTUATION = _CLAUSE_END + "…—-·. \t"


class ArticleImportError(ValueError):
    """An uploaded article cannot be imported; the message says why, translated."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    body: str
    source: str
    published_on: date
    dateline: str


def parse_article(raw: bytes, *, filename: str = "") -> ParsedArticle:
    """Parse the bytes of an uploaded article, or raise ArticleImportError.

    ``filename`` only names the file in error messages.
    """
    if not raw.strip():
        raise _error(_("The file is empty."), filename)
    if b"\x00" in raw:
        raise _error(
            _("The file contains binary data (NUL bytes), not plain text."), filename
        )
    try:
        # utf-8-sig drops the byte order mark Windows editors put in front.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(
            _(
                "The file is not UTF-8 text (invalid byte at position %(position)d). "
                "Save it as UTF-8 and upload it again."
            )
            % {"position": exc.start},
            filename,
        ) from exc
    if _looks_binary(text):
        raise _error(
            _("The file contains binary data (control characters), not plain text."),
            filename,
        )

    lines = clean_text(text).split("\n")
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise _error(_("The file is empty."), filename)
    source, published_on = _parse_source_line(lines.pop(), filename)
    body = "\n".join(lines).strip("\n")
    dateline, title = _derive_title(body)
    if not title:
        raise _error(_("The file has a source line but no article text."), filename)
    return ParsedArticle(
        title=title,
        body=body,
        source=source,
        published_on=published_on,
        dateline=dateline,
    )


def _looks_binary(text: str) -> bool:
    controls = sum(
        1 for char in text if ord(char) < 0x20 and char not in _TEXT_CONTROLS
    )
    return controls > len(text) * _BINARY_CONTROL_SHARE


def _parse_source_line(line: str, filename: str) -> tuple[str, date]:
    match = _SOURCE_LINE.match(line)
    if match is None:
        raise _error(
            _(
                "The last line must give the source and the date, for example "
                "“来源:中国水利网站 2007年3月28日”."
            ),
            filename,
        )
    rest = match["rest"]
    date_match = _TRAILING_DATE.search(rest)
    if date_match is None:
        raise _error(
            _(
                "The source line “%(line)s” has no date in the form 2007年3月28日 "
                "or 2007-03-28."
            )
            % {"line": line},
            filename,
        )
    source = rest[: date_match.start()].strip()
    if not source:
        raise _error(
            _("The source line “%(line)s” does not name the source.") % {"line": line},
            filename,
        )
    year, month, day = (
        int(value) for value in date_match.groups() if value is not None
    )
    try:
        published_on = date(year, month, day)
    except ValueError as exc:
        raise _error(
            _("The date “%(date)s” in the source line does not exist.")
            % {"date": date_match[0]},
            filename,
        ) from exc
    return source, published_on


def _derive_title(body: str) -> tuple[str, str]:
    """Return the dateline and a title made of the first sentence after it."""
    lines = [line for line in body.split("\n") if line] or [""]
    match = _DATELINE.match(lines[0])
    dateline = match["dateline"] if match else ""
    sentence = lines[0][match.end() :] if match else lines[0]
    if not sentence and len(lines) > 1:
        # The dateline stands on a line of its own.
        sentence = lines[1]
    return dateline, _shorten(sentence)


def _shorten(sentence: str) -> str:
    """Cut at the first sentence end, then at a clause end within the length limit.

    Only punctuation outside quotes and brackets counts, so a title never ends
    halfway through a quoted slogan with its closing quote missing.
    """
    cut = len(sentence)
    last_clause_end = 0
    depth = 0
    for index, char in enumerate(sentence):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _CLAUSE_END:
            if index > TITLE_MAX_LENGTH:
                break
            last_clause_end = index
            if char in _SENTENCE_END:
                cut = index
                break
    if cut > TITLE_MAX_LENGTH:
        cut = last_clause_end or TITLE_MAX_LENGTH
    return sentence[:cut].rstrip(_TRAILING_PUNCTUATION)


def _error(message: str, filename: str) -> ArticleImportError:
    if filename:
        message = _("%(filename)s: %(problem)s") % {
            "filename": filename,
            "problem": message,
        }
    return ArticleImportError(message)
