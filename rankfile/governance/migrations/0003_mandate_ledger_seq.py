from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import OuterRef, Subquery


def carry_their_entries(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """A mandate adopted before this column existed gets the entry of its adoption, which its first terms carry."""
    mandate = apps.get_model("governance", "Mandate")
    terms = apps.get_model("governance", "MandateTerms")
    first = terms.objects.filter(mandate=OuterRef("pk"), number=1).values("ledger_seq")[:1]
    mandate.objects.filter(ledger_seq__isnull=True).update(ledger_seq=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_calendar_feed")]

    operations = [
        migrations.AddField(
            model_name="mandate",
            name="ledger_seq",
            field=models.PositiveBigIntegerField(help_text="The ledger entry of the vote's adoption of it.", null=True),
        ),
        migrations.RunPython(carry_their_entries, migrations.RunPython.noop),
    ]
