import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from rankfile.accounts.models import User
from rankfile.cases import demo as cases_demo
from rankfile.elections import demo as elections_demo
from rankfile.governance import demo as governance_demo
from rankfile.org import demo
from rankfile.voice import demo as voice_demo


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
            today = timezone.localdate()  # every date of the demo counts from this one day
            with transaction.atomic():
                logins = demo.load(members=options["members"], today=today)
                governance_demo.load(today=today)  # the last convention, its mandates, a joint meeting to come
                # Cases at every stage; those who handle them get a second factor, printed with their login.
                case_logins = cases_demo.load({login.email: login.password for login in logins}, today=today)
                # The last convention's by-election to the steering committee: the barred man refused, a winner seated.
                elections_demo.load(today=today)
                # Members' voice: caucuses, concerns, petitions, the bulletin, the convention's apology, a meeting.
                voice_demo.load({login.email: login.password for login in logins}, today=today)
                # The Elections Committee, whose chair has a login, runs an election in its nomination period.
                election_logins = elections_demo.load_running_body(today=today)
            secrets = {login.email: login.totp_secret for login in case_logins}
            lines = [_line(login.email, login.password, login.role, secrets.get(login.email, "")) for login in logins]
            known = {login.email for login in logins}
            lines += [
                _line(login.email, login.password, login.role, login.totp_secret)
                for login in case_logins
                if login.email not in known
            ]
            lines += [_line(login.email, login.password, login.role, login.totp_secret) for login in election_logins]
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            logins_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            logins_file.chmod(0o600)
            self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s.")
            _name_the_organization()
        elif not logins_file.exists():
            self.stdout.write("The database already has accounts; no demo loaded.")
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins for {settings.BASE_URL}/accounts/login/"))
        self.stdout.write(logins_file.read_text(encoding="utf-8"))
        self.stdout.write(f"(These logins are kept in {logins_file}.)")
        self.stdout.write(
            "Logins with a two-factor secret handle cases or run elections: add the secret to an authenticator app (or "
            "run `oathtool --totp -b SECRET`) for the six-digit code asked after the password."
        )
        self.stdout.write(f"Email the site sends (invitations, resets) is written to {settings.EMAIL_FILE_PATH}/")


def _name_the_organization() -> None:
    """The demo organization's name, for the pages and email of every later process on this data directory."""
    if os.getenv("RANKFILE_ORG_NAME", "").strip() or settings.ORG_NAME_FILE.exists():
        return
    settings.ORG_NAME_FILE.parent.mkdir(parents=True, exist_ok=True)
    settings.ORG_NAME_FILE.write_text(demo.ORG_NAME + "\n", encoding="utf-8")


def _line(email: str, password: str, role: str, totp_secret: str) -> str:
    line = f"  {email:<30} password: {password:<20} ({role})"
    return f"{line}\n  {'':<30} two-factor secret: {totp_secret}" if totp_secret else line
