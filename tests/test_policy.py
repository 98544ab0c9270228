import pytest

from rankfile import policy
from rankfile.errors import NotAllowed


class PowerfulUser:
    """Shaped like a Django superuser: every has_perm() says yes."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    is_site_admin = False
    pk = 1

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


def test_invariant_5_rank_alone_grants_nothing():
    user = PowerfulUser()
    assert policy.allows(user, "cases.read_report") is False
    with pytest.raises(NotAllowed):
        policy.require(user, "cases.read_report")


def test_invariant_5_registered_rules_ignore_superuser_flags():
    user = PowerfulUser()
    assert policy.allows(user, "accounts.invite_person") is False


def test_invariant_11_refusal_is_the_not_found_error():
    with pytest.raises(NotAllowed) as refused:
        policy.require(None, "ledger.view_entries")
    assert refused.value.status == 404
    assert refused.value.code == "not_found"
