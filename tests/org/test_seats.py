from datetime import date

import pytest

from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions, queries
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


def seat(person, on, starts, ends=None, role="member"):
    placed = actions.person_seat(person=person, body=on, basis="elected", starts_on=starts, role=role, by=OPERATOR)
    if ends:
        actions.seat_end(seat=placed, ends_on=ends, reason="term_over", by=OPERATOR)
    return placed


def test_who_sat_on_a_body_on_a_date_counts_term_boundaries_right():
    steering = body("steering-committee")
    ana, ben, cy = enrolled("Ana"), enrolled("Ben"), enrolled("Cy")
    seat(ana, steering, date(2012, 6, 1), ends=date(2014, 6, 1), role="chair")
    seat(ben, steering, date(2013, 6, 1), ends=date(2013, 12, 1))
    seat(cy, steering, date(2014, 6, 1))

    def names(day):
        return sorted(s.person.name for s in queries.seats_on(body=steering, day=day))

    assert names(date(2013, 1, 1)) == ["Ana"]
    assert names(date(2013, 6, 1)) == ["Ana", "Ben"]  # the first day counts
    assert names(date(2013, 12, 1)) == ["Ana"]  # the end date does not
    assert names(date(2014, 5, 31)) == ["Ana"]
    assert names(date(2014, 6, 1)) == ["Cy"]  # handover: the outgoing chair's last day was the day before


def test_every_body_a_person_sat_on():
    ana = enrolled("Ana")
    council, appeals = body("branch-council", kind="branch"), body("appeals-committee", kind="appeals")
    seat(ana, council, date(2016, 1, 1), ends=date(2018, 1, 1))
    seat(ana, appeals, date(2019, 1, 1))
    assert [s.body.slug for s in queries.seat_history(person=ana)] == ["branch-council", "appeals-committee"]


def test_bodies_two_people_shared_only_when_their_seats_overlapped():
    ana, ben = enrolled("Ana"), enrolled("Ben")
    steering, council = body("steering"), body("council", kind="branch")
    seat(ana, steering, date(2013, 1, 1), ends=date(2015, 1, 1))
    seat(ben, steering, date(2014, 6, 1), ends=date(2016, 1, 1))
    seat(ana, council, date(2010, 1, 1), ends=date(2011, 1, 1))
    seat(ben, council, date(2011, 1, 1))  # starts the day Ana's seat ended: no overlap
    shared = queries.shared_bodies(first=ana, second=ben)
    assert [(s.body.slug, s.since, s.until) for s in shared] == [("steering", date(2014, 6, 1), date(2015, 1, 1))]
    assert queries.shared_bodies(first=ana, second=ben, since=date(2015, 1, 1)) == []


def test_ending_a_seat_sets_its_end_once_with_a_reason():
    ana, steering = enrolled("Ana"), body("steering")
    placed = seat(ana, steering, date(2020, 1, 1))
    actions.seat_end(seat=placed, ends_on=date(2021, 3, 1), reason="resigned", by=OPERATOR)
    placed.refresh_from_db()
    assert (placed.ends_on, placed.end_reason) == (date(2021, 3, 1), "resigned")
    with pytest.raises(InvalidInput, match="already ended"):
        actions.seat_end(seat=placed, ends_on=date(2021, 4, 1), reason="term_over", by=OPERATOR)
    with pytest.raises(InvalidInput):
        actions.seat_end(
            seat=seat(ana, body("other"), date(2022, 1, 1)), ends_on=date(2021, 1, 1), reason="resigned", by=OPERATOR
        )
