from django.db import migrations, models

# The index Django made for ``action`` (db_index), and on PostgreSQL its companion for LIKE; the index of
# (action, seq) serves everything they did. Dropped by name: altering the field would make SQLite copy the whole
# table, and with it lose the triggers that keep the ledger append-only.
OLD_ACTION_INDEXES = ("ledger_entry_action_b3d6f8aa", "ledger_entry_action_b3d6f8aa_like")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_entry_actor_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="entry",
            name="ledger_entry_actor",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="action",
                    field=models.CharField(max_length=80),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for name in OLD_ACTION_INDEXES],
                    reverse_sql=['CREATE INDEX "ledger_entry_action_b3d6f8aa" ON "ledger_entry" ("action")'],
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["action", "seq"], name="ledger_entry_action_seq"),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["subject_type", "seq"], name="ledger_entry_subject_seq"),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["actor_type", "actor_id", "seq"], name="ledger_entry_actor_seq"),
        ),
    ]
