"""A person's vault key follows their password: made with the first one, unlocked at sign-in for the session only,
re-wrapped on a change, replaced on a reset by email, destroyed at sign-out (DESIGN.md, security model and
invariant 4)."""

import base64
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import transaction
from django.test import Client

from rankfile.errors import NotAllowed
from rankfile.ledger.models import Entry
from rankfile.vault import documents, keys
from rankfile.vault.errors import VaultError
from rankfile.vault.models import Keypair
from tests.personas import PASSWORD
from tests.totp import totp_code, wait_for_the_start_of_a_period
from tests.vault.helpers import LedgeredRead

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.accounts.urls")]

LOGIN = "/accounts/login/"
UNLOCKED = "/test/unlocked-key/"
COOKIE = "rankfile_vault"
NEW_PASSWORD = "a fresh and different passphrase 7"


def sign_in(client: Client, user, password: str = PASSWORD):
    response = client.post(LOGIN, {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()
    return response


def unlocked_in(client: Client) -> str:
    return client.get(UNLOCKED).content.decode()


def ledger_data(action: str, user) -> list[dict]:
    rows = Entry.objects.filter(action=action, subject_type="accounts.user", subject_id=user.pk)
    return [json.loads(data) for data in rows.values_list("data", flat=True)]


def stored_forms(secret: bytes) -> list[bytes]:
    """The secret as a database column, a JSON session or a cookie might hold it."""
    return [secret, secret.hex().encode(), base64.b64encode(secret), base64.urlsafe_b64encode(secret)]


def current_key(user) -> Keypair:
    keypair = keys.person_key(user)
    assert keypair is not None
    return keypair


def unlock(user, password: str = PASSWORD) -> keys.UnlockedKey:
    unlocked = keys.person_key_unlock(user=user, password=password)
    assert unlocked is not None
    return unlocked


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def totp_enabled_for(user) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def reset_password_by_email(client: Client, user, new_password: str):
    """Follow the emailed link and choose a new password; return the page after the reset."""
    client.post("/accounts/password/reset/", {"email": user.email})
    found = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    form_page = client.get("/" + found.group(0).split("://", 1)[1].split("/", 1)[1], follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302, response.content.decode()
    return client.get(response["Location"])


def test_an_account_gets_its_key_pair_with_its_first_password(member):
    keypair = keys.person_key(member)
    assert keypair is not None
    assert unlock(member).keypair == keypair
    assert ledger_data("accounts.vault_key_created", member) == [{"keypair": keypair.pk}]


def test_an_account_without_a_usable_password_gets_no_key_until_it_sets_one(client):
    user = get_user_model().objects.create_user(email="later@example.org", password=None)
    assert keys.person_key(user) is None
    client.force_login(user)
    response = client.post("/accounts/password/set/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    keypair = keys.person_key(user)
    assert keypair is not None
    assert ledger_data("accounts.vault_key_created", user) == [{"keypair": keypair.pk}]
    assert unlocked_in(client) == f"keypair {keypair.pk}"


def test_accepting_an_invitation_leaves_the_new_key_unlocked(client, admin):
    from rankfile.accounts import actions

    issued = actions.invitation_create(email="invitee@example.org", by=admin)
    path = "/" + issued.url.split("://", 1)[1].split("/", 1)[1]
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    invitee = get_user_model().objects.get(email="invitee@example.org")
    assert unlocked_in(client) == f"keypair {current_key(invitee).pk}"


def test_sign_in_unlocks_the_key_with_an_http_only_secure_strict_cookie(client, member):
    response = sign_in(client, member)
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == ""  # gone when the browser closes, like the session
    assert unlocked_in(client) == f"keypair {current_key(member).pk}"


def test_invariant_4_private_key_is_stored_only_wrapped(client, member):
    sign_in(client, member)
    private = bytes(unlock(member).private)
    keypair_row = Keypair.objects.filter(user=member).values_list().get()
    session = session_row(client)
    stored = [
        *(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in keypair_row),
        session.session_data.encode(),
        repr(session.get_decoded()).encode(),
    ]
    assert "_rankfile_vault" in session.get_decoded()  # the session does hold the key, wrapped
    assert not [form for form in stored_forms(private) for value in stored if form in value]
    session_key = base64.urlsafe_b64decode(client.cookies[COOKIE].value)
    assert not [form for form in stored_forms(session_key) for value in stored if form in value]


def test_session_store_alone_does_not_yield_the_key(client, member):
    sign_in(client, member)
    # Someone with a copy of the session store sends the session cookie, but has no key cookie.
    thief = Client()
    thief.cookies["sessionid"] = client.cookies["sessionid"].value
    assert unlocked_in(thief) == "locked"
    # ...and the session's wrapped key is dropped once a request comes without its cookie.
    assert "_rankfile_vault" not in session_row(client).get_decoded()
    assert unlocked_in(client) == "locked"


def test_cookie_alone_does_not_yield_the_key(client, member, admin):
    sign_in(client, member)
    cookie = client.cookies[COOKIE].value
    alone = Client()
    alone.cookies[COOKIE] = cookie
    response = alone.get(UNLOCKED)
    assert response.content == b"locked"
    assert response.cookies[COOKIE]["max-age"] == 0  # a cookie without its session is dropped
    # Nor does it open the key in another person's session.
    other = Client()
    sign_in(other, admin)
    other.cookies[COOKIE] = cookie
    assert unlocked_in(other) == "locked"
    assert unlocked_in(client) == f"keypair {current_key(member).pk}"


def test_sign_in_with_totp_keeps_the_key_through_the_second_factor(client, member):
    secret = totp_enabled_for(member)
    response = sign_in(client, member)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert response.cookies[COOKIE]["samesite"] == "Strict"
    session_before = client.cookies["sessionid"].value
    # The password alone does not make the key usable: the second factor is still missing.
    assert unlocked_in(client) == "locked"
    wait_for_the_start_of_a_period(margin=3)  # the code must still be current when it arrives
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    assert client.cookies["sessionid"].value != session_before  # Django's login() gave the session a new key
    assert unlocked_in(client) == f"keypair {current_key(member).pk}"


def test_a_key_left_at_the_second_factor_does_not_serve_whoever_signs_in_next(client, member, admin):
    totp_enabled_for(member)
    sign_in(client, member)  # and walks away at the code prompt
    client.force_login(admin)  # the same browser session, someone else
    assert unlocked_in(client) == "locked"


def test_sign_in_gives_an_account_from_before_keys_its_key_pair(client, member):
    Keypair.objects.filter(user=member).delete()
    sign_in(client, member)
    keypair = keys.person_key(member)
    assert keypair is not None
    assert ledger_data("accounts.vault_key_created", member)[-1] == {"keypair": keypair.pk}
    assert unlocked_in(client) == f"keypair {keypair.pk}"


def test_a_password_set_outside_the_site_still_signs_in_and_says_the_key_stays_locked(client, member):
    keypair = keys.person_key(member)
    member.set_password(NEW_PASSWORD)  # as `rankfile changepassword` would
    member.save()
    sign_in(client, member, NEW_PASSWORD)
    page = client.get("/")
    assert page.context["user"] == member
    assert "Case material could not be unlocked with this password" in page.content.decode()
    assert unlocked_in(client) == "locked"
    assert keys.person_key(member) == keypair  # kept for the old password, not thrown away


def test_password_change_rewraps_the_same_key(client, member):
    sign_in(client, member)
    before = current_key(member)
    private = bytes(unlock(member).private)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()
    after = current_key(member)
    assert after.pk == before.pk
    assert bytes(after.public_key) == bytes(before.public_key)
    assert bytes(after.wrapped_private) != bytes(before.wrapped_private)
    with pytest.raises(VaultError):
        unlock(member)
    assert bytes(unlock(member, NEW_PASSWORD).private) == private
    assert ledger_data("accounts.vault_key_rewrapped", member) == [{"keypair": before.pk}]
    # The session keeps the key, under a fresh session key.
    assert response.cookies[COOKIE]["samesite"] == "Strict"
    assert unlocked_in(client) == f"keypair {before.pk}"


def test_password_change_in_a_session_without_the_key_opens_it_with_the_old_password(client, member):
    client.force_login(member)
    assert unlocked_in(client) == "locked"
    before = current_key(member)
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert unlock(member, NEW_PASSWORD).keypair.pk == before.pk
    assert unlocked_in(client) == f"keypair {before.pk}"


def test_a_password_change_leaves_a_key_it_cannot_open_as_it_was_and_says_so(client, member):
    before = current_key(member)
    member.set_password("set by hand on the server 5")
    member.save()
    client.force_login(member)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "set by hand on the server 5", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Case material could not be unlocked with this password" in response.content.decode()
    assert bytes(current_key(member).wrapped_private) == bytes(before.wrapped_private)
    assert bytes(unlock(member).private)  # still under the password it was made with
    assert ledger_data("accounts.vault_key_rewrapped", member) == []


def test_password_reset_replaces_the_key_and_old_material_stays_locked(client, member):
    old = unlock(member)
    with transaction.atomic():
        version = documents.seal(kind="narrative", content="what happened", readers=[old.keypair])

    done = reset_password_by_email(client, member, NEW_PASSWORD)

    body = done.content.decode()
    assert "Your password is now changed." in body
    assert "stays locked to you until the organization's trustees restore your access" in body
    new = unlock(member, NEW_PASSWORD)
    assert new.keypair.pk != old.keypair.pk
    old.keypair.refresh_from_db()
    assert old.keypair.retired_at is not None
    assert ledger_data("accounts.vault_key_replaced", member) == [
        {"keypair": new.keypair.pk, "retired": old.keypair.pk}
    ]
    with pytest.raises(NotAllowed), transaction.atomic():
        documents.open_text(version, key=new, purpose=LedgeredRead())
    assert documents.readers_of(version) == [old.keypair]  # nothing was re-sealed: it waits for the trustees
    sign_in(client, member, NEW_PASSWORD)
    assert unlocked_in(client) == f"keypair {new.keypair.pk}"


def test_a_reset_while_signed_in_drops_the_old_key_from_the_session(client, member):
    sign_in(client, member)
    reset_password_by_email(client, member, NEW_PASSWORD)
    assert all("_rankfile_vault" not in session.get_decoded() for session in Session.objects.all())
    assert unlocked_in(client) == "locked"
    assert COOKIE not in client.cookies or client.cookies[COOKIE].value == ""


def test_logout_destroys_the_key(client, member):
    sign_in(client, member)
    session_key = client.cookies["sessionid"].value
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    deleted = response.cookies[COOKIE]
    assert deleted.value == ""
    assert deleted["max-age"] == 0
    assert deleted["samesite"] == "Strict"
    assert not Session.objects.filter(session_key=session_key).exists()
    assert all("_rankfile_vault" not in session.get_decoded() for session in Session.objects.all())
    assert unlocked_in(client) == "locked"


def test_session_expiry_drops_the_key_cookie(client, member):
    sign_in(client, member)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).delete()  # the idle time ran out
    response = client.get(UNLOCKED)
    assert response.content == b"locked"
    assert response.cookies[COOKIE]["max-age"] == 0
