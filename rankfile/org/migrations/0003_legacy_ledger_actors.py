"""Entries recorded before the ledger named people say actor type "person" with the *account's* id. They can never
be rewritten (triggers, leaf hashes), so this notes, once, which person each of those accounts belonged to."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# What old entries say for a signed-in account (rankfile.ledger.hooks.LEGACY_ACCOUNT, as it was when this ran).
LEGACY_ACCOUNT = "person"


def note_legacy_actors(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    """One row per account that old entries name, with the person the account belonged to (none: an account alone)."""
    Entry = apps.get_model("ledger", "Entry")
    Person = apps.get_model("org", "Person")
    LegacyLedgerActor = apps.get_model("org", "LegacyLedgerActor")
    accounts = set(
        Entry.objects.filter(actor_type=LEGACY_ACCOUNT, actor_id__isnull=False)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    accounts -= set(LegacyLedgerActor.objects.values_list("account_id", flat=True))
    people = dict(Person.objects.filter(user_id__in=accounts).values_list("user_id", "pk"))
    LegacyLedgerActor.objects.bulk_create(
        LegacyLedgerActor(account_id=account, person_id=people.get(account)) for account in sorted(accounts)
    )


def forget_legacy_actors(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    apps.get_model("org", "LegacyLedgerActor").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_bylaws'),
        ('ledger', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='LegacyLedgerActor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('account_id', models.PositiveBigIntegerField(help_text='The id the old entries carry.', unique=True)),
                ('person', models.ForeignKey(blank=True, help_text='Empty: the account belonged to no person, and is shown as the account.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.person')),
            ],
            options={
                'verbose_name': 'account named by old ledger entries',
                'verbose_name_plural': 'accounts named by old ledger entries',
            },
        ),
        migrations.RunPython(note_legacy_actors, forget_legacy_actors),
    ]
