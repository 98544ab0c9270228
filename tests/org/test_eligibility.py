from datetime import date

import pytest

from rankfile.errors import Ineligible, NotAllowed
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Checkpoint, Entry
from rankfile.org import actions, eligibility
from rankfile.org.models import Seat
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db(transaction=True)

DAY = date(2024, 5, 1)


def seat(person, on, starts=DAY, **kwargs):
    return actions.person_seat(person=person, body=on, basis="elected", starts_on=starts, by=OPERATOR, **kwargs)


def restrict(person, kind, **kwargs):
    arguments = {"starts_on": date(2024, 1, 1), "source": "sanction", "source_reference": "decision 12", **kwargs}
    return actions.restriction_impose(person=person, kind=kind, by=OPERATOR, **arguments)


def test_an_active_member_without_restrictions_is_eligible():
    assert eligibility.check(enrolled("Ana"), body("steering"), DAY) == eligibility.Eligible()


@pytest.mark.parametrize("status", ["suspended", "expelled", "lapsed", "resigned", "on_leave"])
def test_invariant_9_members_not_in_good_standing_are_refused(status):
    ana, steering = enrolled("Ana"), body("steering")
    actions.membership_status_change(
        person=ana, status=status, effective_from=date(2024, 1, 1), reason_code="vote", by=OPERATOR
    )
    assert eligibility.check(ana, steering, DAY) == eligibility.Ineligible("NOT_A_MEMBER_IN_GOOD_STANDING")
    with pytest.raises(Ineligible) as refused:
        seat(ana, steering)
    assert refused.value.code == "NOT_A_MEMBER_IN_GOOD_STANDING"
    assert not Seat.objects.exists()


def test_invariant_9_a_non_member_is_refused():
    outsider = actions.person_create(name="Ally", by=OPERATOR)
    assert eligibility.check(outsider, body("steering"), DAY) == eligibility.Ineligible("NOT_A_MEMBER_IN_GOOD_STANDING")


def test_invariant_9_barred_from_office_until_a_date():
    ana, steering = enrolled("Ana"), body("steering")
    restrict(ana, "barred_from_office", ends_on=date(2030, 1, 1))
    assert eligibility.check(ana, steering, DAY) == eligibility.Ineligible("BARRED_FROM_OFFICE")
    assert eligibility.check(ana, steering, date(2030, 1, 1)) == eligibility.Eligible()
    # A bar from office does not keep a member out of a caucus.
    assert eligibility.check(ana, body("caucus", kind="caucus"), DAY) == eligibility.Eligible()


def test_invariant_9_restricted_while_a_case_is_open_and_free_once_lifted():
    ana, steering = enrolled("Ana"), body("steering")
    restriction = restrict(ana, "suspended_from_leadership", source="interim_measure", case_reference="case 7")
    assert eligibility.check(ana, steering, DAY) == eligibility.Ineligible("RESTRICTED_PENDING_CASE")
    actions.restriction_lift(restriction=restriction, lifted_on=date(2024, 4, 1), by=OPERATOR)
    assert eligibility.check(ana, steering, DAY) == eligibility.Eligible()


def test_invariant_9_not_in_good_standing_restriction():
    ana = enrolled("Ana")
    restrict(ana, "not_in_good_standing", source="vote", source_reference="convention 2024 vote 3")
    assert eligibility.check(ana, body("steering"), DAY) == eligibility.Ineligible("NOT_A_MEMBER_IN_GOOD_STANDING")


def test_invariant_9_term_limit():
    ana, steering = enrolled("Ana"), body("steering", max_consecutive_terms=2)
    for start, end in [(date(2020, 5, 1), date(2022, 5, 1)), (date(2022, 5, 1), date(2024, 5, 1))]:
        actions.seat_end(seat=seat(ana, steering, starts=start), ends_on=end, reason="term_over", by=OPERATOR)
    assert eligibility.check(ana, steering, DAY) == eligibility.Ineligible("TERM_LIMIT")
    # After a break, a new run may begin.
    assert eligibility.check(ana, steering, date(2026, 5, 1)) == eligibility.Eligible()


def test_invariant_9_body_full():
    steering = body("steering", max_size=2)
    seat(enrolled("Ana"), steering)
    seat(enrolled("Ben"), steering)
    assert eligibility.check(enrolled("Cy"), steering, DAY) == eligibility.Ineligible("BODY_FULL")


def test_reason_codes_reveal_no_case_detail():
    ana, steering = enrolled("Ana"), body("steering")
    restrict(
        ana,
        "suspended_from_leadership",
        source="interim_measure",
        source_reference="case 7 measure 2",
        case_reference="case 7",
    )
    with pytest.raises(Ineligible) as refused:
        seat(ana, steering)
    said = f"{refused.value.code} {refused.value.message}"
    assert "case 7" not in said
    assert "measure" not in said


def test_only_a_recorded_override_vote_gets_past_ineligible_and_it_is_flagged(admin):
    ana, steering = enrolled("Ana"), body("steering")
    restrict(ana, "barred_from_office", ends_on=date(2030, 1, 1))
    override = actions.eligibility_override_record(
        person=ana,
        body=steering,
        reason_code="BARRED_FROM_OFFICE",
        meeting_reference="national committee 2024-04-20",
        vote_reference="motion 4, 12-3",
        by=OPERATOR,
    )
    # Flagged: on the ledger, and a checkpoint signed at once so the record cannot be quietly dropped.
    entry = Entry.objects.get(action="org.eligibility_overridden")
    assert entry.seq == override.ledger_seq
    assert Checkpoint.objects.filter(size__gte=entry.seq).exists()

    from rankfile.ledger import queries as ledger_queries

    oversight_view = ledger_queries.flagged_entries(user=admin)
    assert [e.seq for e in oversight_view] == [entry.seq]

    placed = seat(ana, steering, override=override)
    assert placed.eligibility_override == override
    # An override seats once, and only the person, body and reason it names.
    with pytest.raises(Ineligible):
        seat(ana, body("other"), override=override)
    ben = enrolled("Ben")
    restrict(ben, "barred_from_office")
    with pytest.raises(Ineligible):
        seat(ben, steering, override=override)


def test_seating_is_refused_to_members_without_the_power(member):
    with pytest.raises(NotAllowed):
        actions.person_seat(person=enrolled("Ana"), body=body("steering"), basis="appointed", starts_on=DAY, by=member)


def test_every_eligibility_reason_code_has_a_plain_sentence():
    assert set(eligibility.EXPLAINED) == set(eligibility.REASON_CODES)
    for code in eligibility.REASON_CODES:
        sentence = eligibility.reason_in_words(code, on_date=date(2026, 12, 7))
        assert sentence.endswith(".")
        assert code not in sentence
        assert "_" not in sentence


def test_every_reason_names_the_day_of_the_check_in_words_never_that_date():
    day = date(2027, 1, 7)
    for code in eligibility.REASON_CODES:
        sentence = eligibility.reason_in_words(code, on_date=day)
        assert "that date" not in sentence
        if code != eligibility.TERM_LIMIT:  # the only reason that is not about one day
            assert sentence.endswith(" on 7 January 2027.")
