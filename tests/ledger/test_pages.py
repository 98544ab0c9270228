import re

import pytest

from rankfile.ledger import actions as ledger
from rankfile.ledger.forms import subject_choices
from tests.ledger.helpers import append

pytestmark = pytest.mark.django_db(transaction=True)


def test_oversight_page_lists_entries_and_checkpoint_status(client, admin):
    append(3)
    ledger.checkpoint_create()
    client.force_login(admin)
    page = client.get("/ledger/").content.decode()
    assert "test.step_taken" in page
    assert "accounts.account_created" in page
    assert "verified" in page
    who_lines = re.findall(r'<p class="ledger-entry-who">(.*?)</p>', page, re.S)
    assert who_lines
    assert not [line for line in who_lines if re.search(r"\s,", line)]  # "By Ada Admin, 7 December"


def test_oversight_page_filters_and_explains_bad_filters(client, admin):
    append(2)
    client.force_login(admin)
    page = client.get("/ledger/", {"action": "test."}).content.decode()
    filtered = page[page.index('id="entries"') :]  # the entries listed, after the filter's form
    assert "test.step_taken" in filtered
    assert "accounts.account_created" not in filtered
    assert '<option value="accounts.">Anything in: Accounts and signing in</option>' in page  # choices in words
    assert '<option value="accounts.account_created">An account was created</option>' in page
    bad = client.get("/ledger/", {"action": "DROP TABLE", "since": "2026-13-45"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Choose what happened from the list." in body
    assert "Enter a valid date" in body


def test_members_cannot_see_the_ledger_entries(client, member):
    client.force_login(member)
    assert client.get("/ledger/").status_code == 404


def test_public_checkpoint_page_shows_only_the_signed_checkpoint(client, db):
    append(2)
    checkpoint = ledger.checkpoint_create()
    page = client.get("/ledger/checkpoint/").content.decode()
    assert checkpoint.note.split("\n")[2] in page
    assert "test.step_taken" not in page
    text = client.get("/ledger/checkpoint.txt")
    assert text["Content-Type"].startswith("text/plain")
    assert text.content.decode() == checkpoint.note


def test_proof_page_and_json(client, db):
    append(5)
    ledger.checkpoint_create()
    page = client.get("/ledger/entries/4/proof/")
    assert page.status_code == 200
    assert "is part of the ledger signed at 5 entries" in page.content.decode()
    proof = client.get("/api/ledger/entries/4/proof").json()
    assert proof["verified"] is True
    assert proof["seq"] == 4
    assert client.get("/ledger/entries/99/proof/").status_code == 404
    missing = client.get("/api/ledger/entries/99/proof")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_the_filter_offers_kinds_of_subject_by_name_not_a_model_path_to_type(client, admin):
    append(1)
    client.force_login(admin)
    page = client.get("/ledger/").content.decode()
    assert "e.g. accounts.invitation" not in page
    assert '<optgroup label="Accounts and signing in">' in page
    assert '<option value="accounts.invitation">Invitation</option>' in page
    chosen = client.get("/ledger/", {"subject_type": "accounts.invitation"}).content.decode()
    assert '<option value="accounts.invitation" selected>Invitation</option>' in chosen
    made_up = client.get("/ledger/", {"subject_type": "accounts.nothing"}).content.decode()
    assert "Choose what it is about from the list." in made_up


def test_the_filter_names_each_kind_of_subject_in_plain_words():
    names = {value: label for _part, kinds in subject_choices().choices[1:] for value, label in kinds}
    assert names["accounts.apitoken"] == "API key"
    assert names["cases.casedocument"] == "Document of a case"
    assert names["cases.casestep"] == "Step of a case"
    assert names["org.legacyledgeractor"] == "Account in early ledger entries"
    assert not [label for label in names.values() if label in {"Api token", "Case document", "Case step"}]
