"""Background work on demands: each task takes primary keys and calls an action."""

from django_tasks import task

from demands import actions
from demands.models import Demand


@task()
def flag_possible_duplicate(demand_pk: int) -> None:
    demand = Demand.objects.filter(pk=demand_pk).first()
    if demand is not None:  # gone meanwhile: nothing to flag
        actions.flag_possible_duplicate(demand)
