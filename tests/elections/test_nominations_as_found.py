"""What a walk through a by-election found on its pages: a refused nomination announced as received, a refusal's
"that date", the refused nominee's email linking to a page he cannot open, "1 seat(s)", a reference carrying the
term's year."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail as djmail
from django.test import Client
from django.utils import timezone

from rankfile.elections.models import NominationStatus
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from tests.elections.builders import call, member, world

pytestmark = pytest.mark.django_db(transaction=False)


def client_of(person):
    client = Client()
    client.force_login(person.user)
    return client


def expelled(name):
    person = member(name)
    org_actions.membership_status_change(
        person=person,
        status="expelled",
        effective_from=timezone.localdate() - timedelta(days=1),
        reason_code="expelled",
        by=OPERATOR,
    )
    return person


def told(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_running_body_nominating_someone_the_check_refuses_is_told_so_at_the_top_with_the_date():
    w = world()
    election = call(w)
    ray = expelled("Ray Respondent")
    response = client_of(w.chair).post(f"/elections/{election.reference}/", {"nominee": ray.pk, "statement": ""})
    assert response.status_code == 302
    starts = f"{election.term_starts_on.day} {election.term_starts_on:%B %Y}"
    sentence = f"They are not a member in good standing on {starts}."
    assert told(response) == [f"The eligibility check refused this nomination: {sentence}"]
    page = client_of(w.chair).get(f"/elections/{election.reference}/").content.decode()
    assert f"Ray Respondent: {sentence}" in page
    assert "that date" not in page


def test_a_member_outside_the_running_body_learns_of_the_refusal_but_not_its_reason():
    w = world()
    election = call(w)
    ray = expelled("Ray Respondent")
    response = client_of(member("Mo Nominator")).post(
        f"/elections/{election.reference}/", {"nominee": ray.pk, "statement": ""}
    )
    assert told(response) == ["The eligibility check refused this nomination. The nominee is told why, privately."]
    assert election.nominations.get().status == NominationStatus.REFUSED


def test_the_refused_nominee_is_told_plainly_and_linked_only_to_his_own_membership_page(
    django_capture_on_commit_callbacks,
):
    w = world()
    election = call(w)
    ray = expelled("Ray Respondent")
    with django_capture_on_commit_callbacks(execute=True):
        client_of(w.chair).post(f"/elections/{election.reference}/", {"nominee": ray.pk, "statement": ""})
    (email,) = [m for m in djmail.outbox if ray.email in m.to]
    assert "the nomination does not stand" in email.body
    assert "/org/me/" in email.body
    assert "/elections/" not in email.body
    him = client_of(ray)
    assert him.get("/org/me/").status_code == 200
    assert him.get(f"/elections/{election.reference}/").status_code == 404  # why the email no longer links there


def test_the_election_page_counts_seats_in_words():
    w = world()
    one, two = call(w, seats=1), call(w, seats=2)
    reader = client_of(w.delegates[1])
    assert "1 seat on the Steering Committee" in reader.get(f"/elections/{one.reference}/").content.decode()
    page = reader.get(f"/elections/{two.reference}/").content.decode()
    assert "2 seats on the Steering Committee" in page
    assert "seat(s)" not in page


def test_an_election_called_for_a_term_next_year_carries_the_year_it_was_called():
    w = world()
    this_year = timezone.localdate().year
    election = call(w, term_starts_on=timezone.localdate().replace(month=1, day=15).replace(year=this_year + 1))
    assert election.reference == f"EL-{this_year}-1"
    assert call(w).reference == f"EL-{this_year}-2"
