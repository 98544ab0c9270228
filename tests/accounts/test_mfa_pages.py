"""The second-factor pages (allauth's, under /accounts/2fa/): every one a signed-in person can reach answers without a
server error, before any second factor and with each kind the settings offer; a security key (WebAuthn) is added on
its page, listed, and signs in."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from rankfile.ledger.models import Entry
from tests.accounts.security_key import SecurityKey
from tests.accounts.test_mfa import enable_totp
from tests.ledger.helpers import by_account
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def second_factor_addresses(key_pk: int) -> list[str]:
    """Every address under /accounts/2fa/, from the URL configuration (so that a page added later is tried too);
    a key's own pages with ``key_pk``."""
    found = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("accounts/2fa/"):
                found.append("/" + route.replace("<int:pk>", str(key_pk)))

    walk(get_resolver().url_patterns, "")
    assert "/accounts/2fa/webauthn/" in found
    return found


def signed_in_again(member) -> Client:
    """Signed in with the password, and asked for it again as allauth does before a factor is added."""
    client = Client(raise_request_exception=False)
    assert client.post("/accounts/login/", {"login": member.email, "password": PASSWORD}).status_code == 302
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def add_security_key(client: Client, key: SecurityKey, name: str = "Blue key") -> Authenticator:
    page = client.get("/accounts/2fa/webauthn/add/")
    assert page.status_code == 200
    credential = key.created(page.context["js_data"]["creation_options"])
    added = client.post("/accounts/2fa/webauthn/add/", {"name": name, "credential": json.dumps(credential)})
    assert added.status_code == 302, added.content.decode()
    return Authenticator.objects.get(user__email=page.context["user"].email, type=Authenticator.Type.WEBAUTHN)


def assert_no_server_error(client: Client, addresses: list[str]) -> None:
    answers = {address: client.get(address).status_code for address in addresses}
    assert {address: status for address, status in answers.items() if status >= 500} == {}
    assert answers["/accounts/2fa/"] == 200
    assert answers["/accounts/2fa/webauthn/"] == 200


def test_every_second_factor_page_a_signed_in_person_reaches_answers_without_a_server_error(member):
    assert_no_server_error(signed_in_again(member), second_factor_addresses(1))  # no factor yet

    client = Client(raise_request_exception=False)
    enable_totp(client, member)  # signs in, as asked again; recovery codes come with it
    key = add_security_key(client, SecurityKey())
    assert_no_server_error(client, second_factor_addresses(key.pk))
    assert client.get(f"/accounts/2fa/webauthn/keys/{key.pk}/edit/").status_code == 200
    assert client.get(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/").status_code == 200


def test_a_security_key_is_added_on_its_page_listed_and_signs_in(member):
    client = signed_in_again(member)
    key = SecurityKey()
    added = add_security_key(client, key, name="Blue key")
    assert added.wrap().name == "Blue key"
    listed = client.get("/accounts/2fa/webauthn/").content.decode()
    assert "Blue key" in listed
    assert ("accounts.second_factor_added", '{"kind":"webauthn"}') in set(
        Entry.objects.filter(**by_account(member)).values_list("action", "data")
    )

    client.post("/accounts/logout/")
    password = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert password["Location"] == "/accounts/2fa/authenticate/"
    stage = client.get("/accounts/2fa/authenticate/")
    assert stage.status_code == 200
    assertion = key.signed(stage.context["js_data"]["request_options"])
    signed_in = client.post("/accounts/2fa/authenticate/", {"credential": json.dumps(assertion)})
    assert signed_in.status_code == 302, signed_in.content.decode()
    assert client.get("/").context["user"] == member
