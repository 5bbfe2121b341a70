"""The confidentiality check before publication (涉密信息不上網).

Resident ID numbers (18 characters whose last is a checksum, GB 11643), phone numbers
and the office's list of sensitive words are looked for in an article's title,
summary, text and attachments' names. Each finding must be edited out or dismissed by
a reviewer with a reason before the article can be approved.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from publicity.models import (
    ArticlePage,
    FindingDismissal,
    FindingKind,
    SensitiveWord,
)
from publicity.sanitise import plain_text
from sanfu.lib.digits import is_digits

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
    text: str
    where: str
    dismissal: FindingDismissal | None = None

    @property
    def resolved(self) -> bool:
        return self.dismissal is not None

    @property
    def kind_label(self) -> str:
        return str(FindingKind(self.kind).label)

    @property
    def where_label(self) -> str:
        """The part of the article it was found in, as the form names it."""
        if self.where == "attachments":
            return str(_("Attachments"))
        return str(ArticlePage._meta.get_field(self.where).verbose_name)


def scan(texts: dict[str, str], words: list[str]) -> list[tuple[str, str, str]]:
    """(kind, text, where) for each distinct finding in the named texts."""
    found: dict[tuple[str, str], str] = {}
    for where, text in texts.items():
        for match in _ID_NUMBER.finditer(text):
            if is_id_number(match[0]):
                found.setdefault((FindingKind.ID_NUMBER, match[0].upper()), where)
        for match in _PHONE.finditer(text):
            digits = re.sub(r"\D", "", match[0])
            found.setdefault((FindingKind.PHONE, digits), where)
        for word in words:
            if word and word in text:
                found.setdefault((FindingKind.WORD, word), where)
    return [(kind, text, where) for (kind, text), where in found.items()]


def article_texts(page: ArticlePage) -> dict[str, str]:
    return {
        "title": page.title,
        "summary": page.summary,
        "body": plain_text(page.body),
        "attachments": " ".join(
            item.document.title + " " + item.document.filename
            for item in page.attachments.all()
        ),
    }


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
    return [
        Finding(kind, text, where, dismissals.get((kind, text)))
        for kind, text, where in scan(article_texts(latest), words)
    ]


def unresolved(page: ArticlePage) -> list[Finding]:
    return [finding for finding in findings(page) if not finding.resolved]
