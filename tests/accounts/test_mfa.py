import pytest
from allauth.mfa.models import Authenticator

from rankfile.accounts import mfa
from rankfile.errors import MfaRequired
from tests.personas import PASSWORD
from tests.totp import totp_code, wait_for_the_start_of_a_period

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def panelists_hold_case_roles(panelist):
    predicate = mfa.case_role(lambda user: user.pk == panelist.pk)
    yield
    mfa._case_role_predicates.remove(predicate)


def enable_totp(client, user) -> tuple[str, str]:
    """Enable TOTP the way a person does, through allauth's page; return the secret and the code used."""
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a second factor is added.
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")
    client.post(page["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    code = totp_code(secret)
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302, response.content.decode()
    return secret, code


def test_case_role_without_mfa_is_required_to_enable_it(panelist, member, panelists_hold_case_roles):
    assert mfa.mfa_required(panelist) is True
    assert mfa.mfa_required(member) is False
    with pytest.raises(MfaRequired):
        mfa.require_mfa(panelist)


def test_mfa_requirement_lifts_once_totp_is_enabled(client, panelist, panelists_hold_case_roles):
    enable_totp(client, panelist)
    assert Authenticator.objects.filter(user=panelist, type=Authenticator.Type.TOTP).exists()
    assert mfa.has_mfa(panelist)
    assert mfa.mfa_required(panelist) is False
    mfa.require_mfa(panelist)


@pytest.mark.urls("tests.web.urls")
def test_view_requiring_mfa_explains_how_to_enable_it(client, panelist, panelists_hold_case_roles):
    client.force_login(panelist)
    response = client.get("/test/case/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Two-factor authentication is required" in body
    assert "Set up two-factor authentication" in body
    assert "case content" not in body


@pytest.mark.urls("tests.web.urls")
def test_view_requiring_mfa_opens_once_mfa_is_on(client, panelist, panelists_hold_case_roles):
    enable_totp(client, panelist)
    assert client.get("/test/case/").content == b"case content"


def sign_in_with_password(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"


def totp_enabled_for(user) -> str:
    """A second factor set up already (the setup page itself is tested above and in the browser)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_login_with_totp_refuses_a_wrong_code_clearly(client, member):
    secret = totp_enabled_for(member)
    sign_in_with_password(client, member)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert right.status_code == 302
    assert client.get("/").context["user"] == member


def test_a_totp_code_is_never_accepted_twice(client, member):
    secret = totp_enabled_for(member)
    wait_for_the_start_of_a_period()
    code = totp_code(secret)
    sign_in_with_password(client, member)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.logout()
    # Someone who saw the code (over a shoulder, from a log) tries it again while it is still current.
    sign_in_with_password(client, member)
    replay = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert totp_code(secret) == code, "the period ended during the test; the replay proved nothing"
    assert "Incorrect code." in replay.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_member_without_a_case_role_is_not_required_to_use_mfa(member, panelists_hold_case_roles):
    mfa.require_mfa(member)
    assert mfa.mfa_required(member) is False


def test_recovery_codes_are_offered(client, member):
    enable_totp(client, member)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_invariant_1_second_factor_and_password_changes_are_on_the_ledger(client, member):
    from rankfile.ledger.models import Entry
    from tests.ledger.helpers import by_account

    enable_totp(client, member)
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "x" + PASSWORD, "password2": "x" + PASSWORD},
    )
    recorded = list(Entry.objects.filter(**by_account(member)).values_list("action", "data"))
    assert ("accounts.second_factor_added", '{"kind":"totp"}') in recorded
    assert ("accounts.second_factor_added", '{"kind":"recovery_codes"}') in recorded
    assert ("accounts.password_changed", '{"by_reset":false}') in recorded
