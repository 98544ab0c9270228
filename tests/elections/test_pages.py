"""The election pages, from nominating to the results, as members use them."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from rankfile.deadlines.actions import open_deadlines_for, tick
from rankfile.elections import actions
from rankfile.elections.models import Ballot, Election, Elector, NominationStatus
from rankfile.errors import InvalidInput
from rankfile.org import bylaws
from tests.elections.builders import call, member, stand, to_closed, to_voting, user_of, world

pytestmark = pytest.mark.django_db


def client_of(person):
    client = Client()
    client.force_login(person.user)
    return client


def test_a_member_nominates_someone_who_accepts_with_a_statement_on_the_page():
    w = world()
    election = call(w)
    nominee = member("Noa Nominee")
    nominator = client_of(w.delegates[2])
    path = f"/elections/{election.reference}/"
    response = nominator.post(path, {"nominee": nominee.pk, "statement": ""})
    assert response.status_code == 302
    (nomination,) = election.nominations.all()
    assert nomination.status == NominationStatus.AWAITING_ACCEPTANCE
    answer = client_of(nominee).post(
        f"{path}nominations/{nomination.pk}/answer/", {"answer": "accept", "statement": "I will publish the accounts."}
    )
    assert answer.status_code == 302
    page = client_of(w.delegates[3]).get(path).content.decode()
    assert "Noa Nominee" in page
    assert "I will publish the accounts." in page


def test_someone_else_cannot_answer_a_nomination():
    w = world()
    election = call(w)
    nomination = actions.nomination_make(election=election, nominee=member("Noa Nominee"), by=user_of(w.chair))
    response = client_of(w.delegates[1]).post(
        f"/elections/{election.reference}/nominations/{nomination.pk}/answer/", {"answer": "accept"}
    )
    assert response.status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_ACCEPTANCE


def test_a_voter_ranks_candidates_gets_a_receipt_and_finds_the_tracker_published():
    w = world()
    election = call(w, method="stv", seats=2)
    for name in ("Ann One", "Bo Two", "Gil Three"):
        stand(election, member(name))
    election = to_voting(election)
    assert tick().periodic["elections opened for voting"] == 1  # voting opens by itself at its time
    assert Elector.objects.filter(election=election).count() == len(w.delegates)
    voter = client_of(w.delegates[1])
    path = f"/elections/{election.reference}/vote/"
    assert "Ann One" in voter.get(path).content.decode()
    response = voter.post(path, {"rank_1": "2", "rank_3": "1"})
    assert response.status_code == 200
    receipt = response.context["receipt"]
    tracker = receipt.split("-")[0]
    (ballot,) = Ballot.objects.filter(election=election)
    candidates = actions.candidates(election)
    assert ballot.choices == [candidates[2].pk, candidates[0].pk]  # by rank: Gil first, Ann second
    assert tracker in client_of(w.delegates[4]).get(f"/elections/{election.reference}/ballots/").content.decode()
    again = voter.post(path, {"receipt": receipt, "rank_2": "1"})
    assert again.status_code == 302
    ballot.refresh_from_db()
    assert ballot.choices == [candidates[1].pk]


def test_the_results_page_shows_each_round_of_a_ranked_count():
    w = world()
    election = call(w, method="instant_runoff", seats=1)
    for name in ("Ann One", "Bo Two", "Gil Three"):
        stand(election, member(name))
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    ids = [n.pk for n in actions.candidates(election)]
    ballots = [[ids[0]], [ids[0]], [ids[1]], [ids[1], ids[0]], [ids[2], ids[1]], [ids[2], ids[1]]]
    for delegate, choices in zip(w.delegates, ballots, strict=True):
        actions.ballot_cast(election=election, choices=choices, by=user_of(delegate))
    election = to_closed(election)
    counted = client_of(w.chair).post(f"/elections/{election.reference}/count/")
    assert counted.status_code == 302
    page = client_of(member("Mo Reader")).get(f"/elections/{election.reference}/results/").content.decode()
    assert "Round 1" in page
    assert "Round 2" in page
    # The method in words; the program that counted only under "How it was counted".
    assert "Counted by the method chosen when the election was called: instant runoff." in page
    assert "Counted by votelib" not in page
    assert page.index("How it was counted") < page.index("the free counting library votelib")
    result = Election.objects.get(pk=election.pk).result
    assert len(result.rounds) >= 2
    # The count met its timer; seating's waits for the term.
    assert [d.kind for d in open_deadlines_for(election)] == ["elections.seat_winners"]


def test_a_paper_vote_is_counted_from_the_tellers_entry():
    w = world()
    election = call(w, method="block", seats=1, ballot_kind="paper")
    for name in ("Ann One", "Bo Two"):
        stand(election, member(name))
    election = to_voting(election)
    chair = client_of(w.chair)
    entered = chair.post(
        f"/elections/{election.reference}/paper-count/", {"tellers": "Ruth and Sam", "votes_1": "4", "votes_2": "9"}
    )
    assert entered.status_code == 302
    election = to_closed(election)
    actions.election_count(election=election, by=user_of(w.chair))
    winner = actions.candidates(election)[1]
    assert Election.objects.get(pk=election.pk).result.winners == [winner.pk]
    assert Election.objects.get(pk=election.pk).paper_count.tellers == "Ruth and Sam"


def test_only_the_running_body_counts():
    w = world()
    election = call(w)
    stand(election, member("Ann One"))
    election = to_closed(to_voting(election))
    outsider = member("Oz Outsider")
    assert client_of(outsider).post(f"/elections/{election.reference}/count/").status_code == 404
    assert not hasattr(Election.objects.get(pk=election.pk), "result")


def test_a_site_administrator_not_on_the_running_body_enters_no_paper_count():
    w = world()
    election = call(w, method="block", seats=1, ballot_kind="paper")
    stand(election, member("Ann One"))
    election = to_voting(election)
    sita = Client()
    sita.force_login(get_user_model().objects.create_user(email="sita@example.org", password=None, is_site_admin=True))
    entered = sita.post(f"/elections/{election.reference}/paper-count/", {"tellers": "Ruth", "votes_1": "4"})
    assert entered.status_code == 404
    assert not hasattr(Election.objects.get(pk=election.pk), "paper_count")


def test_the_timetable_runs_in_order():
    w = world()
    now = timezone.now()
    with pytest.raises(InvalidInput):
        actions.election_call(
            title="Backwards",
            body=w.steering,
            seats=1,
            term_starts_on=timezone.localdate() + timedelta(days=30),
            method="block",
            ballot_kind="online",
            electorate="body",
            electorate_body=w.convention,
            nominations_open_at=now,
            nominations_close_at=now - timedelta(hours=1),
            voting_open_at=now + timedelta(days=1),
            voting_close_at=now + timedelta(days=2),
            by=user_of(w.chair),
        )


def test_the_bylaws_say_whether_a_voter_may_vote_again_how_ties_are_broken_and_whose_a_refused_place_is():
    checked = bylaws.check({"elections": {"revote_allowed": False, "tie_break": "lot"}}, body_slugs=set())
    assert checked["elections"] == {"revote_allowed": False, "tie_break": "lot", "refused_winner": "recount"}
    checked = bylaws.check({"elections": {"refused_winner": "next_in_line"}}, body_slugs=set())
    assert checked["elections"]["refused_winner"] == "next_in_line"
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(
            {"elections": {"revote_allowed": "yes", "tie_break": "coin", "refused_winner": "runner_up"}},
            body_slugs=set(),
        )
    assert len(refused.value.field_errors["document"]) == 3
    assert "elections.refused_winner: one of recount, next_in_line" in refused.value.field_errors["document"]


def test_a_missed_count_is_on_the_overdue_list_with_a_link_to_the_election():
    from rankfile.deadlines import kinds
    from rankfile.deadlines.models import Deadline

    w = world()
    election = call(w)
    deadline = Deadline.objects.get(kind="elections.count", subject_id=election.pk)
    page = kinds.page_of(deadline, reader=user_of(w.delegates[1]))
    assert page is not None
    assert page.url == f"/elections/{election.reference}/"
    assert kinds.page_of(deadline, reader=None) is None


def test_the_list_says_voting_closed_once_it_has_and_counts_seats_in_words():
    w = world()
    election = call(w, seats=1)
    client = Client()
    client.force_login(w.delegates[1].user)  # type: ignore[arg-type]
    listed = client.get("/elections/").content.decode()
    assert "1 seat on the Steering Committee; voting closes" in listed
    to_closed(election)
    listed = client.get("/elections/").content.decode()
    assert "1 seat on the Steering Committee; voting closed" in listed
    assert "seat(s)" not in listed
