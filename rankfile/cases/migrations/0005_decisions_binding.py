from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from rankfile.cases import triggers


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers.create(schema_editor.connection)


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_cases")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
