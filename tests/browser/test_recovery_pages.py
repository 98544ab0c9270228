from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from playwright.sync_api import expect

from rankfile.accounts import actions as account_actions
from rankfile.accounts import recovery
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.vault import documents, keys
from rankfile.vault.models import Recovery
from tests.browser.helpers import sign_in
from tests.org.builders import body, enrolled
from tests.personas import PASSWORD
from tests.totp import code_to_enter
from tests.vault.helpers import LedgeredRead, key_for

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_code(page, a11y, *, base_url: str, email: str, secret: str) -> None:
    page.goto(base_url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Code").fill(code_to_enter(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Approve or refuse a recovery request")).to_be_visible()
    a11y.check(page)


def test_admin_sets_up_the_recovery_key_and_two_trustees_restore_a_members_access(
    live_server, new_page, a11y, admin, oversight, member
):
    commission = body("oversight-commission", kind="oversight")
    document = bylaws.defaults()
    document["roles"]["oversight"] = commission.slug
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2020, 1, 1), adopted_by_vote="Convention 2019", by=OPERATOR
    )
    tove = account_actions.account_create(email="tove@example.org", password=PASSWORD, name="Tove Trustee")
    uri = account_actions.account_create(email="uri@example.org", password=PASSWORD, name="Uri Trustee")
    secrets = {}
    for trustee in (oversight, tove, uri):
        key_for(trustee)
        org_actions.person_seat(
            person=enrolled(trustee.name, user=trustee),
            body=commission,
            basis="elected",
            starts_on=date(2020, 1, 1),
            by=OPERATOR,
        )
        secrets[trustee.pk] = generate_totp_secret()
        TOTP.activate(trustee, secrets[trustee.pk])

    # The site administrator sets up the key: a threshold out of range first, then 2 of 3.
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.get_by_role("link", name="Recovery key").click()
    expect(page.get_by_role("heading", name="Set up the recovery key")).to_be_visible()
    a11y.check(page)
    for name in ("Oona Oversight", "Tove Trustee", "Uri Trustee"):
        page.get_by_label(name).check()
    page.get_by_label("Trustees needed to agree").fill("4")
    page.get_by_role("button", name="Set up the recovery key").click()
    expect(page.get_by_text("a number from 2 to 3").first).to_be_visible()
    a11y.check(page)
    page.get_by_label("Trustees needed to agree").fill("2")
    page.get_by_role("button", name="Set up the recovery key").click()
    expect(page.get_by_text("The recovery key is set up: any 2 of its 3 trustees")).to_be_visible()
    a11y.check(page)

    # A member's statement, then a password reset: the restoration waits for the trustees.
    with transaction.atomic():
        version = documents.seal(kind="statement", content="in my own words", readers=[key_for(member).keypair])
    fresh = keys.person_key_create(user=member, password="a new passphrase after the reset 7")
    recovery.access_restore_request(user=member, by=member)

    steps = (
        (oversight, "Approve or refuse a recovery request", "1 more trustee must approve"),
        (uri, "Recovery requests", "Yours was the last approval needed"),
    )
    for trustee, link, expected in steps:
        trustee_page = new_page()
        sign_in_with_code(trustee_page, a11y, base_url=live_server.url, email=trustee.email, secret=secrets[trustee.pk])
        trustee_page.get_by_role("link", name=link, exact=True).click()
        expect(trustee_page.get_by_role("cell", name="Restore the access of Mo Member", exact=True)).to_be_visible()
        a11y.check(trustee_page)
        trustee_page.get_by_role("button", name="Approve (restore the access of Mo Member)").click()
        expect(trustee_page.get_by_text(expected)).to_be_visible()
        a11y.check(trustee_page)

    assert Recovery.objects.get().completed_at is not None
    with transaction.atomic():
        assert documents.open_text(version, key=fresh, purpose=LedgeredRead()) == "in my own words"
