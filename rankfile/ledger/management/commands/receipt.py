import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.ledger import receipts


class Command(BaseCommand):
    help = "Filing receipts: check one against this ledger, or write the receipt of an entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{check,issue}")
        check = sub.add_parser("check", help="prove a receipt's entry is in the ledger since its checkpoint, and still")
        check.add_argument("file", metavar="FILE", help="the receipt's file (- for standard input)")
        check.add_argument(
            "--checkpoint", metavar="FILE", help="a later checkpoint a witness kept, instead of the latest stored"
        )
        check.add_argument("--key", metavar="VERIFIER", help="the ledger's verifier key you trust")
        check.add_argument(
            "--witness",
            metavar="VERIFIER",
            action="append",
            help="a witness key you trust (repeat; default: the witnesses this installation asks)",
        )
        check.add_argument("--required", type=int, help="cosignatures required (default: the bylaws')")
        issue = sub.add_parser("issue", help="print the receipt of one ledger entry")
        issue.add_argument("seq", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['verb']}")(**options)

    def _read(self, name: str) -> bytes:
        try:
            return sys.stdin.buffer.read(receipts.MAX_TEXT + 1) if name == "-" else Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {name}: {error.strerror}") from None

    def do_check(self, **options: Any) -> None:
        against = ""
        if options["checkpoint"]:
            try:
                against = self._read(options["checkpoint"]).decode("utf-8")
            except UnicodeDecodeError:
                raise CommandError(f"{options['checkpoint']} is not a checkpoint: it is not text") from None
        try:
            receipt = receipts.parse(self._read(options["file"]))
            result = receipts.check_here(
                receipt,
                against=against,
                verifier=options["key"] or "",
                witnesses=options["witness"],
                required=options["required"],
            )
        except receipts.ReceiptError as error:
            raise CommandError(str(error)) from None
        for passed, words in result.steps:
            self.stdout.write(f"{'ok  ' if passed else 'FAIL'} {words}")
        if not result.ok:
            raise CommandError("the receipt does not check out")
        self.stdout.write(
            f"OK: entry {receipt.entry} is in the ledger and still there at {result.current_size} entries."
        )

    def do_issue(self, **options: Any) -> None:
        receipt = receipts.issue(seq=options["seq"])
        if receipt is None:
            raise CommandError(f"no signed checkpoint includes entry {options['seq']} yet (or there is no such entry)")
        self.stdout.write(receipt.to_text(), ending="")
