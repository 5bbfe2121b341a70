from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery


def name_the_raising_units(apps: Any, schema_editor: Any) -> None:
    """Demands raised from findings before the demand named its raising unit."""
    Demand = apps.get_model("demands", "Demand")
    Finding = apps.get_model("ledgers", "Finding")
    unit = Finding.objects.filter(demand=OuterRef("pk")).values("visit__unit")[:1]
    Demand.objects.filter(finding__isnull=False, raised_by_unit__isnull=True).update(
        raised_by_unit=Subquery(unit)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0010_demand_raised_by_unit"),
        ("ledgers", "0003_ledger_files_private"),
    ]

    operations = [
        migrations.RunPython(name_the_raising_units, migrations.RunPython.noop),
    ]
