"""A plain page view writes nothing (the session is saved when it changes, marked active at most once in a few
minutes), and the base layout's context is worked out once per request: a member's home page in a few queries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rankfile.web.middleware import SESSION_ACTIVITY_FIELD
from tests.cases import builders
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")


def writes_in(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def org() -> builders.Organization:
    return builders.organization()


def settled_client(who: builders.Member):
    client = signed_in(who.user, who.key)
    client.get("/")  # the first view after signing in marks the session active
    return client


def test_a_members_home_page_writes_nothing_and_makes_few_queries(org):
    client = settled_client(org.people["rae"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    assert writes_in(captured) == []
    # 35 before the layout's answers were remembered for the request and the case menu asked in one query; then 21,
    # before the bulletin's waiting items (its editors from the bylaws, an edit to answer) and the cases a handler
    # runs asked apart from their reports (a query PostgreSQL plans well), 24; 19 since the case questions are asked
    # only of people the menu's one query finds handling a case or party to one.
    assert len(captured) <= 19, len(captured)


def test_the_home_page_asks_who_the_person_is_once(org):
    client = settled_client(org.people["dana"])
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    asked = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "org_person"')]
    assert len(asked) == 1


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_is_marked_active_again_only_after_the_renewal_interval(org):
    client = settled_client(org.people["rae"])
    first = session_row(client)
    stamp = first.get_decoded()[SESSION_ACTIVITY_FIELD]
    client.get("/")
    assert session_row(client).expire_date == first.expire_date  # within the interval: not written
    # The last mark as if made an interval ago: the next view marks the session again and moves its end on.
    session = client.session
    session[SESSION_ACTIVITY_FIELD] = stamp - settings.SESSION_RENEW_SECONDS
    session.save()
    moved_from = session_row(client).expire_date
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    assert any("django_session" in sql for sql in writes_in(captured))
    renewed = session_row(client)
    assert renewed.expire_date > moved_from
    assert renewed.get_decoded()[SESSION_ACTIVITY_FIELD] >= stamp


def test_an_idle_session_still_ends(org):
    client = settled_client(org.people["rae"])
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=Session.objects.get(session_key=client.session.session_key).expire_date
        - timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    )
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_visitor_without_a_session_is_given_none_by_a_page_view():
    client = Client()
    response = client.get("/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_every_answer_says_how_long_the_server_took():
    response = Client().get("/api/health")
    name, duration = response["Server-Timing"].split(";dur=")
    assert name == "app"
    assert float(duration) >= 0
