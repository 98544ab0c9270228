from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rankfile.accounts import recovery, recovery_queries
from rankfile.accounts.models import User
from rankfile.errors import InvalidInput, RankfileError
from rankfile.ledger.actions import OPERATOR


class Command(BaseCommand):
    help = "Recovery by trustees: set up the organization's recovery key, or show its trustees and open requests."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True, metavar="{setup,status}")
        setup = sub.add_parser("setup", help="make the recovery key and give each trustee a share")
        setup.add_argument(
            "--trustee",
            action="append",
            required=True,
            metavar="EMAIL",
            help="a member of the oversight body who has signed in once (repeat for each trustee)",
        )
        setup.add_argument("--threshold", type=int, required=True, help="how many trustees must agree (at least 2)")
        sub.add_parser("status", help="the recovery key, its trustees and the requests waiting for approval")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['verb']}")(**options)

    def do_setup(self, **options: Any) -> None:
        trustees = []
        for email in options["trustee"]:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"No account has the email address {email}.")
            trustees.append(user)
        try:
            recovery_key = recovery.recovery_setup(trustees=trustees, threshold=options["threshold"], by=OPERATOR)
        except InvalidInput as exc:
            details = "\n".join(f"  - {p}" for problems in exc.field_errors.values() for p in problems)
            raise CommandError(f"The recovery key was not set up:\n{details}") from None
        except RankfileError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            f"Recovery key set up: any {recovery_key.threshold} of its {recovery_key.share_count} trustees can use it "
            "together. Each trustee was told by email."
        )

    def do_status(self, **options: Any) -> None:
        overview = recovery_queries.recovery_overview(user=OPERATOR)
        key = overview.recovery_key
        if key is None:
            self.stdout.write("No recovery key yet: `rankfile recovery setup --trustee EMAIL ... --threshold N`.")
            return
        self.stdout.write(
            f"Recovery key {key.pk}, set up {key.created_at:%Y-%m-%d}: any {key.threshold} of {key.share_count} "
            "trustees together."
        )
        for row in overview.trustees:
            share = "share usable" if row.share_usable else "share lost (password reset or account closed)"
            seat = "on the oversight body" if row.eligible else "no longer on the oversight body"
            self.stdout.write(f"  - {row.user.name or row.user.email} <{row.user.email}>: {share}; {seat}")
        if not overview.recovery_possible:
            self.stdout.write(
                f"WARNING: only {overview.usable_shares} trustee(s) can still use their share, fewer than the "
                f"{key.threshold} needed: recovery is not possible."
            )
        if not overview.open_requests:
            self.stdout.write("No request waits for approval.")
            return
        self.stdout.write(f"{len(overview.open_requests)} request(s) wait for approval:")
        for request in overview.open_requests:
            what = "restore the access of" if request.restores_access else "hand material over to"
            readers = ", ".join(request.about) or "-"
            if request.anonymous_readers:
                readers += f" (and {request.anonymous_readers} anonymous reporter(s))"
            self.stdout.write(
                f"  - #{request.recovery.pk} {what} {readers}, asked {request.requested_at:%Y-%m-%d %H:%M}"
                f"{' by ' + request.asked_by if request.asked_by else ''}: "
                f"{request.approvals} of {request.threshold} approvals"
            )
