import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from rankfile.accounts import actions as account_actions
from rankfile.accounts.models import User

# The placeholder demo organization: its people and what they may do. The organization issue replaces it.
DEMO_PEOPLE = [
    ("admin@example.org", "Ada Admin", True, "site administrator: invites people"),
    ("member@example.org", "Mo Member", False, "member"),
]


class Command(BaseCommand):
    help = "Load the demo organization into an empty database and print its logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--logins-file", default=str(settings.DATA_DIR / "demo-logins.txt"))

    def handle(self, *args: Any, **options: Any) -> None:
        logins_file = Path(options["logins_file"])
        if not User.objects.exists():
            self._load(logins_file)
        elif not logins_file.exists():
            self.stdout.write("The database already has accounts; no demo loaded.")
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins for {settings.BASE_URL}/accounts/login/"))
        self.stdout.write(logins_file.read_text(encoding="utf-8"))
        self.stdout.write(f"(These logins are kept in {logins_file}.)")
        self.stdout.write(
            f"Email the site sends (invitations, password resets) is written to {settings.EMAIL_FILE_PATH}/"
        )

    @transaction.atomic
    def _load(self, logins_file: Path) -> None:
        lines = []
        for email, name, is_site_admin, role in DEMO_PEOPLE:
            password = "demo-" + secrets.token_urlsafe(9)
            account_actions.account_create(email=email, password=password, name=name, is_site_admin=is_site_admin)
            lines.append(f"  {email:<24} password: {password:<20} ({role})")
        logins_file.parent.mkdir(parents=True, exist_ok=True)
        logins_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        logins_file.chmod(0o600)
