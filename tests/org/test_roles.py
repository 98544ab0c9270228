from datetime import date, timedelta

import pytest
from django.utils import timezone

from rankfile import policy
from rankfile.accounts import mfa
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


def seated_login(user, kind: str, *, until: date | None = None):
    person = enrolled(user.name, user=user)
    seat = actions.person_seat(
        person=person, body=body(f"{kind}-body", kind=kind), basis="elected", starts_on=date(2020, 1, 1), by=OPERATOR
    )
    if until:
        actions.seat_end(seat=seat, ends_on=until, reason="term_over", by=OPERATOR)
    return person


def test_the_oversight_body_may_read_the_ledger_and_others_may_not(oversight, leader):
    seated_login(oversight, "oversight")
    seated_login(leader, "leadership")
    assert policy.allows(oversight, "ledger.view_entries")
    assert not policy.allows(leader, "ledger.view_entries")


def test_a_former_oversight_member_no_longer_may(oversight):
    seated_login(oversight, "oversight", until=timezone.localdate() - timedelta(days=1))
    assert not policy.allows(oversight, "ledger.view_entries")


def test_disciplinary_panelists_must_use_a_second_factor(panelist, member):
    seated_login(panelist, "disciplinary")
    assert mfa.mfa_required(panelist)
    assert not mfa.mfa_required(member)
