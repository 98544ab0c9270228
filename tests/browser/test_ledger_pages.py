import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from playwright.sync_api import expect

from rankfile.ledger import actions as ledger
from tests.browser.helpers import sign_in
from tests.ledger.helpers import TEST_ACTION, append, recorded_the_old_way
from tests.org.builders import enrolled

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_oversight_reads_the_ledger_and_follows_a_proof(live_server, new_page, a11y, admin):
    append(4)  # after the admin's account and key pair: 6 entries
    ledger.checkpoint_create()
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.get_by_role("link", name="Ledger").click()
    expect(page.get_by_role("heading", name="Latest checkpoints")).to_be_visible()
    expect(page.get_by_text("verified", exact=True).first).to_be_visible()
    a11y.check(page)

    page.get_by_label("What happened").select_option(label="Anything in: Test")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#entries .ledger-entry")).to_have_count(4)
    expect(page.locator("#entries").get_by_text("A test step was taken")).to_have_count(4)
    a11y.check(page)

    proof = page.get_by_role("link", name="Proof that entry 3 is in the ledger, unchanged")
    expect(proof).to_be_hidden()  # folded away with the hashes
    page.get_by_text("Technical details of entry 3").click()
    proof.click()
    expect(page.get_by_text("Entry 3 is part of the ledger signed at 6 entries")).to_be_visible()
    expect(page.get_by_text("Root hash", exact=True)).to_be_hidden()
    page.get_by_text("The technical proof").click()
    expect(page.get_by_text("Root hash", exact=True)).to_be_visible()
    a11y.check(page)

    page.goto(live_server.url + "/ledger/checkpoint/")
    expect(page.get_by_role("heading", name="Latest checkpoint: 6 entries")).to_be_visible()
    a11y.check(page)


def test_the_ledger_names_who_acted_filters_by_person_and_links_to_their_page(live_server, new_page, a11y, admin):
    for n in range(3):  # people without accounts first: Lee's person id is not Lee's account id
        enrolled(f"Early Person {n}")
    lee_account = get_user_model().objects.create_user(email="lee@example.org", password=None, name="Lee L.")
    lee = enrolled("Lee Leader", user=lee_account)
    assert lee.pk != lee_account.pk
    with recorded_the_old_way(), transaction.atomic():
        ledger.record(actor=lee_account, action=TEST_ACTION, subject=None, data={"n": 1})
    with transaction.atomic():
        ledger.record(actor=lee_account, action=TEST_ACTION, subject=None, data={"n": 2})
    append(2, start=3)  # and the system's

    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.goto(live_server.url + "/ledger/")
    page.get_by_label("Person who acted").fill("Lee Leader")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#entries .ledger-entry")
    expect(rows).to_have_count(2)  # the entry recorded the old way, and the new one
    expect(rows.get_by_role("link", name="Lee Leader")).to_have_count(2)
    a11y.check(page)

    rows.get_by_role("link", name="Lee Leader").first.click()
    expect(page).to_have_url(f"{live_server.url}/org/people/{lee.pk}/")
    expect(page.get_by_role("heading", name="Lee Leader", level=1)).to_be_visible()
    a11y.check(page)


def test_the_ledger_and_a_proof_fit_a_phone(live_server, new_page, a11y, admin):
    append(120)  # more than two pages of fifty
    ledger.checkpoint_create()
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.goto(live_server.url + "/ledger/")
    expect(page.locator("#entries .ledger-entry")).to_have_count(50)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Fifty entries in words, not a table of raw data: a few screens, not tens of thousands of pixels.
    assert page.evaluate("document.documentElement.scrollHeight") < 12_000
    a11y.check(page)
    page.get_by_text("Technical details of entry 100").click()  # the hashes, unfolded, still fit
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Older").click()
    # "of 3" only where every entry is the reader's to see: a site administrator's list is not counted.
    expect(page.locator(".pagination")).to_contain_text("Page 2")
    page.get_by_role("link", name="Older").click()
    expect(page.locator(".pagination")).to_contain_text("Page 3")
    expect(page.get_by_role("link", name="Older")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    a11y.check(page)

    page.goto(live_server.url + "/ledger/entries/7/proof/")
    page.get_by_text("The technical proof").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    a11y.check(page)
