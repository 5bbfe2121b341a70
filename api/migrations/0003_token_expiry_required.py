from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_token_scope_and_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("scope__in", ["read", "act"])),
                name="api_token_scope_known",
            ),
        ),
    ]
