"""The one folding rule for looking words up in text whatever its form.

A word configured as 內部資料 must be found in 内部资料, ＮＢ in NB, and 内 部·资
料 as well: both the word and the text are folded the same way before comparing.

- **Width and compatibility forms**: NFKC, so full-width letters and digits are
  their ASCII selves and ㈠ or ① their plain forms.
- **Script**: OpenCC's traditional-to-simplified conversion. Traditional has many
  characters where simplified has one (髮 and 發 are both 发), so folding both
  sides to simplified finds a word written in either script in a text in either.
- **Case**: ``casefold``.
- **Between characters**: spaces, punctuation, symbols and invisible format
  characters (a zero-width space) are dropped, so no separator hides a word.

``fold_with_positions`` also says, for each folded character, which character of
the original it came from, so a match can be shown as it was written.
"""

import unicodedata
from dataclasses import dataclass

from text.script import to_simplified

# Unicode categories dropped: separators (Z*), punctuation (P*), symbols (S*),
# controls and format characters (Cc, Cf).
_DROPPED = ("Z", "P", "S", "Cc", "Cf")


def _kept(char: str) -> bool:
    category = unicodedata.category(char)
    return not category.startswith(_DROPPED)


@dataclass(frozen=True)
class Folded:
    """A folded text and, for each of its characters, the index in the original."""

    text: str
    origins: tuple[int, ...]

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """The (start, end) spans in the original text of each occurrence of the
        folded ``needle`` (folded with ``fold``)."""
        spans: list[tuple[int, int]] = []
        if not needle:
            return spans
        start = self.text.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            spans.append((self.origins[start], self.origins[end] + 1))
            start = self.text.find(needle, start + 1)
        return spans


def fold_with_positions(text: str) -> Folded:
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKC", char):
            if _kept(part):
                chars.append(part)
                origins.append(index)
    joined = "".join(chars)
    simplified = to_simplified(joined)
    if len(simplified) != len(joined):
        # a phrase changed length: convert character by character instead
        simplified = "".join(to_simplified(char)[:1] or char for char in chars)
    folded: list[str] = []
    folded_origins: list[int] = []
    for char, origin in zip(simplified, origins, strict=True):
        for part in char.casefold():
            folded.append(part)
            folded_origins.append(origin)
    return Folded("".join(folded), tuple(folded_origins))


def fold(text: str) -> str:
    """``text`` folded for comparison: simplified script, NFKC, case-folded, with
    no spaces, punctuation or symbols."""
    return fold_with_positions(text).text
