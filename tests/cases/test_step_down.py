"""A handler with a conflict steps down from a report, from a page that shows nothing of it: they lose access at
once, the oversight body's people join when too few are left, and the entry is flagged for the oversight body."""

import pytest
from django.utils import timezone

from rankfile.cases.actions import intake
from rankfile.cases.models import Report
from rankfile.ledger.models import Entry
from tests.cases.builders import organization
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

WHAT = "Sentinel-9K: at the branch meeting, R. followed me to the car park."


@pytest.fixture
def sent():
    org = organization()
    rae = org.people["rae"]
    reporter = signed_in(rae.user, rae.key)
    reporter.post("/report/")
    report = Report.objects.latest("pk")
    reporter.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    reporter.post(f"/report/{report.pk}/send/", {"path": "formal"}, follow=True)
    report.refresh_from_db()
    return org, report


def test_a_handler_steps_down_without_reading_and_loses_access(sent):
    org, report = sent
    handlers = list(report.handlers.filter(removed_at__isnull=True).select_related("person"))
    leaving = next(m for m in org.people.values() if m.person.pk == handlers[0].person_id)
    client = signed_in(leaving.user, leaving.key)
    before = Entry.objects.filter(action="cases.report_read").count()
    page = client.get(f"/cases/{report.pk}/step-down/").content.decode()
    assert "Step down from this report" in page
    assert "Sentinel-9K" not in page
    assert Entry.objects.filter(action="cases.report_read").count() == before  # not a reading
    answer = client.post(f"/cases/{report.pk}/step-down/")
    assert answer.status_code == 302
    assert client.get(f"/cases/{report.pk}/").status_code == 404
    assert not report.handlers.filter(person=leaving.person, removed_at__isnull=True).exists()
    entry = Entry.objects.get(action="cases.handler_stepped_down")
    assert f'"report":{report.pk}' in entry.data


def test_when_too_few_are_left_the_oversight_body_joins_and_can_read(sent):
    org, report = sent
    for handler in list(report.handlers.filter(removed_at__isnull=True).select_related("person")):
        member = next(m for m in org.people.values() if m.person.pk == handler.person_id)
        intake.report_step_down(report=report, by=member.user, key=member.key)
    remaining = list(report.handlers.filter(removed_at__isnull=True).select_related("person"))
    assert remaining
    assert {h.body_id for h in remaining} == {org.oversight.pk}
    newcomer = next(m for m in org.people.values() if m.person.pk == remaining[0].person_id)
    page = signed_in(newcomer.user, newcomer.key).get(f"/cases/{report.pk}/").content.decode()
    assert "Sentinel-9K" in page


def test_nobody_else_steps_down_and_the_page_looks_missing(sent):
    org, report = sent
    lee = org.people["lee"]
    client = signed_in(lee.user, lee.key)
    assert client.get(f"/cases/{report.pk}/step-down/").status_code == 404
    assert client.post(f"/cases/{report.pk}/step-down/").status_code == 404


def test_the_reporter_is_told_that_her_handler_stepped_aside_and_who_handles_it_now(
    sent, mailoutbox, django_capture_on_commit_callbacks
):
    org, report = sent
    rae = org.people["rae"]
    handler = report.handlers.filter(removed_at__isnull=True).select_related("person").first()
    assert handler is not None
    leaving = next(m for m in org.people.values() if m.person.pk == handler.person_id)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake.report_step_down(report=report, by=leaving.user, key=leaving.key)
    assert [message.to for message in mailoutbox] == [[rae.user.email]]
    assert "There is an update on your report" in mailoutbox[0].subject
    page = signed_in(rae.user, rae.key).get(f"/report/{report.pk}/").content.decode()
    assert "the person handling your report stepped aside because of a conflict." in page
    names = sorted(h.person.name for h in report.handlers.filter(removed_at__isnull=True).select_related("person"))
    assert f"It is now handled by {', '.join(names)}." in page
    assert "It waits for a new handler." not in page


def test_a_reporter_whose_handlers_never_stepped_aside_reads_nothing_of_it(sent):
    org, report = sent
    rae = org.people["rae"]
    page = signed_in(rae.user, rae.key).get(f"/report/{report.pk}/").content.decode()
    assert "stepped aside" not in page


def test_when_nobody_handles_it_after_a_step_down_the_reporter_reads_that_it_waits_for_a_new_handler(sent):
    org, report = sent
    rae = org.people["rae"]
    handler = report.handlers.filter(removed_at__isnull=True).first()
    assert handler is not None
    leaving = next(m for m in org.people.values() if m.person.pk == handler.person_id)
    intake.report_step_down(report=report, by=leaving.user, key=leaving.key)
    report.handlers.update(removed_at=timezone.now())  # nobody left to handle it
    page = signed_in(rae.user, rae.key).get(f"/report/{report.pk}/").content.decode()
    assert "stepped aside because of a conflict." in page
    assert "It waits for a new handler." in page
    assert "It is now handled by" not in page
