import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/accounts/login/"


def test_member_signs_in_with_email_and_password(client, member):
    response = client.post(LOGIN, {"login": "MEMBER@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"] == member


def test_wrong_password_is_refused_with_a_clear_message(client, member):
    response = client.post(LOGIN, {"login": member.email, "password": "not it"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert not client.get(reverse("web:home")).context["user"].is_authenticated


def test_repeated_failures_lock_the_account_with_a_clear_message(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"login": member.email, "password": "wrong guess"})
    locked = client.post(LOGIN, {"login": member.email, "password": "wrong guess"})

    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Sign-in paused for this account" in body
    assert "Try again in 15" in body
    assert "Reset my password" in body
    # Even the right password is refused while the lock holds.
    again = client.post(LOGIN, {"login": member.email, "password": PASSWORD})
    assert again.status_code == 429
    assert not client.get(reverse("web:home")).context["user"].is_authenticated


def test_open_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert "Joining is by invitation" in response.content.decode()
    client.post("/accounts/signup/", {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD})
    from rankfile.accounts.models import User

    assert not User.objects.filter(email="x@example.org").exists()


def test_password_reset_by_email(client, member):
    client.post("/accounts/password/reset/", {"email": member.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    new_password = "a fresh and different passphrase 7"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_password_reset_answers_the_same_for_unknown_addresses(client, member):
    known = client.post("/accounts/password/reset/", {"email": member.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    reset_links = [m for m in mail.outbox if "/accounts/password/reset/key/" in str(m.body)]
    assert [m.to for m in reset_links] == [[member.email]]


def test_session_cookies_are_secure_and_http_only(client, member):
    response = client.post(LOGIN, {"login": member.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Sessions end with the browser and after the idle time, never "remember me for weeks".
    assert cookie["max-age"] == ""


def test_a_stranger_elsewhere_cannot_lock_a_person_out(member, settings):
    from django.test import Client

    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(LOGIN, {"login": member.email, "password": "guess"})
    assert attacker.post(LOGIN, {"login": member.email, "password": PASSWORD}).status_code == 429
    at_home = Client(REMOTE_ADDR="198.51.100.7")
    assert at_home.post(LOGIN, {"login": member.email, "password": PASSWORD}).status_code == 302


def test_failures_for_other_accounts_do_not_lock_everyone_behind_one_address(member, admin, settings):
    from django.test import Client

    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        Client().post(LOGIN, {"login": f"nobody{n}@example.org", "password": "guess"})
    assert Client().post(LOGIN, {"login": admin.email, "password": PASSWORD}).status_code == 302


def test_password_reset_lifts_the_lockout(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": member.email, "password": "guess"})
    assert client.post(LOGIN, {"login": member.email, "password": PASSWORD}).status_code == 429
    client.post("/accounts/password/reset/", {"email": member.email})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", str(mail.outbox[-1].body))
    assert link
    form_page = client.get("/" + link.group(0).split("://", 1)[1].split("/", 1)[1], follow=True)
    new_password = "a fresh and different passphrase 7"
    client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert client.post(LOGIN, {"login": member.email, "password": new_password}).status_code == 302


def test_adding_email_addresses_is_not_offered(client, member):
    client.force_login(member)
    assert client.get("/accounts/email/").status_code == 404
    client.post("/accounts/email/", {"action_add": "", "email": "other@example.org"})
    from allauth.account.models import EmailAddress

    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [member.email]
