"""One search over what the public site shows: articles, briefings, advanced
models, practical deeds and the rectification disclosure, in either script.

The apps that own the content register a ``Source`` for each kind (publicity and
ledgers, in their ``AppConfig.ready``), so this module imports none of them. A
query is segmented as the articles' index was (``text.segment``): a hit holds every
word. Each source gives its newest hits up to a limit and how many there are; the
results of all kinds are merged newest first and paged by number. Snippets and
highlights are cut from the text as written, the words found through the one
folding rule (``text.folding``), so 调研 marks 調研 in a traditional text.
"""

import datetime
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from text.folding import fold, fold_with_positions
from text.segment import segment

MAX_WORDS = 10
PAGE_SIZE = 10
# pages a query may be read to: deep offsets cost every source a longer list
MAX_PAGES = 20
SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 120
# rows of one kind read to check the folded words: the newest, enough for the
# pages a query may be read to
PRESELECTED = 500


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    date: datetime.date | None
    # the searchable text (without the title), personal data already masked
    text: str
    meta: str = ""
    label: str | Promise = ""
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))
    title_marked: SafeString = field(default_factory=lambda: mark_safe(""))


@dataclass(frozen=True)
class Source:
    """One kind of public content.

    ``find(words, limit)`` returns up to ``limit`` hits holding every word (as
    ``text.segment`` gives them), newest first, and the number of hits in all."""

    kind: str
    label: str | Promise
    find: Callable[[list[str], int], tuple[list[Hit], int]]
    # where the kind is listed among the others
    order: int = 0


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.kind] = source


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda source: source.order)


def query_words(query: str) -> list[str]:
    return segment(query)[:MAX_WORDS]


def holds_every_word(text: str, words: Sequence[str]) -> bool:
    folded = fold(text)
    return all(fold(word) in folded for word in words)


def holding(fields: Sequence[str], words: Sequence[str]) -> Q:
    """Rows holding each character of every word in one of ``fields``, in either
    script: the database's pre-selection, which ``verified`` refines.

    Character by character, because text is often half converted (台賬 holds a
    simplified 台 beside a traditional 賬) and no conversion of a whole word
    matches it; ``verified`` then asks for the words themselves."""
    chars = dict.fromkeys(char for word in words for char in fold(word))
    return reduce(
        and_,
        (
            reduce(
                or_,
                (
                    Q(**{f"{name}__icontains": variant})
                    for name in fields
                    for variant in script_variants(char)
                ),
            )
            for char in chars
        ),
        Q(),
    )


def verified(
    rows: QuerySet[Any],
    words: Sequence[str],
    text_of: Callable[[Any], str],
    limit: int,
) -> tuple[list[Any], int]:
    """The rows of ``rows`` (newest first) whose text holds every word once folded,
    up to ``limit``, and how many of the newest ``PRESELECTED`` do."""
    found: list[Any] = []
    count = 0
    for row in rows[:PRESELECTED]:
        if holds_every_word(text_of(row), words):
            count += 1
            if len(found) < limit:
                found.append(row)
    return found, count


def script_variants(word: str) -> list[str]:
    """The word in both scripts."""
    from text.script import to_simplified, to_traditional

    return list(dict.fromkeys([word, to_simplified(word), to_traditional(word)]))


@dataclass
class Results:
    hits: list[Hit]
    total: int
    counts: dict[str, int]
    page: int
    pages: int


def search(query: str, *, kind: str = "", page: int = 1) -> Results:
    words = query_words(query)
    chosen = [s for s in sources() if not kind or s.kind == kind]
    if not words or not chosen:
        return Results([], 0, {}, 1, 0)
    page = max(1, min(page, MAX_PAGES))
    wanted = page * PAGE_SIZE
    hits: list[Hit] = []
    counts: dict[str, int] = {}
    # every kind is counted, for the reader to narrow the search to one
    for source in sources():
        found, count = source.find(words, wanted if source in chosen else 0)
        counts[source.kind] = count
        for hit in found:
            hit.label = source.label
        hits += found
    hits.sort(key=lambda hit: hit.date or datetime.date.min, reverse=True)
    total = sum(counts[source.kind] for source in chosen)
    shown = hits[(page - 1) * PAGE_SIZE : wanted]
    for hit in shown:
        hit.title_marked = highlight(hit.title, words)
        hit.snippet = snippet(hit.text, words)
    pages = min(MAX_PAGES, -(-total // PAGE_SIZE))
    return Results(shown, total, counts, page, pages)


def _spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    folded = fold_with_positions(text)
    spans = sorted(span for word in words for span in folded.find_all(fold(word)))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: Sequence[str]) -> SafeString:
    """``text`` escaped, each word found marked with ``<mark>``."""
    return _marked(text, _spans(text, words))


def snippet(text: str, words: Sequence[str]) -> SafeString:
    """A passage of ``text`` around the first word found, the words marked."""
    spans = _spans(text, words)
    start = max(0, spans[0][0] - SNIPPET_BEFORE) if spans else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    inside = [(a - start, min(b, end) - start) for a, b in spans if start <= a < end]
    body = _marked(text[start:end], inside)
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return mark_safe(f"{before}{body}{after}")  # escaped in _marked


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> SafeString:
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        pieces.append(html.escape(text[at:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    pieces.append(html.escape(text[at:]))
    return mark_safe("".join(pieces))  # every piece escaped
