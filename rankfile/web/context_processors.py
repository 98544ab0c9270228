from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rankfile import policy


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.ORG_NAME,
        "may_view_ledger": policy.allows(getattr(request, "user", None), "ledger.view_entries"),
    }
