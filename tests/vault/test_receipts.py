"""Anonymous reporters' receipt codes: the code alone opens their key; guesses are rate limited."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from rankfile.vault import documents, keys, sessions
from rankfile.vault.errors import VaultError
from rankfile.vault.models import Keypair
from tests.vault.helpers import LedgeredRead

pytestmark = pytest.mark.django_db


def test_a_receipt_code_has_twenty_random_digits_and_is_stored_nowhere():
    code, unlocked = keys.receipt_key_create()
    assert re.fullmatch(r"\d{4}(-\d{4}){4}", code)
    digits = code.replace("-", "")
    row = Keypair.objects.get(pk=unlocked.keypair.pk)
    stored = [bytes(row.public_key), bytes(row.wrapped_private), bytes(row.salt), (row.locator or "").encode()]
    assert all(digits.encode() not in value for value in stored)
    assert bytes(row.wrapped_private) == b""  # the private key is made from the code each time, never stored
    assert keys.receipt_key_create()[0] != code


def test_the_receipt_code_alone_opens_the_report():
    code, unlocked = keys.receipt_key_create()
    version = documents.seal(kind="narrative", content="what happened", readers=[unlocked.keypair])
    again = keys.receipt_key_unlock(code=code.replace("-", " "))
    assert documents.open_text(version, key=again, purpose=LedgeredRead()) == "what happened"


@pytest.mark.parametrize("wrong", ["0000-0000-0000-0000-0000", "1234", "abcd-efgh", ""])
def test_a_wrong_receipt_code_is_refused_without_saying_more(wrong):
    keys.receipt_key_create()
    with pytest.raises(VaultError) as refused:
        keys.receipt_key_unlock(code=wrong)
    assert refused.value.code == "wrong_key"


def request_from(address: str):
    request = RequestFactory().post("/receipt/", REMOTE_ADDR=address)
    request.session = {}  # type: ignore[assignment]
    return request


def test_wrong_receipt_codes_are_rate_limited_per_client_and_a_right_one_then_waits_too():
    code, _ = keys.receipt_key_create()
    guesser = request_from("203.0.113.7")
    for _ in range(10):
        with pytest.raises(VaultError) as wrong:
            sessions.receipt_unlock(guesser, HttpResponse(), "1111-1111-1111-1111-1111")
        assert wrong.value.code == "wrong_key"
    with pytest.raises(VaultError) as limited:
        sessions.receipt_unlock(guesser, HttpResponse(), code)
    assert limited.value.code == "rate_limited"
    other = request_from("198.51.100.2")
    response = HttpResponse()
    assert sessions.receipt_unlock(other, response, code).keypair.holder == "receipt"
    assert response.cookies["rankfile_vault"]["samesite"] == "Strict"


def test_guesses_from_many_clients_meet_the_overall_ceiling(monkeypatch):
    monkeypatch.setattr(sessions, "RECEIPT_TRIES_OVERALL", "5/h")
    code, _ = keys.receipt_key_create()
    for n in range(5):
        with pytest.raises(VaultError):
            sessions.receipt_unlock(request_from(f"192.0.2.{n}"), HttpResponse(), "2222-2222-2222-2222-2222")
    with pytest.raises(VaultError) as limited:
        sessions.receipt_unlock(request_from("192.0.2.99"), HttpResponse(), code)
    assert limited.value.code == "rate_limited"
