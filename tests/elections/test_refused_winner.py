"""A winner the eligibility check refuses on the term's first day, in a ranked count: their place goes as the bylaws
say (``elections.refused_winner``): to the count run again without them, their ballots passing on as if they had
withdrawn ("recount", the default), or to the next in line of the first count ("next_in_line")."""

from datetime import date

import pytest
from django.test import Client

from rankfile.elections import actions, queries
from rankfile.elections.models import Nomination, Seating, SeatingOutcome
from rankfile.ledger import schema
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from tests.elections.builders import call, member, stand, to_closed, to_term_start, user_of, world
from tests.elections.test_story import bar

pytestmark = pytest.mark.django_db(transaction=False)


def refused_winner_rule(rule, *, goals=()):
    document = bylaws.defaults()
    document["roles"]["convention"] = "convention"
    document["elections"] = {"refused_winner": rule}
    document["composition_goals"] = list(goals)
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2001, 1, 1), adopted_by_vote="CONV-2001-1", by=OPERATOR
    )


def counted_then_barred(w):
    """Two seats by STV on a paper vote. Ann reaches the quota (10 of 27); Bo is elected last, over Cal; Dee is out
    first. Bo's voters want Dee next: without Bo, Dee has 12 and is elected, not Cal, the next in line."""
    election = call(w, method="stv", seats=2, ballot_kind="paper")
    ann, bo, cal, dee = (member(n) for n in ("Ann Quota", "Bo Barred", "Cal Next", "Dee Transfer"))
    for person in (ann, bo, cal, dee):
        stand(election, person)
    pk = {n.nominee.name.split()[0]: n.pk for n in actions.candidates(election)}
    election = to_closed(election)
    lines = [([pk["Ann"], pk["Cal"]], 10), ([pk["Bo"], pk["Dee"]], 8), ([pk["Cal"]], 5), ([pk["Dee"]], 4)]
    actions.paper_count_enter(election=election, tellers="Tess Teller, Tom Teller", lines=lines, by=user_of(w.chair))
    result = actions.election_count(election=election, by=user_of(w.chair))
    assert result.winners == [pk["Ann"], pk["Bo"]]
    assert result.order[2] == pk["Cal"]  # the next in line
    bar(bo)  # the bar becomes final after the count
    return to_term_start(election), pk


def seated(election):
    return {s.nomination.nominee.name.split()[0]: s for s in Seating.objects.filter(election=election)}


def test_by_default_a_refused_stv_winner_is_replaced_by_a_recount_without_them_recorded_and_flagged():
    w = world()
    election, pk = counted_then_barred(w)
    actions.winners_seat(election=election, by=user_of(w.chair))
    outcomes = seated(election)
    assert {name: s.outcome for name, s in outcomes.items()} == {
        "Bo": SeatingOutcome.REFUSED,
        "Ann": SeatingOutcome.SEATED,
        "Dee": SeatingOutcome.SEATED,
    }
    assert outcomes["Dee"].replaces_id == pk["Bo"]
    election.result.refresh_from_db()
    (recount,) = election.result.recounts
    assert recount["without"] == [pk["Bo"]]
    assert recount["winners"] == [pk["Dee"], pk["Ann"]]  # Dee 12, Ann 10: both over the quota in the first round
    assert recount["rounds"][0]["votes"] == {str(pk["Ann"]): "10", str(pk["Cal"]): "5", str(pk["Dee"]): "12"}
    entry = Entry.objects.get(action=actions.RECOUNTED)
    assert entry.action in schema.flagged_actions()  # for the oversight body
    assert f'"without":[{pk["Bo"]}]' in entry.data
    reader = member("Mo Reader").user
    assert reader is not None
    client = Client()
    client.force_login(reader)
    page = client.get(f"/elections/{election.reference}/results/").content.decode()
    assert "Bo Barred could not be seated" in page
    assert "the same ballots were counted again by the same method without them" in page
    assert "Dee Transfer was seated in the place of Bo Barred, elected when the ballots were counted again" in page
    assert 'aria-labelledby="recount-1"' in page  # the count run again, round by round


def test_bylaws_may_give_a_refused_stv_winners_place_to_the_next_in_line_of_the_first_count():
    w = world()
    refused_winner_rule("next_in_line")
    election, pk = counted_then_barred(w)
    actions.winners_seat(election=election, by=user_of(w.chair))
    outcomes = seated(election)
    assert outcomes["Cal"].outcome == SeatingOutcome.SEATED
    assert outcomes["Cal"].replaces_id == pk["Bo"]
    assert "Dee" not in outcomes
    election.result.refresh_from_db()
    assert election.result.recounts == []
    assert not Entry.objects.filter(action=actions.RECOUNTED).exists()


def test_after_a_recount_the_running_body_sees_those_it_elected_in_aggregate():
    w = world()
    document = bylaws.defaults()
    document["roles"]["convention"] = "convention"
    document["composition_goals"] = [{"body": "steering-committee", "goal": "new_to_body", "minimum_percent": 50}]
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2001, 1, 1), adopted_by_vote="CONV-2001-1", by=OPERATOR
    )
    election, pk = counted_then_barred(w)
    dee = Nomination.objects.get(pk=pk["Dee"]).nominee
    org_actions.person_seat(  # Dee sat on the committee before: she is not new to it
        person=dee,
        body=w.steering,
        basis="elected",
        starts_on=date(2019, 1, 1),
        term_ends_on=date(2020, 12, 31),
        by=OPERATOR,
    )
    actions.winners_seat(election=election, by=user_of(w.chair))
    seen = queries.result_composition(user=user_of(w.chair), election=election)
    assert seen is not None
    assert seen.tally is not None
    # Ann and Dee, elected in the count run again: one of them new to the body (Ann and Bo, first elected, were two).
    assert (seen.tally.people, seen.tally.new_to_body) == (2, 1)


def sat_before(w, nomination_pk):
    """The nominee sat on the committee in an earlier term: not new to it."""
    org_actions.person_seat(
        person=Nomination.objects.get(pk=nomination_pk).nominee,
        body=w.steering,
        basis="elected",
        starts_on=date(2019, 1, 1),
        term_ends_on=date(2020, 12, 31),
        by=OPERATOR,
    )


def results_page(election):
    reader = member("Mo Reader").user
    assert reader is not None
    client = Client()
    client.force_login(reader)
    return client.get(f"/elections/{election.reference}/results/").content.decode()


ALL_NEW = {"body": "steering-committee", "goal": "new_to_body", "minimum_percent": 100}


def test_after_a_recount_the_results_show_the_goals_of_those_elected_and_keep_the_first_counts_as_history():
    w = world()
    refused_winner_rule("recount", goals=[ALL_NEW])
    election, pk = counted_then_barred(w)
    sat_before(w, pk["Dee"])
    actions.winners_seat(election=election, by=user_of(w.chair))
    # Ann and Bo, first elected, were both new; Ann and Dee, elected when counted again, are not.
    seen = queries.result_composition(user=user_of(w.chair), election=election)
    assert seen is not None
    assert [(g.need, g.met) for g in seen.goals] == [(2, False)]
    assert seen.since == "recount"
    view = queries.result_for(user=user_of(w.chair), election=election)
    assert view is not None
    assert [(g.need, g.met) for g in view.recounts[0].goals_before] == [(2, True)]
    page = results_page(election)
    main = page[page.index("<h2>Composition goals</h2>") : page.index('id="rounds-heading"')]
    history = page[page.index('id="recount-1"') :]
    assert "At least 100% new to the body, that is at least 2 people: <strong>missed</strong>" in main
    assert "The composition goals of the first count, before this:" in history
    assert "At least 100% new to the body, that is at least 2 people: met" in history


def test_next_in_line_goals_applied_again_at_seating_are_kept_with_the_result_flagged_and_shown():
    w = world()
    refused_winner_rule("next_in_line", goals=[{**ALL_NEW, "binding": True}])
    election, pk = counted_then_barred(w)
    sat_before(w, pk["Cal"])  # Cal, next in line after Bo, is not new: the binding goal gives the place to Dee
    actions.winners_seat(election=election, by=user_of(w.chair))
    outcomes = seated(election)
    assert {name: s.outcome for name, s in outcomes.items()} == {
        "Bo": SeatingOutcome.REFUSED,
        "Ann": SeatingOutcome.SEATED,
        "Dee": SeatingOutcome.SEATED,
    }
    election.result.refresh_from_db()
    assert election.result.recounts == []
    (step,) = election.result.replacements
    assert step["without"] == [pk["Bo"]]
    assert step["winners"] == [pk["Ann"], pk["Dee"]]
    assert step["composition"]["replaced"] == [{"out": pk["Cal"], "in": pk["Dee"], "goal": "new_to_body"}]
    assert [goal["met"] for goal in step["composition"]["goals"]] == [True]
    entry = Entry.objects.get(action=actions.REPLACED_BY_NEXT_IN_LINE)
    assert entry.action in schema.flagged_actions()
    assert '"replaced":1' in entry.data
    seen = queries.result_composition(user=user_of(w.chair), election=election)
    assert seen is not None
    assert seen.since == "next_in_line"
    assert seen.replaced == [("Cal Next", "Dee Transfer", "new to the body")]
    page = results_page(election)
    assert "their places went to the next in line" in page
    assert "Elected after that: Ann Quota, Dee Transfer." in page
    assert "Dee Transfer took the place of Cal Next: a binding goal (new to the body) required it." in page
