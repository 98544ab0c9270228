"""`rankfile tick`: send due reminders and escalate missed deadlines. Run it every few minutes (cron, a timer),
or let it repeat with `--every SECONDS` (`rankfile serve` starts one that way)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from rankfile.deadlines import actions


class Command(BaseCommand):
    help = "Send reminders before deadlines and alert the oversight body about missed ones. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS", help="repeat, this often (0: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = actions.tick()
            if report.reminded or report.missed or report.failed or not options["every"]:
                self.stdout.write(
                    f"{len(report.reminded)} reminder(s) sent, {len(report.missed)} missed deadline(s) escalated"
                    + (f", {len(report.failed)} failed (tried again next time)" if report.failed else "")
                    + "".join(f", {name}: {count}" for name, count in report.periodic.items() if count)
                    + "."
                )
            if not options["every"]:
                return
            connection.close()  # no connection held between runs
            time.sleep(options["every"])
