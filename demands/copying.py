"""A copied campaign's demand settings: the dispatch catalogue and the reply
deadlines (``campaigns.copying``)."""

from campaigns.copying import Copy, clone
from demands.models import Category, DeadlineRule


def copy_settings(copy: Copy) -> None:
    Category.objects.bulk_create(
        clone(
            category,
            campaign=copy.target,
            main_task=copy.main_tasks[category.main_task_id],
        )
        for category in Category.objects.filter(campaign=copy.source)
    )
    DeadlineRule.objects.bulk_create(
        clone(rule, campaign=copy.target)
        for rule in DeadlineRule.objects.filter(campaign=copy.source)
    )
