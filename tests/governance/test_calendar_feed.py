"""The member's private address of the members' calendar feed: for calendar apps, which cannot sign in. Made,
replaced and stopped by the member (each on the ledger); not found once replaced or stopped, or once its owner is
no longer a member in good standing."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from rankfile.errors import NotAllowed
from rankfile.governance import mandates
from rankfile.governance.models import CalendarFeed, Mandate
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from tests.governance.builders import login, mandate, organization, person_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


@pytest.fixture
def member_login(member):
    person_for(member)
    return member


def private_path(client: Client) -> str:
    """The private address shown on the tracker, as a path."""
    page = client.get("/mandates/").content.decode()
    start = page.index('id="feed-address"')
    value = page[page.index('value="', start) + 7 :]
    return urlsplit(value[: value.index('"')]).path


def titled(org, title: str, **kw) -> Mandate:
    adopted = mandate(org, **kw)
    Mandate.objects.filter(pk=adopted.pk).update(title=title)
    return adopted


def test_a_member_subscribes_with_a_private_address_that_needs_no_session(client, org, member_login):
    titled(org, "Internal budget review", visibility="members")
    client.force_login(member_login)
    page = client.get("/mandates/").content.decode()
    assert "Make my private calendar address" in page
    assert 'id="feed-address"' not in page
    assert client.post("/mandates/calendar/renew/").status_code == 302
    path = private_path(client)
    assert path.startswith("/mandates/calendar/")
    assert path.endswith(".ics")
    calendar_app = Client()  # no session
    response = calendar_app.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Due: Internal budget review")
    assert calendar_app.get(path, {"status": "done"}).content.count(b"BEGIN:VEVENT") == 0  # filters apply


def test_the_address_is_stored_only_as_a_hash(client, org, member_login):
    client.force_login(member_login)
    client.post("/mandates/calendar/renew/")
    token = private_path(client).removeprefix("/mandates/calendar/").removesuffix(".ics")
    assert len(token) == 64
    feed = CalendarFeed.objects.get(user=member_login)
    assert token not in {feed.salt, feed.token_sha256}
    assert feed.token_sha256 is not None
    assert len(feed.token_sha256) == 64


def test_a_replaced_address_is_not_found_and_the_new_one_works(client, org, member_login):
    titled(org, "Internal budget review")
    client.force_login(member_login)
    client.post("/mandates/calendar/renew/")
    old = private_path(client)
    response = client.post("/mandates/calendar/renew/", follow=True)
    assert "Any earlier one no longer works." in response.content.decode()
    new = private_path(client)
    assert new != old
    calendar_app = Client()
    assert calendar_app.get(old).status_code == 404
    assert calendar_app.get(new).status_code == 200


def test_a_stopped_address_is_not_found(client, org, member_login):
    client.force_login(member_login)
    client.post("/mandates/calendar/renew/")
    path = private_path(client)
    assert client.post("/mandates/calendar/stop/").status_code == 302
    assert Client().get(path).status_code == 404
    assert "Make my private calendar address" in client.get("/mandates/").content.decode()


def test_invariant_11_the_address_of_someone_no_longer_in_good_standing_is_not_found(client, org, member_login):
    client.force_login(member_login)
    client.post("/mandates/calendar/renew/")
    path = private_path(client)
    assert Client().get(path).status_code == 200
    org_actions.membership_status_change(
        person=member_login.person,
        status="lapsed",
        effective_from=timezone.localdate(),
        reason_code="dues_unpaid",
        by=OPERATOR,
    )
    assert Client().get(path).status_code == 404


def test_invariant_11_someone_who_is_not_a_member_gets_no_private_address(client, org):
    ally = login("Al Ally")
    client.force_login(ally)
    page = client.get("/mandates/").content.decode()
    assert "Subscribe from your calendar app" not in page
    assert client.post("/mandates/calendar/renew/").status_code == 404
    assert not CalendarFeed.objects.exists()
    with pytest.raises(NotAllowed):
        mandates.calendar_feed_renew(by=OPERATOR)


@pytest.mark.parametrize("token", ["0" * 64, "not-a-token", "a" * 63, "A" * 64])
def test_made_up_addresses_are_not_found(client, token):
    assert client.get(f"/mandates/calendar/{token}.ics").status_code == 404


def test_the_address_changes_only_by_post(client, org, member_login):
    client.force_login(member_login)
    assert client.get("/mandates/calendar/renew/").status_code == 405
    assert client.get("/mandates/calendar/stop/").status_code == 405
    assert not CalendarFeed.objects.exists()


def test_invariant_1_making_replacing_and_stopping_the_address_are_on_the_ledger(org, member_login):
    feed = mandates.calendar_feed_renew(by=member_login)
    mandates.calendar_feed_renew(by=member_login)
    assert mandates.calendar_feed_stop(by=member_login) is True
    assert mandates.calendar_feed_stop(by=member_login) is False  # nothing to stop: no entry
    entries = list(Entry.objects.filter(action__startswith="governance.calendar_feed").order_by("seq"))
    assert [e.action for e in entries] == [
        "governance.calendar_feed_renewed",
        "governance.calendar_feed_renewed",
        "governance.calendar_feed_stopped",
    ]
    assert [json.loads(e.data) for e in entries] == [
        {"feed": feed.pk, "renewals": 0},
        {"feed": feed.pk, "renewals": 1},
        {"feed": feed.pk},
    ]
