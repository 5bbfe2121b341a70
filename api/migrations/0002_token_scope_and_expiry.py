"""Tokens get a scope and an expiry. Tokens issued before had neither and may have
been used to take demand steps, so they keep acting (scope ``act``) and expire 90
days from this migration; their holders issue new ones before then."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def limit_existing_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        scope="act", expires_at=timezone.now() + datetime.timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[
                    ("read", "Read: may only read (GET)"),
                    (
                        "act",
                        "Act: may also take the demand steps the person's role allows",
                    ),
                ],
                default="read",
                max_length=4,
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(limit_existing_tokens, migrations.RunPython.noop),
    ]
