"""Which unit handles a demand: a linear model over the demand's words, with the
words that drove each guess.

The features are of two kinds, both over the text folded to simplified script
(NFKC, OpenCC t2s), so a demand in either script is read the same way:

- jieba's words (search mode, ``text.segment``): 水錶 and 水表 are one word;
- single characters and character 2- and 3-grams, which catch what jieba splits
  oddly or does not know (a place name, a colloquial 冇水, a typo); single
  characters count (泵, 閘, 渠 say much alone): without them the labelled set of
  ``bench/routing`` scored 3 points lower at 1.

Each kind is weighted by TF-IDF (sublinear term frequency).

The classifier is a logistic regression: it gives a probability per unit, which the
office reads as a confidence and which the automatic dispatch compares with the
campaign's threshold, and each guess is explained by the terms whose weight for
that unit, times their weight in the demand, counted most. Nothing is downloaded:
the model is trained here from the catalogue and from dispatches the units kept.
This module knows no database; ``demands.routing.training`` feeds it.
"""

import pickle
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from text.demo_mark import without_demo_mark
from text.script import to_simplified
from text.segment import segment

_NOT_WORDS = re.compile(r"[\W_]+")
# the words shown as what drove a guess
SHOWN_WORDS = 5


def fold(text: str) -> str:
    """The text in simplified script, half width, lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def word_features(text: str) -> list[str]:
    return segment(without_demo_mark(text))


def char_features(text: str) -> list[str]:
    """Characters and character 2- and 3-grams of each run of letters (punctuation
    breaks a run)."""
    grams: list[str] = []
    for run in _NOT_WORDS.split(fold(without_demo_mark(text))):
        for size in (1, 2, 3):
            grams.extend(run[i : i + size] for i in range(len(run) - size + 1))
    return grams


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0


class Router:
    """A trained model: ``suggest`` gives the likeliest labels of a text."""

    def __init__(self, features: FeatureUnion, classifier: LogisticRegression) -> None:
        self.features = features
        self.classifier = classifier
        names = features.get_feature_names_out()
        # "words__水表" → "水表": what the office reads
        self.terms = np.array([name.split("__", 1)[1] for name in names])
        self.is_word = np.array([name.startswith("words__") for name in names])
        self.labels = [str(label) for label in classifier.classes_]

    @classmethod
    def train(cls, examples: Sequence[Example], *, min_df: int = 1) -> "Router":
        labels = {example.label for example in examples}
        if len(labels) < 2:
            raise ValueError("a model needs examples of at least two units")
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        analyzer=word_features, sublinear_tf=True, min_df=min_df
                    ),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer=char_features,
                        sublinear_tf=True,
                        min_df=min_df,
                        max_features=200_000,
                    ),
                ),
            ]
        )
        matrix = features.fit_transform([example.text for example in examples])
        # little regularisation: demands are short, and a rare word (消防栓) that
        # names the unit should count (C=5: 85.5% at 1 on the labelled set; 50: 86.4%)
        classifier = LogisticRegression(C=50.0, max_iter=300)
        classifier.fit(
            matrix,
            [example.label for example in examples],
            sample_weight=[example.weight for example in examples],
        )
        return cls(features, classifier)

    def suggest(self, text: str, top: int = 3) -> list[Guess]:
        row = self.features.transform([text])
        probabilities = self.classifier.predict_proba(row)[0]
        best = np.argsort(probabilities)[::-1][:top]
        return [
            Guess(
                self.labels[index],
                float(probabilities[index]),
                self._words(row, index),
            )
            for index in best
        ]

    def suggest_many(self, texts: Sequence[str], top: int = 3) -> list[list[str]]:
        """The ``top`` labels of each text, best first (for evaluation: no words)."""
        probabilities = self.classifier.predict_proba(self.features.transform(texts))
        order = np.argsort(probabilities, axis=1)[:, ::-1][:, :top]
        return [[self.labels[index] for index in row] for row in order]

    def _words(self, row: "np.ndarray", index: int) -> tuple[str, ...]:
        """The demand's terms that pulled most towards the label, each shown once
        (a word and the n-grams inside it are one term)."""
        columns, values = row.indices, row.data  # type: ignore[attr-defined]
        coefficients = self.classifier.coef_
        if coefficients.shape[0] == 1:  # two labels: one row, for the second
            weights = coefficients[0] if index == 1 else -coefficients[0]
        else:
            weights = coefficients[index]
        pull = values * weights[columns]
        shown: list[str] = []
        # a longer term takes the place of the shorter ones inside it (下水道 for
        # 下水 and 水道), so look a little past the number shown
        for position in np.argsort(pull)[::-1][: SHOWN_WORDS * 4]:
            term = str(self.terms[columns[position]])
            if pull[position] <= 0:
                break
            if len(term) < 2 or any(term in word for word in shown):
                continue
            inside = [word for word in shown if word in term]
            if inside:
                shown = [word for word in shown if word not in inside]
            if len(shown) < SHOWN_WORDS:
                shown.append(term)
        return tuple(shown)

    def dumps(self) -> bytes:
        return zlib.compress(pickle.dumps(self, protocol=5), 6)

    @staticmethod
    def loads(payload: bytes) -> "Router":
        router = pickle.loads(zlib.decompress(payload))
        if not isinstance(router, Router):
            raise TypeError("not a routing model")
        return router


def keyword_guess(text: str, keywords: dict[str, list[str]]) -> str | None:
    """Plain keyword matching, the baseline: the label whose catalogue words occur
    most often in the text (folded both sides); none on a tie or no hit."""
    folded = _NOT_WORDS.sub("", fold(text))
    hits = {
        label: sum(folded.count(_NOT_WORDS.sub("", fold(word))) for word in words)
        for label, words in keywords.items()
    }
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] == 0:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]
