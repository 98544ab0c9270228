import json

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from rankfile.cases import triggers


def carry_their_entries(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Decisions, findings, sanctions and overrides made before this column existed get the number of the entry that
    made them, so that `rankfile ledger verify` reconciles them too. The triggers that keep decisions binding are
    lifted for this alone, inside the migration's transaction."""
    entry = apps.get_model("ledger", "Entry")
    issued = {
        json.loads(data)["decision"]: seq
        for seq, data in entry.objects.filter(action="cases.decision_issued").values_list("seq", "data")
    }
    overridden = {
        json.loads(data)["override"]: seq
        for seq, data in entry.objects.filter(action="cases.decision_overridden").values_list("seq", "data")
    }
    if not issued and not overridden:
        return
    connection = schema_editor.connection
    triggers.drop(connection)
    for model_name, key in (("Decision", "pk"), ("Finding", "decision_id"), ("Sanction", "decision_id")):
        model = apps.get_model("cases", model_name)
        for decision, seq in issued.items():
            model.objects.filter(**{key: decision}).update(ledger_seq=seq)
    override = apps.get_model("cases", "Override")
    for pk, seq in overridden.items():
        override.objects.filter(pk=pk).update(ledger_seq=seq)
    triggers.create(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_party_notice_agreed"),
        ("ledger", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="ledger_seq",
            field=models.PositiveBigIntegerField(help_text="The ledger entry of the action that made it.", null=True),
        ),
        migrations.AddField(
            model_name="finding",
            name="ledger_seq",
            field=models.PositiveBigIntegerField(help_text="The entry of the decision that made it.", null=True),
        ),
        migrations.AddField(
            model_name="override",
            name="ledger_seq",
            field=models.PositiveBigIntegerField(help_text="The ledger entry of the action that made it.", null=True),
        ),
        migrations.AddField(
            model_name="sanction",
            name="ledger_seq",
            field=models.PositiveBigIntegerField(help_text="The entry of the decision that made it.", null=True),
        ),
        migrations.RunPython(carry_their_entries, migrations.RunPython.noop),
    ]
