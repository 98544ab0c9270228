from datetime import date

import pytest

from rankfile.ledger.models import Entry
from rankfile.org.models import Body, Person, Seat
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_admin(client, admin):
    client.force_login(admin)
    return client


def test_admin_adds_a_person_with_a_membership(signed_in_admin):
    response = signed_in_admin.post(
        "/org/people/new/", {"name": "Nia New", "email": "", "member_number": "N-1", "joined_on": "2025-02-01"}
    )
    person = Person.objects.get(name="Nia New")
    assert response["Location"] == f"/org/people/{person.pk}/"
    assert person.status_changes.get().status == "active"
    assert Entry.objects.filter(action="org.person_created", subject_id=person.pk).exists()


def test_duplicate_member_number_is_explained(signed_in_admin):
    enrolled("Ana", member_number="N-1")
    page = signed_in_admin.post("/org/people/new/", {"name": "Other", "member_number": "N-1"}).content.decode()
    assert "Member number N-1 belongs to someone else." in page
    assert Person.objects.filter(name="Other").count() == 0


def test_admin_adds_a_body_and_a_bad_one_is_explained(signed_in_admin):
    response = signed_in_admin.post("/org/bodies/new/", {"name": "Steering", "slug": "steering", "kind": "leadership"})
    assert response["Location"] == "/org/bodies/steering/"
    again = signed_in_admin.post("/org/bodies/new/", {"name": "Again", "slug": "steering", "kind": "leadership"})
    assert "Another body has this short name." in again.content.decode()
    assert Body.objects.count() == 1


def test_seating_an_ineligible_person_shows_the_reason_in_a_sentence_never_the_code(signed_in_admin):
    ana, steering = enrolled("Ana"), body("steering")
    signed_in_admin.post(
        f"/org/people/{ana.pk}/status/",
        {"status": "suspended", "effective_from": "2024-01-01", "until": "2025-01-01", "reason_code": "interim"},
    )
    refused = signed_in_admin.post(
        f"/org/people/{ana.pk}/seat/",
        {"body": steering.pk, "role": "member", "basis": "elected", "starts_on": "2024-06-01"},
    ).content.decode()
    assert "They are not a member in good standing on 1 June 2024." in refused
    assert "NOT_A_MEMBER_IN_GOOD_STANDING" not in refused
    assert not Seat.objects.exists()
    seated = signed_in_admin.post(
        f"/org/people/{ana.pk}/seat/",
        {"body": steering.pk, "role": "member", "basis": "elected", "starts_on": "2025-06-01"},
    )
    assert seated.status_code == 302
    seat = Seat.objects.get()
    ended = signed_in_admin.post(f"/org/seats/{seat.pk}/end/", {"ends_on": "2025-05-01", "reason": "resigned"})
    assert "A seat ends after the day it starts." in ended.content.decode()
    signed_in_admin.post(f"/org/seats/{seat.pk}/end/", {"ends_on": "2026-01-01", "reason": "resigned"})
    seat.refresh_from_db()
    assert seat.ends_on == date(2026, 1, 1)


def test_a_status_with_an_end_date_that_cannot_have_one_is_explained(signed_in_admin):
    ana = enrolled("Ana")
    page = signed_in_admin.post(
        f"/org/people/{ana.pk}/status/",
        {"status": "expelled", "effective_from": "2024-01-01", "until": "2025-01-01", "reason_code": "decision"},
    ).content.decode()
    assert "Only a leave or a suspension can have an end date." in page


def test_the_status_change_reason_is_a_list_in_words_and_a_code_posted_as_before_is_still_taken(signed_in_admin):
    ana = enrolled("Ana")
    form = signed_in_admin.get(f"/org/people/{ana.pk}/status/").content.decode()
    assert '<select name="reason_code"' in form
    assert '<option value="dues_unpaid">Dues unpaid</option>' in form
    assert "such as dues_unpaid" not in form
    listed = {"status": "lapsed", "effective_from": "2024-01-01", "reason_code": "dues_unpaid"}
    assert signed_in_admin.post(f"/org/people/{ana.pk}/status/", listed).status_code == 302
    as_before = {"status": "active", "effective_from": "2024-03-01", "reason_code": "dues"}
    assert signed_in_admin.post(f"/org/people/{ana.pk}/status/", as_before).status_code == 302
    malformed = {"status": "active", "effective_from": "2024-04-01", "reason_code": "Dues Paid"}
    refused = signed_in_admin.post(f"/org/people/{ana.pk}/status/", malformed).content.decode()
    assert "Choose one of the reasons." in refused
    assert [c.reason_code for c in ana.status_changes.order_by("effective_from")] == ["joined", "dues_unpaid", "dues"]
    history = signed_in_admin.get(f"/org/people/{ana.pk}/").content.decode()
    assert "Dues unpaid" in history


def test_members_cannot_manage(client, member):
    enrolled("Mo", user=member)
    client.force_login(member)
    for path in ["/org/people/new/", "/org/bodies/new/", "/org/people/1/status/", "/org/people/1/seat/"]:
        assert client.get(path).status_code == 404
