from datetime import date

import pytest

from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions, queries
from rankfile.org.models import StatusChange
from tests.org.builders import enrolled

pytestmark = pytest.mark.django_db


def test_status_on_any_date_follows_the_history():
    ana = enrolled("Ana", since=date(2015, 3, 1))
    actions.membership_status_change(
        person=ana,
        status="suspended",
        effective_from=date(2020, 1, 1),
        until=date(2020, 7, 1),
        reason_code="interim_measure",
        by=OPERATOR,
    )
    actions.membership_status_change(
        person=ana, status="resigned", effective_from=date(2022, 5, 10), reason_code="own_request", by=OPERATOR
    )
    assert queries.status_on(person=ana, day=date(2015, 2, 28)) is None
    assert queries.status_on(person=ana, day=date(2015, 3, 1)) == "active"
    assert queries.status_on(person=ana, day=date(2019, 12, 31)) == "active"
    assert queries.status_on(person=ana, day=date(2020, 1, 1)) == "suspended"
    assert queries.status_on(person=ana, day=date(2020, 6, 30)) == "suspended"
    # A time-bound suspension ends on its own: the status before it shows again.
    assert queries.status_on(person=ana, day=date(2020, 7, 1)) == "active"
    assert queries.status_on(person=ana, day=date(2022, 5, 9)) == "active"
    assert queries.status_on(person=ana, day=date(2022, 5, 10)) == "resigned"


def test_history_is_never_overwritten_and_each_step_is_on_the_ledger():
    ana = enrolled("Ana")
    actions.membership_status_change(
        person=ana, status="lapsed", effective_from=date(2021, 1, 1), reason_code="dues_unpaid", by=OPERATOR
    )
    changes = list(StatusChange.objects.filter(person=ana).values_list("status", "effective_from", "ledger_seq"))
    assert [c[:2] for c in changes] == [("active", date(2005, 1, 1)), ("lapsed", date(2021, 1, 1))]
    seqs = [c[2] for c in changes]
    assert (
        list(Entry.objects.filter(seq__in=seqs).values_list("action", flat=True))
        == ["org.membership_status_changed"] * 2
    )


def test_everyone_whose_status_was_x_on_a_date():
    ana, ben, cy = enrolled("Ana"), enrolled("Ben"), enrolled("Cy", since=date(2019, 1, 1))
    actions.membership_status_change(
        person=ben,
        status="on_leave",
        effective_from=date(2018, 1, 1),
        until=date(2018, 12, 1),
        reason_code="parental_leave",
        by=OPERATOR,
    )
    day = date(2018, 6, 1)
    assert set(queries.people_with_status(status="active", day=day)) == {ana}
    assert set(queries.people_with_status(status="on_leave", day=day)) == {ben}
    assert set(queries.people_with_status(status="active", day=date(2019, 6, 1))) == {ana, ben, cy}


def test_resigning_while_a_case_was_open_surfaces_on_rejoining():
    ana = enrolled("Ana")
    assert not queries.resigned_while_a_case_was_open(person=ana)
    actions.membership_status_change(
        person=ana,
        status="resigned",
        effective_from=date(2021, 1, 1),
        reason_code="own_request",
        case_open=True,
        by=OPERATOR,
    )
    assert queries.resigned_while_a_case_was_open(person=ana)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "emeritus"}, "status"),
        ({"until": date(2014, 1, 1), "status": "suspended"}, "until"),
        ({"until": date(2030, 1, 1), "status": "expelled"}, "until"),
        ({"reason_code": "Because I Said So"}, "reason_code"),
    ],
)
def test_bad_status_changes_say_what_to_fix(changes, field):
    ana = enrolled("Ana")
    arguments = {"status": "suspended", "effective_from": date(2015, 6, 1), "reason_code": "vote", **changes}
    with pytest.raises(InvalidInput) as refused:
        actions.membership_status_change(person=ana, by=OPERATOR, **arguments)
    assert field in refused.value.field_errors
    assert StatusChange.objects.filter(person=ana).count() == 1


def test_members_cannot_change_statuses(member):
    ana = __import__("tests.org.builders", fromlist=["member"]).enrolled("Ana")
    with pytest.raises(NotAllowed):
        actions.membership_status_change(
            person=ana, status="expelled", effective_from=date(2020, 1, 1), reason_code="vote", by=member
        )
