"""Reporting without an account, as a person tries it: the way in from the home page, keeping the receipt code
(copy, download, no link that loses it), leaving quickly and ending the session, handlers told that the reporter
can be reached only through messages, and reports called by their dates rather than by a number."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.cases.models import Report
from tests.cases.builders import organization
from tests.cases.helpers import signed_in
from tests.cases.test_pages import WHAT, anonymous_start, sent_formal

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


def _today() -> str:
    return date_format(timezone.localdate(), "j F Y")


def _sent_anonymously(org) -> tuple[Client, Report]:
    client, report, _code = anonymous_start()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    response = client.post(f"/report/{report.pk}/send/", {"path": "formal"})
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    return client, report


# --- the home page, signed out -------------------------------------------------------------------------------------


def test_the_home_page_offers_a_signed_out_visitor_a_report_without_signing_in(org):
    page = Client().get("/").content.decode()
    assert '<a class="button" href="/report/">Report without signing in (anonymously)</a>' in page
    assert 'href="/report/receipt/"' in page
    assert "Sign in" in page


def test_the_home_page_of_a_signed_in_person_does_not_offer_the_anonymous_path(org):
    rae = org.people["rae"]
    page = signed_in(rae.user, rae.key).get("/").content.decode()
    assert "Report without signing in" not in page


# --- the receipt code ------------------------------------------------------------------------------------------------


def test_the_receipt_page_offers_to_copy_and_download_the_code_and_warns_before_leaving(org):
    response = Client().post("/report/")
    page = response.content.decode()
    code = re.search(r'<code id="receipt-code">([\d-]+)</code>', page)
    assert code
    assert 'data-copy="receipt-code"' in page  # shown by the script; hidden without it
    assert '<form method="post" action="/report/receipt/download/" data-leave-ok>' in page
    assert f'<input type="hidden" name="code" value="{code.group(1)}">' in page
    assert "data-leave-warning=" in page
    assert 'href="/report/receipt/"' not in page  # its own link no longer leads away from the code
    report = Report.objects.get()
    assert f'href="/report/{report.pk}/" data-leave-ok' in page
    assert '<script src="/static/cases/reporting.js" defer></script>' in page


def test_the_receipt_page_opens_hotlines_in_a_new_tab_so_that_the_code_stays_on_screen(org, settings):
    settings.SUPPORT_HOTLINES = [("Chat", "https://example.org/chat")]
    page = Client().post("/report/").content.decode()
    assert 'href="https://example.org/chat" rel="noopener noreferrer" target="_blank"' in page
    elsewhere = Client().get("/report/").content.decode()
    assert 'target="_blank"' not in elsewhere


def test_the_receipt_code_downloads_as_a_text_file_that_says_where_to_use_it(org):
    client, _report, code = anonymous_start()
    response = client.post("/report/receipt/download/", {"code": code})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="receipt code.txt"'
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert code in text
    assert "http://testserver/report/receipt/" in text
    assert "I have a receipt code" in text
    assert _today() in text
    assert "%(" not in text


@pytest.mark.parametrize("code", ["", "1234", "abcd-efgh-ijkl-mnop-qrst", "1234-5678-9012-3456-7890<script>"])
def test_a_download_of_anything_but_a_receipt_code_is_refused(org, code):
    response = Client().post("/report/receipt/download/", {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/report/"


def test_the_receipt_code_field_asks_for_digits_and_is_not_remembered(org):
    page = Client().get("/report/receipt/").content.decode()
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page)
    assert field
    assert 'inputmode="numeric"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)


# --- leaving quickly, ending the session -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/report/", "/report/receipt/"])
def test_every_reporting_page_has_a_quick_exit_that_works_as_a_plain_link(org, path):
    page = Client().get(path).content.decode()
    assert '<a class="button primary" href="https://www.wikipedia.org/" data-quick-exit rel="noreferrer">' in page
    assert "Leave this site quickly" in page


def test_the_quick_exit_is_on_the_reporters_own_pages_and_goes_where_the_organization_chose(org, settings):
    settings.QUICK_EXIT_URL = "https://weather.example.org/"
    client, report, _code = anonymous_start()
    for path in (f"/report/{report.pk}/", f"/report/{report.pk}/send/"):
        page = client.get(path).content.decode()
        assert 'href="https://weather.example.org/" data-quick-exit' in page, path


@pytest.mark.parametrize("value", ["javascript:alert(1)", "file:///etc/passwd", "www.example.org", "https://"])
def test_a_quick_exit_address_that_is_not_a_web_address_is_refused(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from rankfile.settings import envurl

    monkeypatch.setenv("RANKFILE_QUICK_EXIT_URL", value)
    with pytest.raises(ImproperlyConfigured, match="RANKFILE_QUICK_EXIT_URL must be a web address"):
        envurl("RANKFILE_QUICK_EXIT_URL", "https://www.wikipedia.org/")


def test_the_quick_exit_goes_to_wikipedia_unless_the_organization_chose_elsewhere(monkeypatch):
    from rankfile.settings import envurl

    monkeypatch.delenv("RANKFILE_QUICK_EXIT_URL", raising=False)
    assert envurl("RANKFILE_QUICK_EXIT_URL", "https://www.wikipedia.org/") == "https://www.wikipedia.org/"
    monkeypatch.setenv("RANKFILE_QUICK_EXIT_URL", " https://weather.example.org/ ")
    assert envurl("RANKFILE_QUICK_EXIT_URL", "https://www.wikipedia.org/") == "https://weather.example.org/"


def test_an_anonymous_reporter_ends_the_session_and_the_report_no_longer_opens_here(org):
    client, report, code = anonymous_start()
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert '<form method="post" action="/report/end/">' in page
    assert "End this session" in page
    response = client.post("/report/end/", follow=True)
    assert response.redirect_chain[-1][0] == "/report/"
    assert "This session has ended. Only your receipt code opens your report again." in response.content.decode()
    assert settings.VAULT_COOKIE_NAME not in client.cookies or not client.cookies[settings.VAULT_COOKIE_NAME].value
    assert client.get(f"/report/{report.pk}/").status_code in (302, 403, 404)
    assert "End this session" not in client.get("/report/").content.decode()
    # The code still opens it, in this browser as in any other.
    again = client.post("/report/receipt/", {"code": code})
    assert again["Location"] == f"/report/{report.pk}/"


def test_ending_the_session_is_not_offered_to_a_signed_in_reporter_and_does_not_sign_them_out(org):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    assert "End this session" not in client.get("/report/").content.decode()
    client.post("/report/end/")
    assert "Signed in as Rae Reporter." in client.get("/").content.decode()


# --- handlers: an anonymous reporter is reached only through messages ------------------------------------------------


def test_handlers_are_told_an_anonymous_report_can_be_answered_only_through_messages(org):
    _client, report = _sent_anonymously(org)
    dev = org.people["dev"]
    client = signed_in(dev.user, dev.key)
    inbox = client.get("/cases/").content.decode()
    assert "Anonymous: reply only through messages here" in inbox
    page = client.get(f"/cases/{report.pk}/").content.decode()
    assert "Anonymous: reply only through messages here" in page
    assert "There is no email address to write to" in page


def test_a_report_from_a_member_is_not_marked_anonymous(org):
    _client, report = sent_formal(org)
    dev = org.people["dev"]
    client = signed_in(dev.user, dev.key)
    assert "Anonymous" not in client.get("/cases/").content.decode()
    assert "Anonymous" not in client.get(f"/cases/{report.pk}/").content.decode()


# --- reports by their dates, never by a number -----------------------------------------------------------------------


def test_the_reporter_sees_their_report_by_its_date(org):
    client, report = sent_formal(org)
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert f"<h1>Your report of {_today()}</h1>" in page
    assert f"Report {report.pk}" not in page


def test_handlers_see_a_report_by_its_path_and_the_date_it_was_received(org):
    _client, report = sent_formal(org)
    dev = org.people["dev"]
    client = signed_in(dev.user, dev.key)
    inbox = client.get("/cases/").content.decode()
    received = date_format(timezone.localtime(report.sent_at), "j F Y, H:i")
    assert f'<a href="/cases/{report.pk}/">Received {received}</a>' in inbox
    page = client.get(f"/cases/{report.pk}/").content.decode()
    assert f"<h1>Formal complaint received {_today()}</h1>" in page
    assert f"Report {report.pk}" not in inbox + page
