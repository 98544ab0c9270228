import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone


def advisers_named_before_stay_readers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """An adviser named before advisers had to accept was given the keys at once: they count as having accepted (on
    the day of this migration), so that what they read and what the rules say of them stay the same."""
    party = apps.get_model("cases", "Party")
    party.objects.filter(adviser__isnull=False).update(adviser_accepted_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_readmission"),
        ("vault", "0003_keypair_holder_hold"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="adviser_accepted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="party",
            name="adviser_hold",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vault.keypair",
            ),
        ),
        migrations.RunPython(advisers_named_before_stay_readers, migrations.RunPython.noop),
    ]
