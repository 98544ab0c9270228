"""Nominations made in person, from the floor of a convention, recorded afterwards by the running body for a paper
vote: checked by the one eligibility check like any other, on a day when nominations were open."""

from datetime import timedelta

import pytest
from django.core import mail as djmail
from django.test import Client
from django.utils import timezone

from rankfile.elections import actions
from rankfile.elections.models import NominationStatus
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.org import eligibility
from tests.elections.builders import call, member, to_closed, user_of, world
from tests.elections.test_story import bar

pytestmark = pytest.mark.django_db(transaction=False)


def client_of(person):
    client = Client()
    client.force_login(person.user)
    return client


def test_the_running_body_records_a_floor_nomination_and_the_check_refuses_a_barred_nominee():
    w = world()
    election = to_closed(call(w, ballot_kind="paper"))
    day = election.nominations_open_at.date()
    ann = member("Ann Floor")
    standing = actions.nomination_record(
        election=election, nominee=ann, made_on=day, statement="From the floor.", by=user_of(w.chair)
    )
    assert standing.status == NominationStatus.STANDING
    barred = member("Gus Barred")
    bar(barred)
    refused = actions.nomination_record(election=election, nominee=barred, made_on=day, by=user_of(w.chair))
    assert refused.status == NominationStatus.REFUSED
    assert refused.refusal_code == eligibility.BARRED_FROM_OFFICE
    assert Entry.objects.filter(action="elections.nomination_recorded").count() == 2
    assert Entry.objects.filter(action="elections.nomination_refused").count() == 1


def test_only_the_running_body_records_floor_nominations_and_only_for_a_paper_vote_on_an_open_day():
    w = world()
    paper = to_closed(call(w, ballot_kind="paper"))
    day = paper.nominations_open_at.date()
    with pytest.raises(NotAllowed):
        actions.nomination_record(
            election=paper, nominee=member("Ann Floor"), made_on=day, by=user_of(member("Mo Reader"))
        )
    with pytest.raises(InvalidInput) as too_late:
        actions.nomination_record(
            election=paper,
            nominee=member("Bo Floor"),
            made_on=paper.nominations_close_at.date() + timedelta(days=1),
            by=user_of(w.chair),
        )
    assert too_late.value.code == "made_on"
    online = call(w)
    with pytest.raises(InvalidInput) as not_paper:
        actions.nomination_record(
            election=online, nominee=member("Kit Floor"), made_on=timezone.localdate(), by=user_of(w.chair)
        )
    assert not_paper.value.code == "not_paper"


def test_the_chair_records_floor_nominations_on_their_page_and_sees_only_the_refusals_sentence(
    django_capture_on_commit_callbacks,
):
    w = world()
    election = call(w, ballot_kind="paper")
    detail = client_of(w.chair).get(f"/elections/{election.reference}/").content.decode()
    path = f"/elections/{election.reference}/floor-nominations/"
    assert f'href="{path}"' in detail  # linked from the election's page, for the body that runs it
    day = timezone.localdate().isoformat()
    ann, barred = member("Ann Floor"), member("Gus Barred")
    bar(barred)
    chair = client_of(w.chair)
    assert chair.get(path).status_code == 200
    stands = chair.post(path, {"nominee": ann.pk, "made_on": day, "statement": "Seconded by the floor."}, follow=True)
    assert "Ann Floor stands in this election." in stands.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        refused = chair.post(path, {"nominee": barred.pk, "made_on": day, "statement": ""}, follow=True)
    text = refused.content.decode()
    starts = f"{election.term_starts_on.day} {election.term_starts_on:%B %Y}"
    assert f"Gus Barred does not stand: They are barred from office on {starts}." in text
    assert "C-2019-4" not in text  # no case
    assert "BARRED_FROM_OFFICE" not in text  # no code
    (told,) = [m for m in djmail.outbox if barred.email in m.to]
    assert "you cannot take a seat on that body" in told.body
    assert not [m for m in djmail.outbox if ann.email in m.to]
    standing = election.nominations.get(nominee=ann)
    assert (standing.status, standing.statement) == (NominationStatus.STANDING, "Seconded by the floor.")
    # A day outside the nomination dates is refused on the form, with nothing recorded.
    late = (election.nominations_close_at.date() + timedelta(days=1)).isoformat()
    answer = chair.post(path, {"nominee": member("Kit Late").pk, "made_on": late})
    assert answer.status_code == 400
    assert "Give a day on which nominations were open." in answer.content.decode()
    assert election.nominations.count() == 2


def test_floor_nominations_are_missing_for_a_member_not_running_the_election_and_for_an_online_vote():
    w = world()
    paper = call(w, ballot_kind="paper")
    path = f"/elections/{paper.reference}/floor-nominations/"
    reader = member("Mo Reader")  # a member in good standing, not on the convention that runs elections
    assert reader.user is not None
    outsider = client_of(reader)
    assert outsider.get(path).status_code == 404
    day = timezone.localdate().isoformat()
    assert outsider.post(path, {"nominee": reader.pk, "made_on": day}).status_code == 404
    assert not paper.nominations.exists()
    online = call(w)
    assert client_of(w.chair).get(f"/elections/{online.reference}/floor-nominations/").status_code == 404
