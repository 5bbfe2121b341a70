"""The ledgers' kinds in the site's one search (text.search): published practical
deeds and published problems with their rectification, of live campaigns. The
people responsible are not searched nor shown."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from ledgers import access
from ledgers.models import PracticalDeed, Problem
from text import search
from text.personal import mask_personal_data

TITLE_LENGTH = 40


def _deed_text(deed: PracticalDeed) -> str:
    return " ".join((deed.title, deed.beneficiaries, deed.target))


def find_deeds(words: list[str], limit: int) -> tuple[list[search.Hit], int]:
    rows = (
        access.published_deeds()
        .filter(campaign__in=Campaign.objects.live())
        .filter(search.holding(["title", "beneficiaries", "target"], words))
        .select_related("campaign", "unit")
        .order_by("-pk")
    )
    found, count = search.verified(rows, words, _deed_text, limit)
    hits = [
        search.Hit(
            kind="deed",
            title=mask_personal_data(deed.title),
            # the public list is paged by key: start it at this deed
            url=reverse("ledgers:deeds", args=[deed.campaign.slug])
            + f"?after={deed.pk + 1}#deed-{deed.pk}",
            date=timezone.localdate(deed.created_at),
            text=mask_personal_data(f"{deed.target} {deed.beneficiaries}"),
            meta=f"{deed.unit.name} · {deed.get_status_display()}",
        )
        for deed in found
    ]
    return hits, count


def _problem_text(problem: Problem) -> str:
    measures = (measure.description for measure in problem.measures.all())
    return " ".join((problem.description, *measures))


def find_problems(words: list[str], limit: int) -> tuple[list[search.Hit], int]:
    rows = (
        access.published_problems()
        .filter(campaign__in=Campaign.objects.live())
        .filter(
            pk__in=Problem.objects.filter(
                search.holding(["description", "measures__description"], words)
            ).values("pk")
        )
        .select_related("campaign", "unit")
        .prefetch_related("measures")
        .order_by("-pk")
    )
    found, count = search.verified(rows, words, _problem_text, limit)
    hits = []
    for problem in found:
        text = mask_personal_data(_problem_text(problem))
        described = mask_personal_data(problem.description)
        title = described[:TITLE_LENGTH] + (
            "…" if len(described) > TITLE_LENGTH else ""
        )
        hits.append(
            search.Hit(
                kind="disclosure",
                title=title,
                url=reverse("ledgers:disclosure", args=[problem.campaign.slug])
                + f"?after={problem.pk + 1}#problem-{problem.pk}",
                date=timezone.localdate(problem.created_at),
                text=text,
                meta=f"{problem.unit.name} · {problem.get_status_display()}",
            )
        )
    return hits, count


def register() -> None:
    search.register(search.Source("deed", _("Practical deed"), find_deeds, 4))
    search.register(
        search.Source("disclosure", _("Rectification disclosure"), find_problems, 5)
    )
