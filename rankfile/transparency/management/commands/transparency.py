from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.errors import RankfileError
from rankfile.ledger.actions import OPERATOR
from rankfile.transparency import actions


class Command(BaseCommand):
    help = "Transparency reports: draft the report of a period for the body that publishes it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{draft}")
        draft = sub.add_parser("draft", help="compute the report of a period from the records and keep it as a draft")
        draft.add_argument(
            "--period",
            required=True,
            help="2026H2 (a half year), 2026Q3 (a quarter) or 2026 (a year), as the bylaws set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = actions.report_draft(period=options["period"], by=OPERATOR)
        except RankfileError as exc:
            raise CommandError(f"Refused ({exc.code}): {exc.message}") from None
        self.stdout.write(
            f"Drafted the transparency report {report.period} ({report.starts_on:%d %B %Y} to "
            f"{report.ends_on:%d %B %Y}) at ledger checkpoint {report.checkpoint_size} "
            f"(root {report.checkpoint_root}). {report.publisher.name} reviews it and publishes it by a vote, on the "
            f"page /transparency/{report.pk}/."
        )
