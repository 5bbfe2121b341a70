"""How well the routing model would have routed a labelled set: stratified k-fold
cross-validation over ``text,unit`` rows, with the plain keyword matching on the
catalogue as the baseline to beat. No database: ``evaluate_routing`` reads files."""

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

from demands.routing.engine import Example, Router, keyword_guess


@dataclass(frozen=True)
class Labelled:
    text: str
    unit: str


@dataclass
class Report:
    total: int = 0
    top1: int = 0
    top3: int = 0
    keyword_hits: int = 0
    # per unit: (true positives, predicted as the unit, labelled as the unit)
    found: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    labelled: Counter[str] = field(default_factory=Counter)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def precision(self, unit: str) -> float:
        return self.found[unit] / self.predicted[unit] if self.predicted[unit] else 0.0

    def recall(self, unit: str) -> float:
        return self.found[unit] / self.labelled[unit] if self.labelled[unit] else 0.0


def read_labelled(path: Path) -> list[Labelled]:
    """``text,unit`` rows of a UTF-8 CSV file with a header (a BOM is allowed)."""
    with path.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.DictReader(source)
        if not reader.fieldnames or not {"text", "unit"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: the header must name the columns text,unit")
        rows = [
            Labelled(row["text"].strip(), row["unit"].strip())
            for row in reader
            if row["text"] and row["unit"]
        ]
    return rows


def read_catalogue(path: Path) -> dict[str, list[str]]:
    """``unit,category,keywords`` rows: each unit's catalogue words (the category's
    name and its space-separated keywords)."""
    words: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as source:
        for row in csv.DictReader(source):
            unit = row["unit"].strip()
            words.setdefault(unit, []).extend(
                [row.get("category", "").strip(), *row.get("keywords", "").split()]
            )
    return {unit: [word for word in found if word] for unit, found in words.items()}


def catalogue_examples(catalogue: dict[str, list[str]]) -> list[Example]:
    """The catalogue as training examples: each of a unit's words alone, and all of
    them together; what a model knows before the first dispatch (cold start)."""
    examples = []
    for unit, words in catalogue.items():
        examples.append(Example(" ".join(words), unit))
        examples.extend(Example(word, unit) for word in words)
    return examples


def evaluate(
    rows: list[Labelled],
    catalogue: dict[str, list[str]] | None = None,
    *,
    folds: int = 5,
    seed: int = 2007,
) -> Report:
    catalogue = catalogue or {}
    counts = Counter(row.unit for row in rows)
    smallest = min(counts.values()) if counts else 0
    if len(counts) < 2 or smallest < folds:
        raise ValueError(
            f"{folds}-fold cross-validation needs two units or more with at least "
            f"{folds} rows each"
        )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    report = Report()
    units = [row.unit for row in rows]
    prior = catalogue_examples(catalogue)
    for train, test in splitter.split(units, units):
        router = Router.train(
            [*prior, *(Example(rows[i].text, rows[i].unit) for i in train)]
        )
        tested = [rows[i] for i in test]
        guesses = router.suggest_many([row.text for row in tested])
        _count(report, tested, guesses, catalogue)
    return report


def _count(
    report: Report,
    tested: Iterable[Labelled],
    guesses: list[list[str]],
    catalogue: dict[str, list[str]],
) -> None:
    for row, best in zip(tested, guesses, strict=True):
        report.total += 1
        report.labelled[row.unit] += 1
        report.predicted[best[0]] += 1
        if best[0] == row.unit:
            report.top1 += 1
            report.found[row.unit] += 1
        else:
            report.confusions[(row.unit, best[0])] += 1
        if row.unit in best[:3]:
            report.top3 += 1
        if catalogue and keyword_guess(row.text, catalogue) == row.unit:
            report.keyword_hits += 1
