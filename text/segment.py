"""Split Chinese text into words for the search index with jieba.

Chinese has no spaces, so a search backend that splits on white space sees a whole
sentence as one word; indexing jieba's words instead makes 珠江委 findable inside
珠江委召开会议. jieba's dictionary is simplified Chinese and segments traditional
text badly, and readers search in either script, so text and queries alike are
folded (NFKC, then OpenCC t2s) before segmentation: both scripts give the same tokens.

The tokenizer is our own instance, not jieba's global one, so the campaign's terms
in ``data/userdict.txt`` cannot leak into, or be undone by, other code using jieba.
Loading it takes about a second, so it happens on first use, once per process.
"""

import logging
import tempfile
import threading
import unicodedata
import warnings
from pathlib import Path

from text.script import to_simplified

# jieba 0.42.1 has invalid escape sequences in its regular expressions and imports
# pkg_resources: both warn while it is imported, which our test run treats as an
# error. The warnings are jieba's, not ours, so they are silenced for this import.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.filterwarnings("ignore", "pkg_resources", UserWarning)
    import jieba

USER_DICTIONARY = Path(__file__).resolve().parent / "data" / "userdict.txt"

_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()


def segment(text: str) -> list[str]:
    """Return the search-mode words of ``text`` in simplified characters.

    Search mode also yields the shorter words inside a long one (三服务一促进 gives
    服务 and 促进 as well), so a query for a part finds the whole. White space and
    punctuation are left out.
    """
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    words = (word.strip() for word in _get_tokenizer().cut_for_search(folded))
    return [word for word in words if any(char.isalnum() for char in word)]


def search_text(text: str) -> str:
    """Return ``text`` as space-separated words, ready for a full-text index."""
    return " ".join(segment(text))


def _get_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                _tokenizer = _build_tokenizer()
    return _tokenizer


def _build_tokenizer() -> jieba.Tokenizer:
    # jieba logs every dictionary load at DEBUG to stderr through its own handler.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # The prefix dictionary is cached as a file so later processes load it in a
    # fraction of the time; the version in the name keeps an upgrade from reading
    # an older jieba's cache.
    tokenizer.tmp_dir = tempfile.gettempdir()
    tokenizer.cache_file = f"sanfu-jieba-{jieba.__version__}.cache"
    # Given a path, jieba opens the file and never closes it.
    with USER_DICTIONARY.open("rb") as user_dictionary:
        tokenizer.load_userdict(user_dictionary)
    return tokenizer
