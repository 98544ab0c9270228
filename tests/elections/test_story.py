"""The story the project was written from: a man a disciplinary body had decided to expel was elected to the steering
committee at a convention, and nobody noticed. Here the one eligibility check refuses him at nomination, and, when the
bar comes after his nomination, again when the winners are seated."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from rankfile.elections import actions
from rankfile.elections.models import NominationStatus, Seating, SeatingOutcome
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import eligibility
from rankfile.org import queries as org_queries
from tests.elections.builders import call, member, stand, to_closed, to_term_start, to_voting, user_of, world

pytestmark = pytest.mark.django_db(transaction=False)


def bar(person, *, since=None):
    return org_actions.restriction_impose(
        person=person,
        kind="barred_from_office",
        starts_on=since or timezone.localdate() - timedelta(days=1),
        source="sanction",
        source_reference="C-2019-4",
        case_reference="C-2019-4",
        by=OPERATOR,
    )


def page(person, path):
    client = Client()
    client.force_login(person.user)
    return client.get(path)


def test_a_barred_member_nominated_at_the_convention_is_refused_with_the_reason_sentence_only(
    django_capture_on_commit_callbacks,
):
    w = world()
    barred = member("Gus Barred")
    bar(barred)
    election = call(w)
    nominator = w.delegates[1]
    with django_capture_on_commit_callbacks(execute=True):
        nomination = actions.nomination_make(election=election, nominee=barred, by=user_of(nominator))

    assert nomination.status == NominationStatus.REFUSED
    assert nomination.refusal_code == eligibility.BARRED_FROM_OFFICE
    # The nominee alone is told, privately, and the message says nothing of any case.
    assert [m.to for m in mail.outbox] == [[barred.email]]
    assert "C-2019-4" not in mail.outbox[0].body
    assert "you cannot take a seat on that body" in mail.outbox[0].body
    # The body that runs the election (the convention) sees the sentence, and nothing more.
    path = f"/elections/{election.reference}/"
    chairs_view = page(w.chair, path).content.decode()
    starts = f"{election.term_starts_on.day} {election.term_starts_on:%B %Y}"
    assert f"Gus Barred: They are barred from office on {starts}." in chairs_view
    assert "BARRED_FROM_OFFICE" not in chairs_view
    assert "C-2019-4" not in chairs_view
    # A member who does not sit on it sees no refusal and no candidate: he simply does not stand.
    others_view = page(member("Kim Member"), path).content.decode()
    candidates = others_view.split("<h2>Candidates</h2>")[1].split("<h2>")[0]
    assert "Gus Barred" not in candidates
    assert "barred from office" not in others_view
    assert "the eligibility check refused" not in others_view
    entry = Entry.objects.filter(action=actions.NOMINATION_REFUSED).get()
    assert '"reason":"barred_from_office"' in entry.data


def test_a_bar_added_after_nomination_refuses_the_winner_at_seating_and_the_next_takes_the_place():
    w = world()
    hal, ivy, jo = member("Hal Winner"), member("Ivy Next"), member("Jo Third")
    election = call(w, method="block", seats=1)
    for person in (hal, ivy, jo):
        assert stand(election, person).status == NominationStatus.STANDING
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    nominations = {n.nominee.name: n.pk for n in actions.candidates(election)}
    votes = ["Hal Winner"] * 3 + ["Ivy Next"] * 2 + ["Jo Third"]
    for delegate, name in zip(w.delegates, votes, strict=True):
        actions.ballot_cast(election=election, choices=[nominations[name]], by=user_of(delegate))
    election = to_closed(election)
    result = actions.election_count(election=election, by=user_of(w.chair))
    assert result.winners == [nominations["Hal Winner"]]

    bar(hal, since=timezone.localdate())  # the disciplinary body's decision becomes final after the vote
    election = to_term_start(election)
    seatings = actions.winners_seat(election=election, by=user_of(w.chair))

    assert [(s.nomination.nominee.name, s.outcome) for s in seatings] == [
        ("Hal Winner", SeatingOutcome.REFUSED),
        ("Ivy Next", SeatingOutcome.SEATED),
    ]
    refused = Seating.objects.get(outcome=SeatingOutcome.REFUSED)
    assert refused.refusal_code == eligibility.BARRED_FROM_OFFICE
    seated = Seating.objects.get(outcome=SeatingOutcome.SEATED)
    assert seated.replaces == refused.nomination
    assert seated.seat is not None
    assert seated.seat.vote_reference == election.reference
    sitting = {seat.person.name for seat in org_queries.seats_on(body=w.steering, day=election.term_starts_on)}
    assert sitting == {"Ivy Next"}
    flagged = Entry.objects.get(action=actions.WINNER_REFUSED)
    assert '"reason":"barred_from_office"' in flagged.data
    results = page(w.delegates[3], f"/elections/{election.reference}/results/").content.decode()
    assert "Hal Winner could not be seated" in results
    assert "Ivy Next was seated, next in line, in the place of Hal Winner." in results
