import sys
from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions, bylaws, queries


def _date(text: str) -> date:
    """A date as an argument: argparse says what is wrong with one and exits 2 (a CommandError raised while the
    arguments are read is a traceback)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "The bylaws as data: show or export a version (TOML), adopt a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{show,export,adopt}")
        show = sub.add_parser("show", help="which version is in force on a date (default today)")
        show.add_argument("--on", type=_date)
        export = sub.add_parser("export", help="print a version as TOML (default: the one in force today)")
        export.add_argument("--version", type=int)
        export.add_argument("--defaults", action="store_true", help="print the built-in defaults instead")
        adopt = sub.add_parser("adopt", help="adopt a TOML file as the next version")
        adopt.add_argument("file", help="a TOML file, or - for standard input")
        adopt.add_argument("--effective", type=_date, required=True, help="the date it takes effect (YYYY-MM-DD)")
        adopt.add_argument("--vote", required=True, help="the vote that adopted it, e.g. 'Convention 2026, motion 12'")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['verb']}")(**options)

    def do_show(self, **options: Any) -> None:
        day = options["on"] or timezone.localdate()
        version = queries.bylaws_in_force(day=day)
        if version is None:
            self.stdout.write(f"No bylaws adopted by {day}: the built-in defaults apply.")
            return
        self.stdout.write(
            f"Version {version.number}, in force from {version.effective_from}, adopted by: {version.adopted_by_vote}"
        )

    def do_export(self, **options: Any) -> None:
        if options["defaults"]:
            self.stdout.write(bylaws.to_toml(bylaws.defaults()), ending="")
            return
        if options["version"] is not None:
            version = queries.bylaws_versions().filter(number=options["version"]).first()
            if version is None:
                raise CommandError(f"There is no version {options['version']}.")
        else:
            version = queries.bylaws_in_force(day=timezone.localdate())
            if version is None:
                raise CommandError("No bylaws are in force yet; use --defaults to start from the built-in ones.")
        self.stdout.write(f"# Version {version.number}, in force from {version.effective_from}\n")
        self.stdout.write(f"# Adopted by: {version.adopted_by_vote}\n")
        self.stdout.write(bylaws.to_toml(version.document), ending="")

    def do_adopt(self, **options: Any) -> None:
        try:
            text = sys.stdin.read() if options["file"] == "-" else Path(options["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from None
        try:
            version = actions.bylaws_adopt(
                document=bylaws.from_toml(text),
                effective_from=options["effective"],
                adopted_by_vote=options["vote"],
                by=OPERATOR,
            )
        except InvalidInput as exc:
            details = "\n".join(f"  - {p}" for problems in exc.field_errors.values() for p in problems)
            raise CommandError(f"{exc.message}\n{details}") from None
        self.stdout.write(f"Adopted version {version.number}, in force from {version.effective_from}.")
