import json
import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.urls")]


def without_csrf_token(page: bytes) -> bytes:
    """Each response carries a freshly masked CSRF token; everything else must be identical."""
    page = re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', page)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b'name="csrfmiddlewaretoken" value=""', page)


@pytest.fixture
def browser_client():
    return Client(raise_request_exception=False)


def test_invariant_11_not_found_and_forbidden_look_the_same_in_pages(browser_client, member):
    browser_client.force_login(member)
    missing = browser_client.get("/no/such/page/")
    forbidden = browser_client.get("/test/forbidden/")
    assert missing.status_code == forbidden.status_code == 404
    assert without_csrf_token(missing.content) == without_csrf_token(forbidden.content)
    assert "cases.read" not in forbidden.content.decode()


def test_a_signed_out_visitor_is_asked_to_sign_in_instead_of_being_told_not_found(browser_client):
    response = browser_client.get("/test/forbidden/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/test/forbidden/"


def test_invariant_11_not_found_and_forbidden_look_the_same_in_the_api(browser_client):
    missing = browser_client.get("/api/no/such/thing")
    forbidden = browser_client.get("/api/test/forbidden")
    assert missing.status_code == forbidden.status_code == 404
    assert missing["Content-Type"] == forbidden["Content-Type"] == "application/problem+json"
    assert json.loads(missing.content) == json.loads(forbidden.content)


def test_server_error_page_is_friendly_and_reveals_nothing(browser_client):
    response = browser_client.get("/test/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body
    assert "cases_statement" not in body


def test_api_server_error_is_problem_json_without_detail(browser_client):
    response = browser_client.get("/api/test/crash")
    assert response.status_code == 500
    problem = json.loads(response.content)
    assert problem["status"] == 500
    assert "secret" not in response.content.decode()


def test_api_invalid_input_is_rfc9457_problem_with_field_errors(browser_client):
    response = browser_client.get("/api/test/invalid")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem == {
        "type": "about:blank#invalid_input",
        "title": "Please check what you entered",
        "status": 400,
        "detail": "The due date must be after the meeting.",
        "code": "invalid_input",
        "errors": {"due": ["Pick a later date."]},
    }


def test_ineligible_page_gives_the_reason_code_only(browser_client):
    response = browser_client.get("/test/ineligible/")
    assert response.status_code == 409
    assert "This person cannot take this seat." in response.content.decode()


def test_health_endpoint_reports_ok(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
