from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.org import importing

PROGRESS_FROM_ROWS = 1000


class Command(BaseCommand):
    help = (
        "Import members from a CSV file (a spreadsheet or CRM export with a header row). Every row is checked "
        "first; if any has a problem, all problems are listed and nothing is changed. Running the same file "
        "again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=(
                "say what a column holds when its header is not recognised, e.g. --map 'Adherent=member_number'; "
                f"fields: {', '.join(importing.FIELDS)}, or ignore. May be given several times."
            ),
        )
        parser.add_argument(
            "--date-format",
            choices=sorted(importing.DATE_FORMATS),
            default="iso",
            help=(
                "how the file writes dates: iso (YYYY-MM-DD, the default), dmy (DD/MM/YYYY) or mdy (MM/DD/YYYY). "
                "ISO dates are always accepted."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="check and show what would change; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > importing.MAX_BYTES:
                raise CommandError(
                    f"{path} is larger than {importing.MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        try:
            member_file = importing.member_file_read(data=data)
            mapping = importing.mapping_override(
                headers=member_file.headers,
                mapping=importing.mapping_detect(headers=member_file.headers),
                overrides=options["map"],
            )
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(self._columns(member_file, mapping))

        def progress(done: int, total: int) -> None:
            if total >= PROGRESS_FROM_ROWS:
                self.stderr.write(f"  {done:,} of {total:,} rows")

        try:
            outcome = importing.members_import(
                member_file=member_file,
                mapping=mapping,
                date_format=options["date_format"],
                dry_run=options["dry_run"],
                by=OPERATOR,
                progress=progress,
            )
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from None
        for note in outcome.notes:
            self.stdout.write(f"note: {note}")
        if outcome.problems:
            for problem in outcome.problems:
                self.stdout.write(str(problem))
            count = len(outcome.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {path.name}; nothing was imported. "
                "Fix the file and run the import again."
            )
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing was changed. The import would make: {outcome.counts_text()}.")
            self.stdout.write(f"Membership statuses to record: {outcome.statuses_text()}.")
            self.stdout.write(f"Branch seats to add: {outcome.seats_text()}.")
            return
        self.stdout.write(f"Imported: {outcome.counts_text()}.")
        self.stdout.write(f"Membership statuses recorded: {outcome.statuses_text()}.")
        self.stdout.write(f"Branch seats added: {outcome.seats_text()}.")

    @staticmethod
    def _columns(member_file: importing.MemberFile, mapping: list[str]) -> str:
        pairs = [
            f"{member_file.column_title(i)} -> {field or '(not imported)'}"
            for i, field in enumerate(mapping)
            if field or member_file.headers[i].strip()
        ]
        return (
            f"{len(member_file.rows):,} rows; columns: " + "; ".join(pairs) + f" (delimiter {member_file.delimiter!r})"
        )
