import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from rankfile.accounts.models import User
from rankfile.governance import demo as governance_demo
from rankfile.org import demo


class Command(BaseCommand):
    help = "Load the demo organization into an empty database and print its logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--logins-file", default=str(settings.DATA_DIR / "demo-logins.txt"))
        parser.add_argument("--members", type=int, default=200, help="how many members (default %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        logins_file = Path(options["logins_file"])
        if not User.objects.exists():
            self.stdout.write(f"Loading the demo organization, {demo.ORG_NAME} …")
            started = time.monotonic()
            with transaction.atomic():
                logins = demo.load(members=options["members"])
                governance_demo.load()  # the last convention and its mandates
            lines = [f"  {login.email:<30} password: {login.password:<20} ({login.role})" for login in logins]
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            logins_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            logins_file.chmod(0o600)
            self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s.")
        elif not logins_file.exists():
            self.stdout.write("The database already has accounts; no demo loaded.")
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins for {settings.BASE_URL}/accounts/login/"))
        self.stdout.write(logins_file.read_text(encoding="utf-8"))
        self.stdout.write(f"(These logins are kept in {logins_file}.)")
        self.stdout.write(f"Email the site sends (invitations, resets) is written to {settings.EMAIL_FILE_PATH}/")
