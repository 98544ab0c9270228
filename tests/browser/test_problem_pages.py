import pytest
from playwright.sync_api import expect

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_not_found_page_is_friendly_and_accessible(live_server, new_page, a11y):
    page = new_page()
    response = page.goto(live_server.url + "/no/such/page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    a11y.check(page)


def test_a_signed_out_visitor_is_asked_to_sign_in_and_brought_back(live_server, new_page, a11y, member):
    page = new_page()
    page.goto(live_server.url + "/cases/mine/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/cases/mine/")
    expect(page.get_by_role("heading", name="Your cases")).to_be_visible()
    a11y.check(page)


def test_broken_invitation_link_explains_itself(live_server, new_page, a11y):
    page = new_page()
    response = page.goto(live_server.url + "/invite/half-a-link/")
    assert response.status == 404
    expect(page.get_by_text("copied the whole link")).to_be_visible()
    a11y.check(page)


def test_locked_out_account_is_told_when_to_try_again(live_server, new_page, a11y, member, settings):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    a11y.check(page)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Email").fill(member.email)
        page.get_by_label("Password").fill(f"wrong {attempt}")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if attempt < settings.AXES_FAILURE_LIMIT - 1:
            expect(page.get_by_text("The email address and/or password you specified are not correct.")).to_be_visible()
            a11y.check(page)
    expect(page.get_by_role("heading", name="Sign-in paused for this account")).to_be_visible()
    a11y.check(page)
    # The lock holds against the right password too, and the page points to a way out.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Reset my password")).to_be_visible()
    a11y.check(page)
