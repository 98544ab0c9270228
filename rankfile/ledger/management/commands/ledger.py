import json
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.ledger import actions, cosigning, queries, reconcile, signing, verification
from rankfile.ledger.models import Checkpoint, WitnessedLog

SHOWN = 20  # problems listed, of each kind


class Command(BaseCommand):
    help = "The tamper-evident ledger: sign a checkpoint, verify everything, prove one entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{checkpoint,cosign,verify,prove,key,witness}")
        sub.add_parser("checkpoint", help="sign the current tree head and send it to the witnesses")
        verify = sub.add_parser(
            "verify",
            help="recompute every entry, node and checkpoint, reconcile the live records with their entries; exit 1 on "
            "any mismatch",
        )
        verify.add_argument("--against", metavar="FILE", help="a checkpoint a witness kept: prove we only appended")
        verify.add_argument("--key", metavar="VERIFIER", help="the verifier key to check signatures with")
        verify.add_argument(
            "--witness",
            metavar="VERIFIER",
            action="append",
            help="a witness key you trust (repeat; default: the witnesses this installation asks to cosign)",
        )
        verify.add_argument("--required", type=int, help="cosignatures required (default: the bylaws')")
        sub.add_parser("cosign", help="ask the witnesses (RANKFILE_LEDGER_COSIGNERS) to cosign the latest checkpoint")
        witness = sub.add_parser("witness", help="this installation as a witness of other organizations' ledgers")
        witness_sub = witness.add_subparsers(dest="witness_verb", required=True, metavar="{key,add,list}")
        witness_sub.add_parser("key", help="print this installation's witness key (made on first use)")
        add = witness_sub.add_parser("add", help="witness the ledger signed by this verifier key")
        add.add_argument("verifier", metavar="VERIFIER")
        witness_sub.add_parser("list", help="the ledgers witnessed and the latest checkpoint cosigned for each")
        prove = sub.add_parser("prove", help="print an inclusion proof for one entry against the latest checkpoint")
        prove.add_argument("seq", type=int)
        sub.add_parser("key", help="print the public verifier key of the ledger")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['verb']}")(**options)

    def do_checkpoint(self, **options: Any) -> None:
        _, created = queries.ledger_key()
        if created:
            self.stdout.write(f"Created the ledger signing key in {settings.LEDGER_KEY_FILE}. Back it up.")
        try:
            checkpoint = actions.checkpoint_create()
        except actions.LedgerInconsistent as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(checkpoint.note, ending="")
        witnesses = settings.LEDGER_WITNESSES
        if witnesses:
            self.stdout.write(f"Checkpoint {checkpoint.size} sent to {len(witnesses)} witness(es).")
        elif not settings.LEDGER_COSIGNERS:
            self.stdout.write(
                f"Checkpoint {checkpoint.size} signed. No witnesses are set "
                "(RANKFILE_LEDGER_WITNESSES, RANKFILE_LEDGER_COSIGNERS)."
            )
        self._cosign(checkpoint)

    def _cosign(self, checkpoint: Any = None) -> None:
        for answer in cosigning.request_cosignatures(checkpoint):
            self.stdout.write(f"witness {answer.witness}: {answer.words}")

    def do_cosign(self, **options: Any) -> None:
        if not settings.LEDGER_COSIGNERS:
            raise CommandError("No witnesses to ask: set RANKFILE_LEDGER_COSIGNERS (docs/ledger.md).")
        self._cosign()

    def do_witness(self, **options: Any) -> None:
        verb = options["witness_verb"]
        if verb == "key":
            existed = cosigning.witness_key() is not None
            key = cosigning.witness_key(create=True)
            assert key is not None
            if not existed:
                self.stderr.write(f"Created the witness key in {settings.WITNESS_KEY_FILE}. Back it up.")
            self.stdout.write(key.verifier)
        elif verb == "add":
            try:
                witnessed = cosigning.witness_log(options["verifier"])
            except (signing.CheckpointError, ValueError) as error:
                raise CommandError(f"not a ledger's verifier key: {error}") from None
            self.stdout.write(
                f"Witnessing {witnessed.origin} (its checkpoints are cosigned from size {witnessed.size})."
            )
        else:
            for witnessed in WitnessedLog.objects.order_by("origin"):
                self.stdout.write(f"{witnessed.origin}: latest cosigned at {witnessed.size} entries")

    def do_verify(self, **options: Any) -> None:
        note = self._witness_note(options["against"]) if options["against"] else ""
        verifier = options["key"] or self._verifier()
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty() or total >= 100_000:
                self.stderr.write(f"  verified {done:,} of {total:,} entries", ending="\r" if done < total else "\n")

        result, tree = verification.verify_all(verifier=verifier, progress=progress)
        shown = sys.stderr.isatty() or result.size >= 100_000

        def reconciled(table: str, rows: int) -> None:
            if shown:
                self.stderr.write(f"  reconciled {rows:,} rows of {table} with the entries that made them")

        records = reconcile.reconcile(progress=reconciled)
        trusted = options["witness"] if options["witness"] is not None else cosigning.trusted_witnesses()
        required = options["required"] if options["required"] is not None else cosigning.required()
        cosigned_ok = self._cosigned(trusted, required, note=note)
        elapsed = time.monotonic() - started
        against_ok = True
        if options["against"]:
            against_ok, message = verification.verify_against(result, tree, note=note, verifier=verifier)
            self.stdout.write(message)
        if result.ok and against_ok and records.ok and cosigned_ok:
            self.stdout.write(
                f"OK: {result.size:,} entries, their tree and {result.checkpoints_checked} checkpoint(s) verified, and "
                f"{sum(records.rows.values()):,} live records reconciled with the entries that made them, "
                f"in {elapsed:.1f} s."
            )
            return
        self._list(result.problems)
        if records.mismatches:
            self.stdout.write("The live records that do not match the ledger entries that made them:")
            self._list([str(mismatch) for mismatch in records.mismatches])
        verdicts = []
        if not (result.ok and against_ok):
            first = f" The first entry that does not match is {result.first_bad_seq}." if result.first_bad_seq else ""
            verdicts.append(f"The ledger does NOT verify.{first}")
        if records.mismatches:
            verdicts.append(f"{len(records.mismatches):,} live record(s) do NOT match the ledger.")
        if not cosigned_ok:
            verdicts.append(f"No checkpoint carries the {required} cosignature(s) required.")
        raise CommandError(" ".join(verdicts))

    def _cosigned(self, trusted: list[str], required: int, *, note: str) -> bool:
        """Say which checkpoint the witnesses vouch for; False when ``required`` > 0 and none (or not ``note``) is."""
        if not required:
            return True
        if note:
            count = len(cosigning.valid_cosignatures(note, witnesses=trusted))
            self.stdout.write(f"the witness's checkpoint carries {count} of the {required} cosignature(s) required")
            return count >= required
        accepted, later = cosigning.latest_accepted(witnesses=trusted, required=required)
        if accepted is None:
            self.stdout.write(
                f"no checkpoint carries {required} cosignature(s) of the {len(trusted)} trusted witness(es)"
            )
            return not Checkpoint.objects.exists()
        self.stdout.write(
            f"the latest checkpoint cosigned by {required} trusted witness(es) is at {accepted.size} entries"
        )
        if later:
            self.stdout.write(f"{later} later checkpoint(s) not yet cosigned: run `rankfile ledger cosign`")
        return True

    def _witness_note(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        except UnicodeDecodeError:
            raise CommandError(
                f"{path} is not a checkpoint: a checkpoint is a signed note in text (UTF-8), and this file is not text."
            ) from None

    def _verifier(self) -> str:
        """The verifier key of the ledger's own signing key; verifying never creates that key (``ledger key`` does)."""
        try:
            key = queries.existing_ledger_key()
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the ledger signing key in {settings.LEDGER_KEY_FILE}: {exc}") from None
        if key is None:
            raise CommandError(
                f"There is no ledger signing key in {settings.LEDGER_KEY_FILE}, so the checkpoints' signatures cannot "
                "be checked. Restore the key from where you keep it (it is not in a backup), or give the verifier "
                "key with --key. Verifying never creates a key: only 'rankfile ledger key' does, for a new ledger."
            )
        return key.verifier

    def _list(self, problems: list[str]) -> None:
        for problem in problems[:SHOWN]:
            self.stdout.write(f"- {problem}")
        if len(problems) > SHOWN:
            self.stdout.write(f"- … and {len(problems) - SHOWN} more")

    def do_prove(self, **options: Any) -> None:
        try:
            proof = queries.inclusion_proof(seq=options["seq"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps({**proof.as_dict(), "verified": proof.verified}, indent=2))

    def do_key(self, **options: Any) -> None:
        key, created = queries.ledger_key()
        if created:
            self.stderr.write(f"Created the ledger signing key in {settings.LEDGER_KEY_FILE}. Back it up.")
        self.stdout.write(key.verifier)
