"""Turn an uploaded plain-text news article into its parts.

Articles reach us as the text files news sites export: usually no title line, a
dateline glued to the first sentence (本站3月28日訊, or without a date: 本網訊), and
the source and date on the last line (來源:中國水利網站 2007年3月28日). The source line
is the article's provenance, so a file without a readable one is refused rather than
filed under a guessed date; every refusal says what is wrong in words an editor can
act on.

The dateline is kept apart from the body (the page shows it once, as its lead). The
title is the headline when the file has one (a short line without a full stop
before the text), otherwise the first sentence cut at a punctuation boundary within
``TITLE_MAX_LENGTH`` characters.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from text.cleaning import clean_text
from text.script import to_simplified

# Counted without quotation marks: a quoted slogan is whole or absent, never cut.
TITLE_MAX_LENGTH = 40
SLUG_MAX_LENGTH = 50

# A text file has the odd form feed or tab; binary data is full of control bytes.
_BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")

_SOURCE_LINE = re.compile(r"^(?:來源|来源)\s*[:：]\s*(?P<rest>.*)$")
_DATE = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})"
)
_TRAILING_DATE = re.compile(rf"(?:{_DATE.pattern})$")
_WORD = r"[^\s,，。:：\d]"
# 本站3月28日訊, 新華社北京3月28日電（記者 …）: up to a few words of place or agency,
# the day, then 訊/讯/電/电 and a bracketed byline or a separator (so that
# 3月28日電視電話會議 is not taken for a dateline). Without a day only the forms
# that cannot be ordinary words: 本網訊, 本報北京訊, 新華社廣州電 (not 合作社停電).
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[^\s,，。:：]{0,20}?\d{1,2}\s*月\s*\d{1,2}\s*日"
    rf"|本[網网站報报刊台]{_WORD}{{0,10}}?"
    rf"|(?:新華社|新华社|中新社|中新網|中新网|人民網|人民网){_WORD}{{0,10}}?)"
    r"\s*[訊讯電电]"
    r"(?:\s*[(（][^()（）]{1,30}[)）]|(?=[\s:：,，]|$)))[\s:：,，]*"
)
_SENTENCE_END = "。！？!?；;"
_CLAUSE_END = _SENTENCE_END + "，,、：:"
_OPENING = "“‘「『《〈（(【〔"
_CLOSING = "”’」』》〉）)】〕"
_QUOTATION_MARKS = frozenset("“”‘’「」『』《》〈〉")
_TRAILING_PUNCTUATION = _CLAUSE_END + "…—-·. \t"
_SPACE = re.compile(r"\s+")


class ArticleImportError(ValueError):
    """An uploaded article cannot be imported; the message says why, translated."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    body: str
    source: str
    published_on: date
    dateline: str

    @property
    def slug(self) -> str:
        return article_slug(self.title, self.published_on)


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
    headline, dateline, body = _split_lead(lines)
    title = headline or _shorten(body.split("\n", 1)[0])
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


def _split_lead(lines: list[str]) -> tuple[str, str, str]:
    """Return the headline (or ""), the dateline (or "") and the body after them."""
    lines = [line for line in lines if line]
    headline = ""
    if (
        len(lines) > 1
        and _DATELINE.match(lines[0]) is None
        and (_DATELINE.match(lines[1]) or _is_headline(lines[0]))
    ):
        headline = lines.pop(0)
    dateline = ""
    match = _DATELINE.match(lines[0]) if lines else None
    if match is not None:
        dateline = match["dateline"]
        lines[0] = lines[0][match.end() :]
        if not lines[0]:
            # The dateline stands on a line of its own.
            lines.pop(0)
    return headline, dateline, "\n".join(lines)


def _is_headline(line: str) -> bool:
    """A short line without a full stop, followed by the text, is its headline."""
    return _length(line) <= TITLE_MAX_LENGTH and not any(
        char in _SENTENCE_END for char in line
    )


def _length(text: str) -> int:
    return sum(1 for char in text if char not in _QUOTATION_MARKS)


def _shorten(sentence: str) -> str:
    """Cut at the first sentence end, else at the last boundary within the limit.

    A boundary is a clause end or the end of a quotation, outside quotes and
    brackets, so a title never ends halfway through a quoted slogan with its
    closing quote missing. Without a boundary the sentence is cut at the limit.
    """
    last_boundary = 0
    depth = 0
    length = 0
    for index, char in enumerate(sentence):
        if char not in _QUOTATION_MARKS:
            length += 1
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
            if depth == 0 and length <= TITLE_MAX_LENGTH:
                last_boundary = index + 1
        elif depth == 0 and char in _CLAUSE_END:
            if length > TITLE_MAX_LENGTH:
                break
            if char in _SENTENCE_END:
                return sentence[:index].rstrip(_TRAILING_PUNCTUATION)
            last_boundary = index
        if length > TITLE_MAX_LENGTH and depth == 0 and last_boundary:
            break
    else:
        if length <= TITLE_MAX_LENGTH:
            return sentence.rstrip(_TRAILING_PUNCTUATION)
    cut = last_boundary or _hard_cut(sentence)
    return sentence[:cut].rstrip(_TRAILING_PUNCTUATION)


def _hard_cut(sentence: str) -> int:
    length = 0
    for index, char in enumerate(sentence):
        if char not in _QUOTATION_MARKS:
            length += 1
        if length > TITLE_MAX_LENGTH:
            return index
    return len(sentence)


def fold_title(title: str) -> str:
    """What two copies of one title share: simplified script, one width, no spaces.

    ``珠江委召開 會議`` and ``珠江委召开会议`` fold alike, so an article imported once
    in each script is recognised as the same.
    """
    folded = to_simplified(unicodedata.normalize("NFKC", title))
    return _SPACE.sub("", folded).casefold()


def article_slug(title: str, published_on: date) -> str:
    """A short ASCII slug: the date, then the title's pinyin, whole syllables only.

    ``2007-04-02-zhu-jiang-wei-zhao-kai-hui-yi``; never longer than
    ``SLUG_MAX_LENGTH`` however long the title, so the page's address stays short.
    """
    words = slugify(" ".join(lazy_pinyin(to_simplified(title))))
    slug = f"{published_on.isoformat()}-{words}".strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[: SLUG_MAX_LENGTH + 1].rsplit("-", 1)[0]
    return slug


def _error(message: str, filename: str) -> ArticleImportError:
    if filename:
        message = _("%(filename)s: %(problem)s") % {
            "filename": filename,
            "problem": message,
        }
    return ArticleImportError(message)
