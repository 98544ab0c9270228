"""The Ledger page of a site administrator who is not on the oversight body shows no entry that tells of a report or
a case (docs/cases.md, docs/ledger.md): not the cases' own entries, not the entries of their deadlines (set,
reminded, met, cancelled, missed: those name the deadline, which names the case), and not what a case does to the
organization's records (restrictions from an interim measure or a sanction, seats ended by either, a membership
changed by a sanction or while a case about the person was open). A whole case story is run, and every page of the
administrator's Ledger is read."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from rankfile.cases.actions import closing, intake, interim, measures
from rankfile.cases.models import InterimKind
from rankfile.deadlines.actions import tick
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org.models import SeatBasis
from tests.cases import casebuilders as cb
from tests.cases.builders import seat
from tests.cases.helpers import signed_in
from tests.org.builders import body

pytestmark = pytest.mark.django_db


def entries_on_every_page(client: Client) -> set[int]:
    """The entry numbers the Ledger page lists to this client, page after page, and in its flagged list."""
    shown: set[int] = set()
    number = 1
    while True:
        html = client.get("/ledger/", {"page": number}).content.decode()
        listed = html.split('id="flagged-heading"', 1)[1]  # the flagged list, then the entries
        shown |= {int(seq) for seq in re.findall(r"Technical details of entry (\d+)", listed)}
        shown |= {int(seq) for seq in re.findall(r'href="/ledger/entries/(\d+)/proof/"', listed)}
        if f"page={number + 1}" not in html:
            return shown
        number += 1


def a_whole_case_story(org: cb.Org) -> None:
    """A report with a supportive measure; its case with an interim measure before the notice, a reminder, a review,
    the respondent resigning and rejoining while it is open, the decision (expulsion, bar from office) and its
    finality; another case closed after a withdrawal; timers missed along the way."""
    rae, ray, dana = org["rae"], org["ray"], org["dana"]
    report = cb.formal_report(org)
    support = measures.measure_request(report=report, kind="excusal", details="Tuesdays.", key=rae.key)
    measures.measure_decide(measure=support, granted=True, by=dana.user)
    case = cb.seated(org, cb.opened(org, report))
    measure = interim.interim_measure_impose(
        case=case,
        kind=InterimKind.SUSPENDED_FROM_LEADERSHIP,
        reason_code="risk_to_reporter",
        reasons="Seen outside her home.",
        review_on=timezone.localdate() + timedelta(days=5),
        by=dana.user,
    )
    tick(now=timezone.now() + timedelta(days=4))  # the review's reminder
    cb.give_notice(org, case)
    interim.interim_measure_review(measure=measure, review_on=timezone.localdate() + timedelta(days=20), by=dana.user)
    for status, days in (("resigned", 0), ("active", 1)):
        org_actions.membership_status_change(
            person=ray.person,
            status=status,
            effective_from=timezone.localdate() + timedelta(days=days),
            reason_code="own_request",
            by=OPERATOR,
        )
    ready = cb.for_decision(org, cb.reviewed(org, cb.investigating(org, case)))
    cb.decided(org, case=ready, sanctions=("expulsion", "bar_from_office"))
    # The appeal window closes: the decision is final and takes effect.
    tick(now=cb.after(40))  # type: ignore[arg-type]
    other = cb.seated(org, cb.opened(org, cb.formal_report(org, reporter="sam", respondent="lee")))
    intake.report_withdraw(report=other.reports.get(), key=org["sam"].key)
    closing.case_after_withdrawal(case=other, proceeds=False, by=dana.user)
    tick(now=cb.after(400))  # type: ignore[arg-type]  # what is still open is missed


def test_a_site_administrator_sees_no_entry_of_a_whole_case_story_on_any_page_of_the_ledger():
    org = cb.full_organization()
    admin = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    seat(org["ray"], org.steering)  # the respondent sits on the leadership
    before = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    a_whole_case_story(org)
    story = set(Entry.objects.filter(seq__gt=before).values_list("seq", flat=True))
    # Rejoining is the membership's business, and says nothing of the case (its flag for the oversight body does).
    rejoined = Entry.objects.get(seq__gt=before, action="org.membership_status_changed", data__contains='"active"')
    story.remove(rejoined.seq)
    actions_of_the_story = set(Entry.objects.filter(seq__gt=before).values_list("action", flat=True))
    for kind in (
        "deadlines.set",
        "deadlines.reminder_sent",
        "deadlines.met",
        "deadlines.cancelled",
        "deadlines.missed",
    ):
        assert kind in actions_of_the_story
    for kind in (
        "org.restriction_imposed",
        "org.restriction_lifted",
        "org.seat_ended",
        "org.membership_status_changed",
    ):
        assert kind in actions_of_the_story

    # The organization's own business after it: the administrator sees that, so the page is not simply empty.
    committee = body("finance-committee", kind="committee")
    seated = org_actions.person_seat(
        person=org["sam"].person, body=committee, basis=SeatBasis.APPOINTED, starts_on=timezone.localdate(), by=OPERATOR
    )
    org_actions.seat_end(seat=seated, ends_on=timezone.localdate() + timedelta(days=2), reason="resigned", by=OPERATOR)
    org_actions.membership_status_change(
        person=org["one"].person,
        status="resigned",
        effective_from=timezone.localdate(),
        reason_code="own_request",
        by=OPERATOR,
    )
    ordinary = set(Entry.objects.filter(seq__gt=max(story)).values_list("seq", flat=True))
    assert len(ordinary) >= 4

    shown = entries_on_every_page(signed_in(admin))
    leaked = Entry.objects.filter(seq__in=shown & story).order_by("seq")
    assert [(e.action, e.data) for e in leaked] == [], "\n".join(f"{e.action} {e.data}" for e in leaked)
    assert ordinary | {rejoined.seq} <= shown

    oona = org["oona"]  # the oversight body sees all of it
    assert story | ordinary <= entries_on_every_page(signed_in(oona.user, oona.key))
