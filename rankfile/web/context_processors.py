from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rankfile import policy
from rankfile.cases import waiting as case_waiting
from rankfile.ledger.policy import is_on_the_oversight_body


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "site_name": settings.ORG_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "may_view_ledger": signed_in and policy.allows(user, "ledger.view_entries"),
        "may_see_overdue": signed_in and policy.allows(user, "deadlines.view_overdue"),
        "may_view_directory": signed_in and policy.allows(user, "org.view_directory"),
        "may_set_up_recovery": signed_in and policy.allows(user, "accounts.set_up_recovery"),
        "holds_recovery_share": signed_in and policy.allows(user, "accounts.view_recovery_requests"),
        # The members' own pages (their mandates, meetings, overrides, elections, members' voice) open to the same
        # people: anyone else (a former member, an ally who reported) is offered the public pages instead.
        "sees_members_business": signed_in and policy.allows(user, "governance.view_meetings"),
        "on_the_oversight_body": signed_in and is_on_the_oversight_body(user),
        **case_waiting.menu_for(user=user),
    }
