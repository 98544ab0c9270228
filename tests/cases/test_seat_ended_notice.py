"""A seat ended by a final decision is told to the body it was on (docs/process.md): its chairs and secretaries; a body
without any, through the officers of the body that handled the case, else the oversight body; never its members (a
branch's whole membership would learn of a sanction). Never nobody."""

from datetime import date

import pytest
from django.utils import timezone

from rankfile.cases import notify
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org.models import SeatBasis, SeatRole
from tests.cases import casebuilders as cb
from tests.cases.builders import member, seat
from tests.org.builders import body

pytestmark = pytest.mark.django_db


def _told(mailoutbox: list) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


def test_a_body_with_a_chair_tells_the_chair(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    committee = body("press-committee", kind="committee")
    chair, plain = member("Cal Chair"), member("Pia Plain")
    org_actions.person_seat(
        person=chair.person,
        body=committee,
        basis=SeatBasis.ELECTED,
        role=SeatRole.CHAIR,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    seat(plain, committee)
    with django_capture_on_commit_callbacks(execute=True):
        notify.seats_ended(
            [committee.pk], person_name="Ray Respondent", day=timezone.localdate(), handled_by=org.disciplinary
        )
    assert _told(mailoutbox) == {chair.user.email}
    assert "Ray Respondent" in mailoutbox[0].body
    assert committee.name in mailoutbox[0].body


def test_a_branch_without_officers_is_told_of_through_the_handling_bodys_officers_never_its_members(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    branch = body("east-branch", kind="branch")
    one, two = member("Pia Plain"), member("Quin Plain")
    seat(one, branch)
    seat(two, branch)
    clerk = member("Cass Clerk")
    org_actions.person_seat(
        person=clerk.person,
        body=org.disciplinary,
        basis=SeatBasis.ELECTED,
        role=SeatRole.SECRETARY,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify.seats_ended(
            [branch.pk], person_name="Ray Respondent", day=timezone.localdate(), handled_by=org.disciplinary
        )
    assert sent
    assert _told(mailoutbox) == {clerk.user.email}
    assert "has no chair or secretary to tell, so you are told in its place" in mailoutbox[0].body


def test_a_branch_without_officers_handled_by_a_body_without_any_tells_the_oversight_body(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    branch = body("east-branch", kind="branch")
    one = member("Pia Plain")
    seat(one, branch)
    with django_capture_on_commit_callbacks(execute=True):
        notify.seats_ended(
            [branch.pk], person_name="Ray Respondent", day=timezone.localdate(), handled_by=org.disciplinary
        )
    assert _told(mailoutbox) == {org[name].user.email for name in ("olu", "oren", "oona")}


def test_a_body_with_nobody_left_on_it_tells_the_oversight_body(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    committee = body("press-committee", kind="committee")  # the respondent was its only member
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify.seats_ended(
            [committee.pk], person_name="Ray Respondent", day=timezone.localdate(), handled_by=org.disciplinary
        )
    assert sent
    assert _told(mailoutbox) == {org[name].user.email for name in ("olu", "oren", "oona")}
