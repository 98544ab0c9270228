"""The home page lists what waits for each person in elections: a nomination to accept, a ballot to cast while
voting is open, and the running body's count and seating."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.elections import actions
from rankfile.elections.waiting import waiting_for
from tests.elections.builders import (
    call,
    member,
    shift,
    stand,
    to_closed,
    to_term_start,
    to_voting,
    user_of,
    world,
)

pytestmark = pytest.mark.django_db(transaction=False)


def when(moment):
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def whats(person):
    return [str(item.what) for item in waiting_for(user=user_of(person))]


def test_a_nominee_is_asked_to_accept_until_they_answer():
    w = world()
    election = call(w)
    nominee = member("Nia Nominee")
    actions.nomination_make(election=election, nominee=nominee, by=user_of(w.delegates[1]))
    assert whats(nominee) == ["Accept or decline your nomination"]
    item = waiting_for(user=user_of(nominee))[0]
    assert item.url == f"/elections/{election.reference}/"
    assert item.due == election.nominations_close_at
    home = Client()
    home.force_login(nominee.user)  # type: ignore[arg-type]
    assert "Accept or decline your nomination" in home.get("/").content.decode()
    nomination = election.nominations.get(nominee=nominee)
    actions.nomination_answer(nomination=nomination, accept=True, by=user_of(nominee), statement="Yes.")
    assert whats(nominee) == []


def test_a_voter_on_the_roll_is_asked_to_vote_while_voting_is_open_and_not_after_voting():
    w = world()
    election = call(w, seats=1)
    stand(election, member("Ann One"))
    voter = w.delegates[2]  # who also sits on the convention that runs it
    assert "Cast your ballot" not in whats(voter)  # voting has not opened
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    assert whats(voter)[0] == "Cast your ballot"
    assert waiting_for(user=user_of(voter))[0].url == f"/elections/{election.reference}/vote/"
    assert whats(member("Not Onroll")) == []  # not on the roll
    ids = [n.pk for n in actions.candidates(election)]
    actions.ballot_cast(election=election, choices=ids, by=user_of(voter))
    assert "Cast your ballot" not in whats(voter)


def test_the_running_body_is_asked_to_count_then_to_seat_the_winners():
    w = world()
    election = call(w, seats=1)
    stand(election, member("Ann One"))
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    election = to_closed(election)
    assert "Count the election and publish the result" in whats(w.chair)
    assert whats(member("Mo Reader")) == []  # a member who does not run it
    actions.election_count(election=election, by=user_of(w.chair))
    assert whats(w.chair) == []  # the term has not started
    election = to_term_start(election)
    assert whats(w.chair) == ["Seat the winners"]
    actions.winners_seat(election=election, by=user_of(w.chair))
    assert whats(w.chair) == []


def test_the_running_body_of_a_paper_vote_is_asked_for_the_tellers_count():
    w = world()
    election = call(w, seats=1, ballot_kind="paper")
    stand(election, member("Ann One"))
    election = to_closed(election)
    assert whats(w.chair) == ["Enter the tellers' count"]
    ids = [n.pk for n in actions.candidates(election)]
    actions.paper_count_enter(election=election, tellers="Tia Teller", lines=[(ids, 3)], by=user_of(w.chair))
    assert whats(w.chair) == ["Count the election and publish the result"]


def test_the_running_body_follows_its_election_through_nominations_and_voting_to_the_count():
    w = world()
    election = call(w, seats=1)
    close = when(election.nominations_close_at)
    assert whats(w.chair) == [f"Nominations are open until {close}"]
    (item,) = waiting_for(user=user_of(w.chair))
    assert (item.where, item.url, item.due) == (election.title, f"/elections/{election.reference}/", None)
    assert whats(member("Mo Reader")) == []  # a member who does not run it
    stand(election, member("Ann One"))
    election = shift(election, by=timedelta(days=1, hours=1))
    assert whats(w.chair) == [f"Voting opens on {when(election.voting_open_at)}"]
    election = shift(election, by=timedelta(days=1))
    assert f"Voting is open until {when(election.voting_close_at)}" in whats(w.chair)
    election = to_closed(election)
    assert whats(w.chair) == ["Count the election and publish the result"]


def test_the_running_body_is_asked_about_its_elections_in_one_question_however_many():
    w = world()
    call(w)
    with CaptureQueriesContext(connection) as one:
        assert len(waiting_for(user=user_of(w.chair))) == 1
    call(w)
    to_closed(call(w, ballot_kind="paper"))
    with CaptureQueriesContext(connection) as three:
        assert len(waiting_for(user=user_of(w.chair))) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
