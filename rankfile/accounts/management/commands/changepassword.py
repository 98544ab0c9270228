import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.accounts import actions
from rankfile.accounts.models import User
from rankfile.errors import InvalidInput

MAX_TRIES = 3


class Command(BaseCommand):
    """In place of Django's command of the same name, through Rankfile's action: the change is on the ledger, the
    person's API tokens are revoked and they are told by email (docs/accounts.md)."""

    help = "Set a new password for an account (its API tokens are revoked, and the person is told by email)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="EMAIL", help="the email address of the account")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the new password from the first line of standard input"
        )

    def handle(self, *args: Any, **options: Any) -> str:
        email = options["username"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}.")
        if options["password_stdin"]:
            password = (options.get("stdin") or sys.stdin).readline().rstrip("\n")
            return self._set(user, password)
        for _ in range(MAX_TRIES):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                return self._set(user, password)
            except CommandError as exc:
                self.stderr.write(str(exc))
        raise CommandError(f"The password of {user.email} was not changed after {MAX_TRIES} attempts.")

    def _set(self, user: User, password: str) -> str:
        try:
            revoked = actions.password_reset_by_operator(user=user, password=password)
        except InvalidInput as exc:
            raise CommandError("\n".join(str(p) for problems in exc.field_errors.values() for p in problems)) from None
        tokens = f"; {len(revoked)} API token(s) revoked" if revoked else ""
        return f"Password changed for {user.email}{tokens}. They were told by email."
