"""The secret ballot: one ballot per voter, the roll and the ballots stored apart so that nobody who holds a copy of
the database (a site administrator included) can join a ballot to a voter; a receipt per voter, a published list of
trackers, and a ballot replaced only by its receipt while the bylaws allow."""

import pytest
from django.apps import apps
from django.db import connection, models

from rankfile.deadlines.actions import tick
from rankfile.elections import actions
from rankfile.elections.models import Ballot, Election, Elector
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from tests.elections.builders import call, member, stand, to_closed, to_voting, user_of, world
from tests.governance.builders import seat

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
    """The stolen database: the only relation a ballot has is to its election; its id is random; it has no time."""
    for field in Ballot._meta.get_fields():
        if field.is_relation:
            assert field.related_model is Election, field.name
        assert not isinstance(field, models.DateTimeField | models.DateField), field.name
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
        str(v) for row in ballots for k, v in row.items() if k not in ("election_id", "choices")
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


def _rows_as_stored(table: str) -> list[tuple[str, str]]:
    """A stolen copy's rows in the order they lie in the table, each with the transaction that wrote it where the
    database keeps one (PostgreSQL's xmin; SQLite keeps none, but numbers rows in the order they were written)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT id::text, xmin::text FROM {table} ORDER BY ctid")  # noqa: S608 - a model's table
        else:
            cursor.execute(f"SELECT id, '' FROM {table} ORDER BY rowid")  # noqa: S608 - a model's table
        return [(str(pk), xmin) for pk, xmin in cursor.fetchall()]


def _ballots_as_stored(election: Election) -> list[tuple[str, str]]:
    trackers = {
        str(pk).replace("-", ""): t for pk, t in Ballot.objects.filter(election=election).values_list("id", "tracker")
    }
    return [(trackers[pk.replace("-", "")], xmin) for pk, xmin in _rows_as_stored(Ballot._meta.db_table)]


@pytest.mark.django_db(transaction=True)  # each ballot in a transaction of its own, as on the server
def test_once_voting_closes_the_order_ballots_lie_in_says_nothing_of_who_voted_when():
    w, election, candidates = voting_election()
    names = ("Ada", "Ben", "Cleo", "Dan", "Ela", "Fen", "Gia", "Hugo", "Isa", "Jon", "Kai", "Lia", "Max", "Nia")
    extra = [member(f"{name} Voter") for name in names]
    for person in extra:
        seat(person, w.convention)
    Elector.objects.filter(election=election).delete()  # the roll again, with the extra delegates on it
    Election.objects.filter(pk=election.pk).update(voting_opened_at=None)
    actions.voting_open(election=Election.objects.get(pk=election.pk), by=user_of(w.chair))
    voters = [*w.delegates, *extra]
    order = [7, 3, 18, 0, 11, 5, 14, 1, 19, 9, 2, 16, 6, 12, 4, 17, 8, 15, 10, 13]  # who votes first, and after
    cast = []  # trackers in the order the ballots were cast
    for k in order:
        receipt = actions.ballot_cast(election=election, choices=candidates[: 1 + k % 3], by=user_of(voters[k]))
        cast.append(receipt.split("-")[0])
    # While voting is open, the order the ballots lie in is the order they were cast: the link this closes.
    before = _ballots_as_stored(election)
    assert [tracker for tracker, _xmin in before] == cast
    if connection.vendor == "postgresql":  # each ballot written in its voter's transaction, with the roll's mark
        electors = {xmin for _pk, xmin in _rows_as_stored(Elector._meta.db_table)}
        assert {xmin for _t, xmin in before} <= electors

    election = to_closed(election)
    assert tick().periodic["elections whose ballots were shuffled once voting closed"] == 1

    after = _ballots_as_stored(election)
    assert sorted(tracker for tracker, _xmin in after) == sorted(cast)  # the same ballots
    # The k-th voter to vote does not lie k-th: a random order matches in about one place, never in half.
    assert sum(1 for (tracker, _x), voted in zip(after, cast, strict=True) if tracker == voted) < len(cast) // 2
    assert [tracker for tracker, _x in after] not in (cast, cast[::-1])
    if connection.vendor == "postgresql":  # all written by one transaction, which wrote no mark on the roll
        xmins = {xmin for _t, xmin in after}
        assert len(xmins) == 1
        assert not xmins & {xmin for _pk, xmin in _rows_as_stored(Elector._meta.db_table)}
    assert Entry.objects.filter(action=actions.BALLOTS_SHUFFLED).count() == 1
    result = actions.election_count(election=election, by=user_of(w.chair))  # counts them, shuffling no more
    assert result.ballots_counted == len(cast)
    assert Entry.objects.filter(action=actions.BALLOTS_SHUFFLED).count() == 1
