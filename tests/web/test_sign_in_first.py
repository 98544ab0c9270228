"""A signed-out visitor who opens a page that needs a sign-in is sent to sign in and brought back; a signed-in
person who may not see a thing still gets "not found", the same as for a thing that does not exist."""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from rankfile.cases import notify
from rankfile.cases.actions import intake
from rankfile.cases.models import ReportPath
from tests.personas import PASSWORD
from tests.totp import totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
# Pages that answer a signed-out visitor themselves: the start page, making a report, a receipt code, an
# invitation, the public tracker, a calendar address with its token, the ledger's public checkpoint and proofs, and
# the transparency reports published to everyone.
PUBLIC = {
    "web:home",
    "cases:report_start",
    "cases:report_receipt",
    "cases:report_receipt_download",
    "cases:report_session_end",
    "accounts:invitation_accept",
    "governance:public_tracker",
    "governance:public_mandate_detail",
    "governance:public_calendar",
    "governance:private_calendar",
    "ledger:checkpoint",
    "ledger:checkpoint_text",
    "ledger:receipt_check",
    "ledger:entry_proof",
    "voice:public_statement_list",
    "voice:public_statement_feed",
    "voice:public_statement_detail",
    "transparency:public_list",
    "transparency:public_detail",
    "transparency:public_pdf",
    "transparency:public_csv",
    "voice:support_message",
}
SAMPLE = {"int": "987654", "str": "X-2026-987", "slug": "no-such-body"}


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """Every route of the site as (name, a path with sample values), allauth's own pages and the API left out."""
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            if space != "api" and "allauth" not in getattr(entry.urlconf_module, "__name__", ""):
                found += _routes(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern) and not entry.callback.__module__.startswith("allauth."):
            path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[str(m.group(1) or "str")], route)
            found.append((f"{namespace}:{entry.name}".strip(":"), "/" + path))
    return found


ROUTES = _routes(get_resolver().url_patterns)


def test_the_route_list_covers_the_site():
    names = {name for name, _ in ROUTES}
    assert {"cases:report", "cases:workspace", "org:person_detail", "governance:mandate_detail"} <= names
    assert names >= PUBLIC, PUBLIC - names


@pytest.mark.parametrize(
    ("name", "path"), [r for r in ROUTES if r[0] not in PUBLIC], ids=[r[0] for r in ROUTES if r[0] not in PUBLIC]
)
def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(client, name, path):
    response = client.get(path)
    if response.status_code == 405:  # a form's target that only takes POST: nothing to open
        assert response["Allow"] == "POST"
        return
    if response.status_code == 403:  # a party's case: signing in, or a receipt code for an anonymous reporter
        page = response.content.decode()
        assert f'href="{LOGIN}?next={path}"' in page, page
        assert 'href="/report/receipt/"' in page
        return
    assert response.status_code == 302, f"{name} {path} answered {response.status_code}"
    target = urlsplit(response["Location"])
    assert target.path == LOGIN
    assert parse_qs(target.query)["next"] == [path]


def test_a_signed_out_visitor_learns_nothing_of_whether_a_thing_exists(client, reporter):
    report, _code, _key = intake.report_start(reporter=reporter, path=ReportPath.RECORD_ONLY)
    existing, missing = client.get(f"/report/{report.pk}/"), client.get("/report/987654/")
    assert existing.status_code == missing.status_code == 302
    assert existing["Location"].split("next=")[0] == missing["Location"].split("next=")[0]


@pytest.mark.parametrize(
    "path", ["/public/mandates/X-2026-987/", "/mandates/calendar/no-such-token.ics", "/public/transparency/987654/"]
)
def test_public_pages_still_answer_not_found(client, path):
    assert client.get(path).status_code == 404


def test_an_address_that_is_no_page_is_not_found_signed_out_too(client):
    assert client.get("/no/such/page/").status_code == 404


def test_the_api_answers_a_signed_out_caller_itself(client):
    response = client.get("/api/cases/X-2026-987")
    assert response.status_code in (401, 404)
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_post_from_a_signed_out_visitor_is_not_redirected(client):
    assert client.post("/report/987654/withdraw/", {}).status_code == 404


def test_invariant_11_signed_in_a_forbidden_page_is_still_not_found(reporter, member):
    report, _code, _key = intake.report_start(reporter=reporter, path=ReportPath.RECORD_ONLY)
    other = Client()
    other.force_login(member)
    forbidden, missing = other.get(f"/report/{report.pk}/"), other.get("/report/987654/")
    assert forbidden.status_code == missing.status_code == 404
    assert _without_csrf(forbidden.content) == _without_csrf(missing.content)


def _without_csrf(content: bytes) -> str:
    """The page as text, less its CSRF token: Django masks the token afresh in every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", content.decode())


@override_settings(BASE_URL="http://127.0.0.1:8731")
def test_an_email_link_on_another_port_opens_the_page_after_signing_in(reporter, django_capture_on_commit_callbacks):
    report, _code, _key = intake.report_start(reporter=reporter, path=ReportPath.RECORD_ONLY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify.reporter_of_update(report)
    [message] = mail.outbox
    [link] = re.findall(r"http://\S+", str(message.body))
    assert link == f"http://127.0.0.1:8731/report/{report.pk}/"
    path = urlsplit(link).path

    browser = Client()
    to_sign_in = browser.get(path)
    assert to_sign_in.status_code == 302
    signed_in = browser.post(to_sign_in["Location"], {"login": reporter.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == path
    page = browser.get(path)
    assert page.status_code == 200
    assert "<h1>Your report of " in page.content.decode()


def test_a_link_opened_signed_out_leads_back_through_the_second_factor(panelist):
    secret = generate_totp_secret()
    TOTP.activate(panelist, secret)
    browser = Client()
    to_sign_in = browser.get("/cases/")
    assert to_sign_in["Location"] == f"{LOGIN}?next=/cases/"
    password = browser.post(to_sign_in["Location"], {"login": panelist.email, "password": PASSWORD})
    assert password["Location"] == "/accounts/2fa/authenticate/"
    code = browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert code.status_code == 302
    assert code["Location"] == "/cases/"
