"""Which demands of a period are about the same matter in the same place: the
hotspots (熱點) the office may turn into a practical deed or a problem.

The text is read as the routing suggestion reads it (``demands.routing.engine``:
jieba's words of the text folded to simplified script, the demo mark left out),
with the character pairs inside each word, weighted by TF-IDF, reduced to
``DIMENSIONS`` by a truncated SVD (latent semantic analysis: 水管爆裂 and 爆管 end up
close) and grouped by mini-batch k-means into about one group per
``DEMANDS_PER_GROUP`` demands. A group keeps only the demands close to its
centre (cosine ``TIGHTNESS``): a k-means group also holds what fits nowhere
else. Groups whose centres are close (cosine ``MERGE``) are one matter that
k-means cut in parts, and are joined. Each group is then split by place (the
demand's district), and a part of at least ``MIN_SIZE`` demands is a hotspot.
Its name is the words its demands share most.

Each text is segmented once however often it recurs (a hotline gets the same
words many times), which is most of the cost. The same input gives the same
groups (fixed seeds), so the weekly job is repeatable. This module knows no
database; ``demands.hotspots.actions`` feeds it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from demands.routing.engine import word_features

DIMENSIONS = 96
DEMANDS_PER_GROUP = 8
MAX_GROUPS = 300
TIGHTNESS = 0.6
MERGE = 0.6
MIN_SIZE = 5
# words kept to name a hotspot (the job shows three, after those of place names)
LABEL_WORDS = 5
SEED = 2007

# words that name no matter (jieba's words, simplified)
# fmt: off
STOPWORDS = frozenset({
    "问题", "情况", "反映", "请求", "要求", "建议", "希望", "关于", "有关", "咨询",
    "投诉", "求助", "解决", "处理", "我们", "你们", "他们", "什么", "怎么", "为什么",
    "没有", "一个", "进行", "可以", "已经", "还是", "以及", "及时", "尽快", "帮助",
    "请", "的", "了", "和", "是", "在", "有", "我", "你", "也", "都", "就", "很",
})
# fmt: on


@dataclass(frozen=True)
class Item:
    """One demand as the clustering reads it: its key, its text and its place
    (a district's key, or None where the demand names none)."""

    key: int
    text: str
    place: int | None = None


@dataclass(frozen=True)
class Cluster:
    keys: tuple[int, ...]
    place: int | None
    words: tuple[str, ...]


def _words(text: str) -> list[str]:
    return [
        word
        for word in word_features(text)
        if len(word) >= 2 and word not in STOPWORDS and not word.isdigit()
    ]


def _bigrams(words: list[str]) -> list[str]:
    """The words and the character pairs inside them (what catches 爆管 in 水管爆了)."""
    grams = list(words)
    for word in words:
        grams.extend(word[i : i + 2] for i in range(len(word) - 1) if len(word) > 2)
    return grams


def find_clusters(items: Sequence[Item], *, min_size: int = MIN_SIZE) -> list[Cluster]:
    """The hotspots among ``items``, largest first."""
    if len(items) < min_size:
        return []
    texts = sorted({item.text for item in items})
    row_of = {text: row for row, text in enumerate(texts)}
    words = [_words(text) for text in texts]
    vectoriser = TfidfVectorizer(
        analyzer=_bigrams, sublinear_tf=True, min_df=2, dtype=np.float32
    )
    try:
        unique = vectoriser.fit_transform(words)
    except ValueError:  # no term in two texts: nothing in common to find
        return []
    rows = np.fromiter((row_of[item.text] for item in items), dtype=np.int64)
    points = _reduce(unique)[rows]
    groups = min(MAX_GROUPS, max(2, len(items) // DEMANDS_PER_GROUP))
    kmeans = MiniBatchKMeans(
        n_clusters=groups,
        random_state=SEED,
        # k-means++ seeding over the whole set costs more than the fit (29 s
        # of CPU for 600 centres over 100,000 demands): it seeds from a sample
        init_size=min(len(items), 3 * groups),
        n_init=1,
        batch_size=4096,
        max_iter=50,
    )
    labels = kmeans.fit_predict(points)
    centres = normalize(kmeans.cluster_centers_)
    closeness = np.einsum("ij,ij->i", points, centres[labels])
    labels = _merged(centres)[labels]
    terms = vectoriser.get_feature_names_out()
    clusters = []
    for label in np.unique(labels):
        members = np.flatnonzero((labels == label) & (closeness >= TIGHTNESS))
        by_place: dict[int | None, list[int]] = {}
        for index in members.tolist():
            by_place.setdefault(items[index].place, []).append(index)
        for place, indexes in by_place.items():
            if len(indexes) < min_size:
                continue
            shown = _label(unique[rows[indexes]], terms)
            if not shown:  # the texts share no word, only characters
                continue
            keys = tuple(sorted(items[index].key for index in indexes))
            clusters.append(Cluster(keys, place, shown))
    clusters.sort(key=lambda cluster: (-len(cluster.keys), cluster.keys[0]))
    return clusters


def _merged(centres: "np.ndarray") -> "np.ndarray":
    """Each k-means group's merged group: k-means cuts a large matter into several
    groups, whose centres lie close together (cosine ``MERGE``); those are joined
    (connected components of the close pairs)."""
    close = csr_matrix(centres @ centres.T >= MERGE)
    _count, merged = connected_components(close, directed=False)
    return merged  # type: ignore[no-any-return]


def _reduce(matrix: "np.ndarray") -> "np.ndarray":
    """Unit vectors in a few dimensions (fewer where there are few texts)."""
    size = min(DIMENSIONS, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if size < 2:
        return normalize(matrix.toarray())  # type: ignore[attr-defined]
    svd = TruncatedSVD(n_components=size, random_state=SEED, n_iter=4)
    return normalize(svd.fit_transform(matrix)).astype(np.float32)


def _label(rows: "np.ndarray", terms: "np.ndarray") -> tuple[str, ...]:
    """The words (not the character pairs inside them) most of the rows share,
    each shown once (水管 before 水管爆裂's pair 管爆)."""
    weight = np.asarray(rows.sum(axis=0)).ravel()  # type: ignore[attr-defined]
    shown: list[str] = []
    for column in np.argsort(weight)[::-1][: LABEL_WORDS * 6]:
        if weight[column] <= 0:
            break
        term = str(terms[column])
        if any(term in word or word in term for word in shown):
            continue
        shown.append(term)
        if len(shown) == LABEL_WORDS:
            break
    return tuple(shown)
