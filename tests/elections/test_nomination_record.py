"""Nominations made in person, from the floor of a convention, recorded afterwards by the running body for a paper
vote: checked by the one eligibility check like any other, on a day when nominations were open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.elections import actions
from rankfile.elections.models import NominationStatus
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.org import eligibility
from tests.elections.builders import call, member, to_closed, user_of, world
from tests.elections.test_story import bar

pytestmark = pytest.mark.django_db(transaction=False)


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
