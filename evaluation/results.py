"""A survey's results per unit and per question, counted by the database."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from evaluation.models import Answer, Question, QuestionKind, Rating, Survey
from evaluation.scoring import survey_scores


@dataclass
class QuestionResult:
    question: Question
    # rating: one row per unit (name, counts per rating, valid votes, score)
    units: list[dict[str, Any]] = field(default_factory=list)
    # choice: (option, count); text: the texts given
    choices: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    ballots: int = 0


TEXTS_SHOWN = 200


def survey_results(survey: Survey) -> list[QuestionResult]:
    """One grouped count for the ratings, one for the choices, one for the texts'
    first rows; the unit score is that of ``evaluation.scoring``."""
    questions = list(survey.questions.all())
    answers = Answer.objects.filter(survey=survey).order_by()
    ratings = {
        (row["question_id"], row["unit_id"]): row
        for row in answers.filter(question__kind=QuestionKind.RATING)
        .values("question_id", "unit_id")
        .annotate(
            **{value: Count("pk", filter=Q(rating=value)) for value in Rating.values},
            total=Count("pk"),
        )
    }
    choices: dict[int, list[tuple[str, int]]] = {}
    for row in (
        answers.filter(question__kind=QuestionKind.CHOICE)
        .values("question_id", "choice")
        .annotate(n=Count("pk"))
        .order_by("question_id", "-n", "choice")
    ):
        choices.setdefault(row["question_id"], []).append((row["choice"], row["n"]))
    units = list(survey.units.order_by("path"))
    results = []
    for question in questions:
        result = QuestionResult(question)
        if question.kind == QuestionKind.RATING:
            for unit in units:
                counts = ratings.get((question.pk, unit.pk), {})
                valid = sum(
                    counts.get(value, 0)
                    for value in Rating.values
                    if value != "unknown"
                )
                satisfied = counts.get(Rating.SATISFIED, 0)
                basically = counts.get(Rating.BASICALLY_SATISFIED, 0)
                result.units.append(
                    {
                        "unit": unit,
                        "counts": [counts.get(value, 0) for value in Rating.values],
                        "valid": valid,
                        "score": (satisfied + Decimal("0.5") * basically) / valid
                        if valid
                        else None,
                    }
                )
        elif question.kind == QuestionKind.CHOICE:
            given = dict(choices.get(question.pk, []))
            result.choices = [
                (option, given.get(option, 0)) for option in question.choices
            ]
        else:
            result.texts = list(
                answers.filter(question=question)
                .exclude(text="")
                .values_list("text", flat=True)[:TEXTS_SHOWN]
            )
        results.append(result)
    return results


__all__ = ["QuestionResult", "survey_results", "survey_scores"]
