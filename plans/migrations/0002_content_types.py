"""The plan models' content types move to the plans app with their ids: the rows'
``app_label`` is renamed, so the permissions, the groups' grants, Wagtail's log
entries and the audit trail's entries that point at them keep doing so.

On a fresh database there is nothing to rename (Django creates the content types
after the migrations). If a row for the plans app exists already beside the old
one (a ``migrate`` that stopped between the two), the old row wins: it is the one
the trail and the grants point at, and the newer one, made by Django with only its
default permissions, is deleted first.
"""

from django.db import migrations

MODELS = ("workplanversion", "responsibility", "milestone", "unitplan", "measure")


def _move(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    for model in MODELS:
        if not types.filter(app_label=source, model=model).exists():
            continue
        types.filter(app_label=target, model=model).delete()
        types.filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def to_plans(apps, schema_editor):
    _move(apps, schema_editor, "campaigns", "plans")


def to_campaigns(apps, schema_editor):
    _move(apps, schema_editor, "plans", "campaigns")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('campaigns', '0008_move_plans_to_plans_app'),
        ('plans', '0001_initial'),
    ]

    operations = [migrations.RunPython(to_plans, to_campaigns)]
