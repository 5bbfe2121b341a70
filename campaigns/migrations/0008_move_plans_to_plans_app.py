"""The plan models leave campaigns' state for the plans app (plans/0001), keeping
their tables (``campaigns_*``): nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0007_campaign_auto_dispatch_percent'),
        ('plans', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='Measure'),
                migrations.DeleteModel(name='UnitPlan'),
                migrations.DeleteModel(name='Milestone'),
                migrations.DeleteModel(name='Responsibility'),
                migrations.DeleteModel(name='WorkPlanVersion'),
            ],
        ),
    ]
