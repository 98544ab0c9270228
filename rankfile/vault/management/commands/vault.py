"""`rankfile vault sweep`: remove sealed files that no version names (uploads whose transaction rolled back)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rankfile.vault import documents


class Command(BaseCommand):
    help = "Vault maintenance. `sweep`: remove sealed files no version names, older than an hour."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["sweep"])
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        removed = documents.sweep(older_than_seconds=options["older_than_minutes"] * 60)
        self.stdout.write(f"Removed {removed} sealed file{'s' if removed != 1 else ''} that no version names.")
