from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.accounts import actions
from rankfile.errors import RankfileError


class Command(BaseCommand):
    help = "Invite a person by email. Prints the single-use link too, in case the email does not arrive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="the person's name, shown on the invitation")
        parser.add_argument(
            "--site-admin",
            action="store_true",
            help="the account may invite others and configure the installation (it grants no access to cases)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            issued = actions.invitation_create(
                email=options["email"], name=options["name"], by=None, makes_site_admin=options["site_admin"]
            )
        except RankfileError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Invitation sent to {issued.invitation.email}.")
        self.stdout.write(f"Link (works once, until {issued.invitation.expires_at:%Y-%m-%d %H:%M %Z}): {issued.url}")
