"""The plan models move here from campaigns with their tables as they are: the
state gains them here while campaigns/0008 drops them from its own, and the
database is not touched (``sqlmigrate`` prints no SQL for either)."""

import core.private_files
import django.db.models.deletion
import plans.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0007_campaign_auto_dispatch_percent'),
        ('org', '0005_holiday_notice'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Responsibility',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sequence', models.PositiveSmallIntegerField(default=0, verbose_name='sequence')),
                        ('work_item', models.CharField(max_length=300, verbose_name='work item')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responsibilities', to='campaigns.campaign', verbose_name='campaign')),
                        ('cooperating_units', models.ManyToManyField(blank=True, related_name='cooperating_responsibilities', to='org.unit', verbose_name='cooperating units')),
                        ('lead_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_responsibilities', to='org.unit', verbose_name='lead unit')),
                        ('main_task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='responsibilities', to='campaigns.maintask', verbose_name='main task')),
                    ],
                    options={
                        'verbose_name': 'responsibility',
                        'verbose_name_plural': 'responsibilities',
                        'db_table': 'campaigns_responsibility',
                        'ordering': ['campaign', 'sequence', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='UnitPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('summary', models.TextField(blank=True, verbose_name='summary')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned'), ('superseded', 'Superseded')], default='draft', max_length=12, verbose_name='status')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('return_comment', models.TextField(blank=True, verbose_name='comments on return')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_plans', to='campaigns.campaign', verbose_name='campaign')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='unit_plans', to='org.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'unit plan',
                        'verbose_name_plural': 'unit plans',
                        'db_table': 'campaigns_unitplan',
                        'ordering': ['campaign', 'unit__name'],
                    },
                ),
                migrations.CreateModel(
                    name='Measure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content', models.TextField(verbose_name='measure')),
                        ('owner', models.CharField(help_text='The person responsible.', max_length=100, verbose_name='owner')),
                        ('deadline', models.DateField(verbose_name='deadline')),
                        ('main_task', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='measures', to='campaigns.maintask', verbose_name='main task')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='plans.unitplan', verbose_name='unit plan')),
                    ],
                    options={
                        'verbose_name': 'measure',
                        'verbose_name_plural': 'measures',
                        'db_table': 'campaigns_measure',
                        'ordering': ['plan', 'deadline', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkPlanVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveSmallIntegerField(verbose_name='version')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('body', models.TextField(help_text='Sanitised HTML.', verbose_name='text')),
                        ('attachment', models.FileField(blank=True, storage=core.private_files.private_storage, upload_to=plans.models._work_plan_upload_to, verbose_name='attachment')),
                        ('attachment_name', models.CharField(blank=True, max_length=200, verbose_name='attachment name')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('approved', 'Approved'), ('returned', 'Returned'), ('superseded', 'Superseded')], default='draft', max_length=12, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='work_plan_versions', to='campaigns.campaign', verbose_name='campaign')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ],
                    options={
                        'verbose_name': 'work plan version',
                        'verbose_name_plural': 'work plan versions',
                        'db_table': 'campaigns_workplanversion',
                        'ordering': ['campaign', '-number'],
                    },
                ),
                migrations.CreateModel(
                    name='Milestone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('due_on', models.DateField(verbose_name='due on')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                        ('owner_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner (person)')),
                        ('owner_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='milestones', to='org.unit', verbose_name='owner (unit)')),
                        ('phase', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='campaigns.phase', verbose_name='phase')),
                    ],
                    options={
                        'verbose_name': 'milestone',
                        'verbose_name_plural': 'milestones',
                        'db_table': 'campaigns_milestone',
                        'ordering': ['due_on', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('owner_person__isnull', False), ('owner_unit__isnull', False), _connector='OR'), name='milestone_has_owner')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='unitplan',
                    constraint=models.UniqueConstraint(fields=('campaign', 'unit'), name='unit_plan_once_per_unit'),
                ),
                migrations.AddConstraint(
                    model_name='workplanversion',
                    constraint=models.UniqueConstraint(fields=('campaign', 'number'), name='work_plan_version_unique'),
                ),
                migrations.AddConstraint(
                    model_name='workplanversion',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'approved')), fields=('campaign',), name='work_plan_one_approved'),
                ),
            ],
        ),
    ]
