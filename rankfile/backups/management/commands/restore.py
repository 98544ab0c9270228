"""`rankfile restore SRC`: an archive into an empty installation, then the ledger and the vault verified."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.backups import database, restore
from rankfile.ledger import signing

OPERATIONS = "docs/operations.md, 'When verification fails'"


class Command(BaseCommand):
    help = (
        "Restore an archive written by `rankfile backup` into an empty installation (a new database, an empty vault "
        "directory), then verify the ledger and every sealed file. A damaged or partial archive changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", help="the archive written by `rankfile backup`")
        parser.add_argument(
            "--key", metavar="VERIFIER", help="the ledger's verifier key you trust (as your witnesses hold it)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore.restore_archive(src=Path(options["src"]))
        except restore.RestoreRefused as exc:
            raise CommandError(f"Nothing was restored: {exc}.") from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored from {options['src']}, taken {manifest['created_at']} by Rankfile "
            f"{manifest['rankfile_version']}: "
            f"the database ({database.ENGINE_NAMES[manifest['database_engine']]}) with a ledger of "
            f"{restored.ledger_size:,} entries and {restored.vault_files:,} sealed file(s)."
        )
        self.stdout.write("Verifying the ledger (entries, tree, checkpoints and live records):")
        ledger_ok = self.verify_ledger(restored, key=options["key"])
        self.stdout.write("Checking every sealed version and file:")
        sealed_ok = restore.verify_sealed(out=self.stdout.write)
        for problem in restored.problems:
            self.stdout.write(f"- {problem}")
        if restored.secrets:
            self.stdout.write("Secrets the archive does not hold, to put back before the site runs:")
            for secret in restored.secrets:
                self.stdout.write(f"- {secret}")
        if not (ledger_ok and sealed_ok and not restored.problems):
            raise CommandError(
                f"The archive was restored but does NOT verify: do not open the site to anyone; see {OPERATIONS}."
            )
        self.stdout.write("Restored and verified." + (" Put back the secrets above." if restored.secrets else ""))

    def verify_ledger(self, restored: restore.Restored, *, key: str | None) -> bool:
        verifier = key or restored.verifier
        if verifier is None:
            if restored.manifest["ledger"]["checkpoints"]:
                self.stdout.write(
                    "There is no verifier key (no ledger signing key here, none in the archive): give the one your "
                    "witnesses hold with --key."
                )
                return False
            # No checkpoint to check: a throwaway key lets the entries, tree and records be verified.
            verifier = signing.LedgerKey.generate(settings.LEDGER_ORIGIN).verifier
        elif restored.verifier_from_archive and not key:
            self.stdout.write(
                "The ledger signing key is not installed, so the checkpoints are checked with the verifier key the "
                "archive holds; compare it with the one your witnesses hold (or give theirs with --key):"
            )
            self.stdout.write(f"  {verifier}")
        try:
            call_command("ledger", "verify", "--key", verifier, stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            self.stdout.write(str(exc))
            return False
        return True
