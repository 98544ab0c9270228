"""`rankfile backup DEST`: one consistent archive of the installation while the site runs (docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.backups import backup, database


class Command(BaseCommand):
    help = (
        "Write one consistent archive (DEST, a .tar, or .tar.gz to compress it) of the database, the vault's sealed "
        "files and the ledger's public key and checkpoints, while the site runs. It holds no secret key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", help="the archive to write: a new file, e.g. rankfile-2026-12-07.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = backup.backup_write(dest=Path(options["dest"]))
        except backup.BackupFailed as exc:
            raise CommandError(f"No backup was written: {exc}.") from None
        manifest = written.manifest
        ledger = manifest["ledger"]
        self.stdout.write(
            f"Backup written to {written.dest} ({written.size:,} bytes): the database "
            f"({database.ENGINE_NAMES[manifest['database_engine']]}) with a ledger of {ledger['size']:,} entries "
            f"(root {ledger['root']}), {manifest['vault_files']:,} sealed file(s) from the vault, "
            f"{ledger['checkpoints']:,} signed checkpoint(s) and "
            + (
                "the ledger's verifier key."
                if ledger["verifier"]
                else "no verifier key (the ledger has no signing key yet)."
            )
        )
        self.stdout.write("")
        self.stdout.write(
            "It does NOT contain these secrets. Keep a copy of each apart from the archives (not on the same disk, "
            "account or place), where only the people who run the installation can reach them:"
        )
        for secret in backup.secrets_left_out():
            self.stdout.write(f"- {secret}")
