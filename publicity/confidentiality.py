"""The confidentiality check before publication (涉密信息不上網).

Resident ID numbers (18 characters whose last is a checksum, GB 11643), phone numbers
and the office's list of sensitive words (in either script, any width, across spaces
and punctuation: ``text.folding``) are looked for in an article's title, summary,
text, image captions, attachments' names and the text of attached Word, Excel and
PDF files. An attachment that could not be read is itself a finding. Each finding
must be edited out or dismissed by a reviewer with a reason before the article can
be approved.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from core.digits import is_digits
from publicity import attachment_text
from publicity.models import (
    ArticlePage,
    FindingDismissal,
    FindingKind,
    SensitiveWord,
)
from publicity.sanitise import plain_text
from publicity.uploads import MAX_ATTACHMENT_BYTES
from text.folding import fold, fold_with_positions

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
# Mainland mobiles (11 digits from 13 to 19) and landlines with an area code.
_PHONE = re.compile(
    r"(?<!\d)(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8})(?!\d)"
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def is_id_number(text: str) -> bool:
    if len(text) != 18 or not is_digits(text[:17]):
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(text[:17], _WEIGHTS, strict=True)
    )
    return _CHECK[total % 11] == text[17].upper()


@dataclass(frozen=True)
class Finding:
    kind: str
    # the number, the configured word, or the name of a file not checked: what a
    # reviewer dismisses
    text: str
    # the field or file it was found in (translated when shown)
    where: str | Promise
    dismissal: FindingDismissal | None = None
    # the text as the article wrote it (内部资料 for the word 內部資料), or why a
    # file was not checked
    matched: str | Promise = ""

    @property
    def resolved(self) -> bool:
        return self.dismissal is not None

    @property
    def kind_label(self) -> str:
        return str(FindingKind(self.kind).label)


Hit = tuple[str, str, str | Promise, str | Promise]


def scan(texts: Iterable[tuple[str | Promise, str]], words: list[str]) -> list[Hit]:
    """(kind, text, where, matched) for each distinct finding in the texts, each
    named by where it is. Words are looked for in folded text (``text.folding``):
    in either script, in any width, across spaces and punctuation."""
    found: dict[tuple[str, str], tuple[str | Promise, str | Promise]] = {}
    folded_words = [(word, fold(word)) for word in words if word]
    for where, text in texts:
        for match in _ID_NUMBER.finditer(text):
            if is_id_number(match[0]):
                key = (FindingKind.ID_NUMBER.value, match[0].upper())
                found.setdefault(key, (where, match[0]))
        for match in _PHONE.finditer(text):
            digits = re.sub(r"\D", "", match[0])
            found.setdefault((FindingKind.PHONE.value, digits), (where, match[0]))
        if not folded_words:
            continue
        folded = fold_with_positions(text)
        for word, needle in folded_words:
            spans = folded.find_all(needle)
            if spans:
                start, end = spans[0]
                found.setdefault(
                    (FindingKind.WORD.value, word), (where, text[start:end])
                )
    return [
        (kind, text, where, matched) for (kind, text), (where, matched) in found.items()
    ]


_PROBLEMS = {
    attachment_text.UNREADABLE: gettext_lazy("the file could not be read"),
    attachment_text.NO_TEXT: gettext_lazy(
        "the file holds no text to check (a scan?): read it yourself"
    ),
    attachment_text.TRUNCATED: gettext_lazy(
        "the file is too long to check in full: read it yourself"
    ),
}


def _file_name(document: Any) -> str:
    return PurePath(document.file.name).name or document.title


def article_texts(
    page: ArticlePage,
) -> tuple[list[tuple[str | Promise, str]], list[Hit]]:
    """The named texts of an article (title, summary, body, image captions,
    attachments' names and text), and the findings of attachments whose text could
    not be checked."""
    texts: list[tuple[str | Promise, str]] = [
        (gettext_lazy("title"), page.title),
        (gettext_lazy("summary"), page.summary),
        (gettext_lazy("article text"), plain_text(page.body)),
    ]
    for image in page.images.all():
        if image.caption:
            texts.append(
                (
                    format_lazy(
                        gettext_lazy("caption of image {name}"), name=image.image.title
                    ),
                    image.caption,
                )
            )
    unchecked: list[Hit] = []
    for item in page.attachments.all():
        document = item.document
        name = document.title
        texts.append(
            (
                format_lazy(gettext_lazy("name of attachment {name}"), name=name),
                f"{document.title} {_file_name(document)}",
            )
        )
        if not attachment_text.is_checked(_file_name(document)):
            continue
        extracted = _read_attachment(document)
        where = format_lazy(gettext_lazy("attachment {name}"), name=name)
        if extracted.text:
            texts.append((where, extracted.text))
        if extracted.problem:
            unchecked.append(
                (
                    FindingKind.UNCHECKED.value,
                    name[:100],
                    where,
                    _PROBLEMS[extracted.problem],
                )
            )
    return texts, unchecked


def _read_attachment(document: Any) -> attachment_text.Extracted:
    limit = MAX_ATTACHMENT_BYTES + 1
    try:
        with document.file.open("rb") as handle:
            data = handle.read(limit)
    except OSError:
        return attachment_text.Extracted("", attachment_text.UNREADABLE)
    if len(data) >= limit:
        return attachment_text.Extracted("", attachment_text.TRUNCATED)
    return attachment_text.extract(_file_name(document), data)


def findings(page: ArticlePage) -> list[Finding]:
    """What the check finds in the article as it stands (its latest revision)."""
    from publicity.access import column_of

    latest = page.get_latest_revision_as_object()
    column = column_of(page)
    words = (
        list(
            SensitiveWord.objects.filter(campaign_id=column.campaign_id).values_list(
                "word", flat=True
            )
        )
        if column
        else []
    )
    dismissals = {
        (item.kind, item.text): item
        for item in FindingDismissal.objects.filter(page=page)
    }
    texts, unchecked = article_texts(latest)
    return [
        Finding(kind, text, where, dismissals.get((kind, text)), matched)
        for kind, text, where, matched in [*scan(texts, words), *unchecked]
    ]


def unresolved(page: ArticlePage) -> list[Finding]:
    return [finding for finding in findings(page) if not finding.resolved]
