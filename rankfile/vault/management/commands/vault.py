"""`rankfile vault sweep`: remove sealed files that no version names (uploads whose transaction rolled back).
`rankfile vault check`: check every sealed version and file against the hash taken when it was sealed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.vault import documents

SHOWN = 20  # problems listed


class Command(BaseCommand):
    help = (
        "Vault maintenance. `sweep`: remove sealed files no version names, older than an hour. `check`: every sealed "
        "version and file against the hash taken when it was sealed; exit 1 naming each one that does not match."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["sweep", "check"])
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "check":
            self.check_sealed()
            return
        removed = documents.sweep(older_than_seconds=options["older_than_minutes"] * 60)
        self.stdout.write(f"Removed {removed} sealed file{'s' if removed != 1 else ''} that no version names.")

    def check_sealed(self) -> None:
        report = documents.check_integrity()
        for problem in report.problems[:SHOWN]:
            self.stdout.write(f"- {problem}")
        if len(report.problems) > SHOWN:
            self.stdout.write(f"- … and {len(report.problems) - SHOWN} more")
        if not report.ok:
            raise CommandError(
                f"{len(report.problems):,} sealed version(s) or file(s) do NOT match the hash taken when they were "
                "sealed. Restore the vault directory (or the database) from a backup that verifies."
            )
        self.stdout.write(
            f"OK: {report.versions:,} sealed version(s), {report.files:,} of them files, match the hashes taken when "
            "they were sealed."
        )
