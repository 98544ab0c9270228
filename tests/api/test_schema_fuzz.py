"""schemathesis against the WSGI application, from the OpenAPI document the API serves: requests that fit the
document and requests that do not, signed in (a session, its vault cookie and its CSRF token) as a seated
panelist and as a party of real cases. Every answer is no server error, has a status the document lists for the
operation, and fits the document's schema for it. Derandomized, so that a failure is the same on every run."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 5  # per operation, mode and person: 19 operations, 2 modes, 2 people


@contextmanager
def in_the_test_transaction() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; the test's transaction needs it open
    (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass(frozen=True)
class Browser:
    """The cookies a browser holds once signed in (the session, the vault cookie, the CSRF cookie) and the CSRF
    header a page's script sends."""

    cookies: dict[str, str]
    headers: dict[str, str]


def signed_in_browser(who: cb.Member) -> Browser:
    client = signed_in(who.user, who.key)
    csrf = _get_new_csrf_string()
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.VAULT_COOKIE_NAME: client.cookies[settings.VAULT_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return Browser(cookies=cookies, headers={"X-CSRFToken": csrf})


def fuzz(schema: Any, *, browser: Browser, references: list[str]) -> dict[tuple[str, int], int]:
    """Every operation, in both modes; returns how many answers there were of each status, by operation."""
    answers: Counter[tuple[str, int]] = Counter()
    for found in schema.get_all_operations():
        operation = found.ok()
        modes = [schemathesis.GenerationMode.POSITIVE]
        if len(operation.path_parameters) or len(operation.body):  # something to get wrong (not the health check)
            modes.append(schemathesis.GenerationMode.NEGATIVE)
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode), reference=st.sampled_from(references))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any, reference: str) -> None:
                if "reference" in (case.path_parameters or {}):
                    case.path_parameters["reference"] = reference
                response = case.call(headers=browser.headers, cookies=browser.cookies)
                answers[(case.operation.label, response.status_code)] += 1
                case.validate_response(response, checks=CHECKS, headers=browser.headers)

            check()
    return answers


def test_the_api_answers_as_its_openapi_document_says_and_never_with_a_server_error():
    org = cb.full_organization()
    cases = [cb.seated(org), cb.noticed(org), cb.decided(org).case]
    references = [case.reference for case in cases] + ["C-1999-1"]
    with in_the_test_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
        answers = Counter[tuple[str, int]]()
        for who in ("dana", "ray"):
            answers.update(fuzz(schema, browser=signed_in_browser(org[who]), references=references))
    # It went past the door: the case operations answered something other than "not found" too.
    assert {status for (label, status) in answers if "/cases/" in label} >= {200, 400, 404}
    assert any(label.startswith("POST") and status == 400 for (label, status) in answers)  # past CSRF and the door
