from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join through an invitation link (rankfile.accounts.views)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
