"""A reporter on her phone keeps the filing receipt of her report, and anyone, signed out, checks it on the public
page. Every page fits a 390 px screen and passes axe."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_reporter_keeps_her_filing_receipt_and_a_stranger_checks_it(live_server, new_page, a11y, tmp_path):
    org = cb.full_organization()
    report = cb.formal_report(org)  # sent; the checkpoint is signed as the sending commits
    rae = new_page()
    rae.set_viewport_size(PHONE)
    sign_in(rae, a11y, base_url=live_server.url, email=email_of(can_sign_in(org["rae"])))
    rae.goto(f"{live_server.url}/report/{report.pk}/")
    a11y.check(rae)
    rae.get_by_role("link", name="Your filing receipt").click()
    expect(rae.get_by_role("heading", name="Filing receipt", level=1)).to_be_visible()
    a11y.check(rae)
    assert rae.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The receipt's text, opened on the phone: its hashes break between groups of 8 and fit; copied, each is whole.
    rae.get_by_text("The receipt's text").click()
    text = rae.get_by_label("The receipt as text")
    expect(text).to_be_visible()
    a11y.check(rae)
    assert rae.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert text.evaluate("pre => pre.scrollWidth <= pre.clientWidth")  # nothing to scroll inside it either
    assert json.loads(text.inner_text())["leaf_hash"] == json.loads(text.text_content() or "")["leaf_hash"]
    assert len(json.loads(text.inner_text())["leaf_hash"]) == 64
    with rae.expect_download() as download:
        rae.get_by_role("link", name="Download the receipt (a small file)").click()
    kept = tmp_path / download.value.suggested_filename
    download.value.save_as(kept)
    assert kept.name.startswith("filing-receipt-")

    stranger = new_page()
    stranger.set_viewport_size(PHONE)
    stranger.goto(f"{live_server.url}/ledger/checkpoint/")
    a11y.check(stranger)
    stranger.get_by_role("link", name="Check a filing receipt").click()
    a11y.check(stranger)
    stranger.get_by_label("The receipt's file").set_input_files(str(kept))
    stranger.get_by_role("button", name="Check the receipt").click()
    expect(stranger.get_by_role("heading", name="The receipt checks out")).to_be_visible()
    a11y.check(stranger)
    assert stranger.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
