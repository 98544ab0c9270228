from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.accounts import actions, hooks
from rankfile.errors import RankfileError


class Command(BaseCommand):
    help = "Invite a person by email. Prints the single-use link too, in case the email does not arrive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "email", nargs="?", default="", help="where the invitation goes (with --member: their address on record)"
        )
        parser.add_argument("--name", default="", help="the person's name, shown on the invitation")
        parser.add_argument(
            "--member",
            default="",
            help=(
                "the member on the membership list the invitation is for, by name or email address, as the "
                "Invitations page's Who: the account becomes theirs"
            ),
        )
        parser.add_argument(
            "--site-admin",
            action="store_true",
            help="the account may invite others and configure the installation (it grants no access to cases)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = _member_named(options["member"]) if options["member"] else None
        if person is None and not options["email"]:
            raise CommandError("Give the email address to invite, or --member to invite someone on the list.")
        try:
            issued = actions.invitation_create(
                email=options["email"],
                name=options["name"],
                by=None,
                makes_site_admin=options["site_admin"],
                person=person.pk if person is not None else None,
            )
        except RankfileError as exc:
            raise CommandError(str(exc.message)) from None
        if person is not None:
            self.stdout.write(f"Invitation sent to {issued.invitation.email}, for {person.name}.")
        else:
            self.stdout.write(f"Invitation sent to {issued.invitation.email}.")
        self.stdout.write(f"Link (works once, until {issued.invitation.expires_at:%Y-%m-%d %H:%M %Z}): {issued.url}")


def _member_named(said: str) -> hooks.Invitable:
    """The one person an invitation may name whose name or email address is ``said``."""
    wanted = said.strip().casefold()
    found = [p for p in hooks.invitable_people() if wanted in (p.name.casefold(), p.email.casefold())]
    if not found:
        raise CommandError(
            f"Nobody on the membership list called {said!r} can be invited: they need an email address on record "
            "and no account yet."
        )
    if len(found) > 1:
        raise CommandError(f"{len(found)} people on the list are called {said!r}: name them by email address instead.")
    return found[0]
