import pytest
from playwright.sync_api import expect

from rankfile.ledger import actions as ledger
from tests.browser.helpers import sign_in
from tests.ledger.helpers import append

pytestmark = pytest.mark.django_db(transaction=True)


def test_oversight_reads_the_ledger_and_follows_a_proof(live_server, new_page, a11y, admin):
    append(4)  # after the admin's account and key pair: 6 entries
    ledger.checkpoint_create()
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.get_by_role("link", name="Ledger").click()
    expect(page.get_by_role("heading", name="Latest checkpoints")).to_be_visible()
    expect(page.get_by_text("verified", exact=True)).to_be_visible()
    a11y.check(page)

    page.get_by_label("Action starts with").fill("test.")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(4 + 1)  # the entries, plus the one checkpoint row
    a11y.check(page)

    page.get_by_role("link", name="proof for entry 3").click()
    expect(page.get_by_text("Entry 3 is part of the ledger signed at 6 entries")).to_be_visible()
    a11y.check(page)

    page.goto(live_server.url + "/ledger/checkpoint/")
    expect(page.get_by_role("heading", name="Latest checkpoint: 6 entries")).to_be_visible()
    a11y.check(page)
