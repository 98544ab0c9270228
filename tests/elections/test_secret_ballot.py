"""The secret ballot: one ballot per voter, the roll and the ballots stored apart so that nobody who holds a copy of
the database (a site administrator included) can join a ballot to a voter; a receipt per voter, a published list of
trackers, and a ballot replaced only by its receipt while the bylaws allow."""

import pytest
from django.apps import apps
from django.db import models

from rankfile.elections import actions
from rankfile.elections.models import Ballot, Election, Elector
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from tests.elections.builders import call, member, stand, to_voting, user_of, world

pytestmark = pytest.mark.django_db


def voting_election(**kwargs):
    w = world(**kwargs)
    election = call(w, method="approval", seats=2)
    names = [member(name) for name in ("Ann Candidate", "Bob Candidate", "Cat Candidate")]
    for person in names:
        stand(election, person)
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    return w, election, [n.pk for n in actions.candidates(election)]


def test_the_ballots_table_has_no_column_that_joins_a_ballot_to_a_voter():
    """The stolen database: the only relation a ballot has is to its election; its id is random, its time a day."""
    for field in Ballot._meta.get_fields():
        if field.is_relation:
            assert field.related_model is Election, field.name
        assert not isinstance(field, models.DateTimeField), field.name
        assert not isinstance(field, models.AutoField | models.BigAutoField), field.name
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    # Nothing else in the schema points at a ballot, and the roll has no time of its own to line up with one.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is Ballot:
                pytest.fail(f"{model._meta.label}.{field.name} points at a ballot")
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in Elector._meta.get_fields())


def test_no_value_in_a_stolen_copy_of_the_roll_and_the_ballots_joins_a_voter_to_a_ballot():
    w, election, candidates = voting_election()
    receipts = {}
    for n, delegate in enumerate(w.delegates[:4]):
        receipts[delegate.pk] = actions.ballot_cast(
            election=election, choices=candidates[: 1 + n % 3], by=user_of(delegate)
        )
    roll = list(Elector.objects.filter(election=election).values())
    ballots = list(Ballot.objects.filter(election=election).values())
    assert len(ballots) == 4
    assert sum(row["voted"] for row in roll) == 4
    shared = {str(v) for row in roll for k, v in row.items() if k != "election_id"} & {
        str(v) for row in ballots for k, v in row.items() if k not in ("election_id", "cast_on", "choices")
    }
    assert shared == set(), "a value the roll and the ballots share could join them"
    # The ledger says who voted, never with which ballot: its entries name no tracker and no ballot.
    trackers = {row["tracker"] for row in ballots}
    for entry in Entry.objects.filter(action=actions.VOTED):
        assert not any(tracker in entry.data for tracker in trackers)
        assert entry.subject_type == "elections.election"
    # The receipts are the voters' own: only a hash of their secret part is stored.
    for receipt in receipts.values():
        tracker, secret = receipt.split("-", 1)
        assert tracker in trackers
        assert not Ballot.objects.filter(secret_sha256__contains=secret).exists()


def test_a_voter_casts_one_ballot_and_replaces_it_with_the_receipt_until_close():
    w, election, candidates = voting_election()
    voter = user_of(w.delegates[1])
    receipt = actions.ballot_cast(election=election, choices=[candidates[0]], by=voter)
    with pytest.raises(Conflict):
        actions.ballot_cast(election=election, choices=[candidates[1]], by=voter)
    with pytest.raises(InvalidInput):
        actions.ballot_replace(election=election, receipt=receipt.split("-")[0] + "-wrong", choices=[], by=voter)
    actions.ballot_replace(election=election, receipt=receipt, choices=[candidates[1], candidates[2]], by=voter)
    (ballot,) = Ballot.objects.filter(election=election)
    assert ballot.choices == sorted([candidates[1], candidates[2]])
    assert ballot.tracker == receipt.split("-")[0]


def test_the_bylaws_may_forbid_voting_again():
    w, election, candidates = voting_election(revote=False)
    voter = user_of(w.delegates[1])
    receipt = actions.ballot_cast(election=election, choices=[candidates[0]], by=voter)
    with pytest.raises(Conflict):
        actions.ballot_replace(election=election, receipt=receipt, choices=[candidates[1]], by=voter)


def test_someone_not_on_the_roll_cannot_vote():
    _w, election, candidates = voting_election()
    outsider = member("Oz Outsider")  # joined after the roll was fixed
    with pytest.raises(NotAllowed):
        actions.ballot_cast(election=election, choices=[candidates[0]], by=user_of(outsider))
