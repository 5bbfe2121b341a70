"""Shaping a campaign's bodies for display."""

from typing import Any

from django.db.models import Prefetch

from campaigns.models import Body, Campaign, Position


def body_tree(bodies: list[Body]) -> list[tuple[Body, list[Any]]]:
    """Nest a campaign's bodies (a handful) under their parents, in sequence order."""
    children: dict[int | None, list[Body]] = {}
    for body in bodies:
        children.setdefault(body.parent_id, []).append(body)

    def branch(parent_id: int | None) -> list[tuple[Body, list[Any]]]:
        return [(body, branch(body.pk)) for body in children.get(parent_id, [])]

    return branch(None)


def campaign_structure(campaign: Campaign) -> list[tuple[Body, list[Any]]]:
    """The campaign's bodies as a tree, each with its positions and their people."""
    bodies = campaign.bodies.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("person").order_by(
                "sequence", "id"
            ),
        )
    )
    return body_tree(list(bodies))
