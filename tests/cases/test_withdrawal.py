"""A withdrawn report does not end its case by itself: the body decides whether to go on, with a reason."""

import json

import pytest

from rankfile.cases.actions import closing, intake
from rankfile.cases.models import Stage
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db


def test_the_panel_is_told_of_a_withdrawal_and_may_go_on_where_others_are_at_risk(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    case = cb.noticed(org)
    with pytest.raises(InvalidInput) as early:
        closing.case_after_withdrawal(case=case, proceeds=True, reason_code="others_at_risk", by=org["dana"].user)
    assert early.value.code == "not_withdrawn"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake.report_withdraw(report=case.reports.get(), key=org["rae"].key)
    told = {address for message in mailoutbox for address in message.to}
    assert told == {org[n].user.email for n in ("dana", "dev", "dora")}
    assert all("Code of conduct" not in m.body for m in mailoutbox)
    with pytest.raises(InvalidInput) as no_reason:
        closing.case_after_withdrawal(case=case, proceeds=True, by=org["dana"].user)
    assert no_reason.value.code == "reason"
    with pytest.raises(NotAllowed):
        closing.case_after_withdrawal(case=case, proceeds=False, by=org["lee"].user)
    closing.case_after_withdrawal(case=case, proceeds=True, reason_code="others_at_risk", by=org["dana"].user)
    case.refresh_from_db()
    assert case.proceeds_without_reporter
    assert case.stage == Stage.RESPONSE  # it goes on where it was
    entry = json.loads(Entry.objects.get(action="cases.after_withdrawal").data)
    assert entry == {"case": case.pk, "proceeds": True, "reason": "others_at_risk"}


def test_or_close_the_case_which_cancels_its_timers():
    org = cb.full_organization()
    case = cb.noticed(org)
    intake.report_withdraw(report=case.reports.get(), key=org["rae"].key)
    closing.case_after_withdrawal(case=case, proceeds=False, by=org["dana"].user)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    assert case.close_reason == "withdrawn"
    open_timers = Deadline.objects.filter(subject_type="cases.case", subject_id=case.pk, met_at__isnull=True)
    assert not open_timers.filter(cancelled_at__isnull=True).exists()


def test_a_case_closed_before_the_notice_tells_the_respondent_nothing(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    case = cb.seated(org)  # the respondent has not been given notice
    intake.report_withdraw(report=case.reports.get(), key=org["rae"].key)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closing.case_after_withdrawal(case=case, proceeds=False, by=org["dana"].user)
    told = {address for message in mailoutbox for address in message.to}
    assert org["rae"].user.email in told
    assert org["ray"].user.email not in told
