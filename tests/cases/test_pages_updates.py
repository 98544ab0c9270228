"""Updates in the app: a report with a step, a message from its handlers or a decision on a supportive measure newer
than the reporter's last visit to its page is marked "Updated" in their list of reports (on /report/ and the home
page), with words for screen readers; opening the report's page clears it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rankfile.cases.actions import intake, measures
from rankfile.cases.models import Report
from tests.cases.builders import organization
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

WHAT = "At the branch meeting on 3 May, R. followed me to the car park."
MARK = re.compile(
    r'<strong class="updated-mark">Updated<span class="visually-hidden">: there is news on this report since you last '
    r"opened it</span></strong>"
)


@pytest.fixture
def org():
    return organization()


@pytest.fixture
def sent(org) -> tuple[Client, Report]:
    """Rae sends a formal complaint and looks at its page."""
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    about = org.people["ray"].person.pk
    client.post(f"/report/{report.pk}/send/", {"path": "formal", "respondent": about}, follow=True)
    report.refresh_from_db()
    return client, report


def marked(client: Client, url: str = "/report/") -> bool:
    return bool(MARK.search(client.get(url).content.decode()))


def test_the_reporters_own_steps_are_not_news_to_them(sent):
    client, report = sent
    report.refresh_from_db()
    assert report.reporter_seen_at is not None  # set by opening the page after sending
    assert not marked(client)
    client.post(f"/report/{report.pk}/", {"step": "message", "text": "One more thing."})
    assert not marked(client)


def test_an_acknowledgement_marks_the_report_updated_on_both_lists_until_the_reporter_opens_it(org, sent):
    client, report = sent
    dev = org.people["dev"]
    signed_in(dev.user, dev.key).post(f"/cases/{report.pk}/", {"step": "acknowledge"})
    assert marked(client, "/report/")
    home = client.get("/").content.decode()
    assert "Your reports" in home
    assert MARK.search(home)
    assert f'href="/report/{report.pk}/"' in home
    client.get(f"/report/{report.pk}/")
    assert not marked(client, "/report/")
    assert not marked(client, "/")


def test_a_message_from_the_handlers_is_an_update_but_their_internal_note_is_not(org, sent):
    client, report = sent
    dev = org.people["dev"]
    intake.message_send(report=report, text="Checking the minutes.", key=dev.key, by=dev.user, internal_note=True)
    assert not marked(client)
    intake.message_send(report=report, text="Can we talk on Thursday?", key=dev.key, by=dev.user)
    assert marked(client)


def test_a_decision_on_a_supportive_measure_is_an_update_and_so_is_its_end(org, sent):
    client, report = sent
    rae, dev = org.people["rae"], org.people["dev"]
    measure = measures.measure_request(report=report, kind="no_contact", details="", key=rae.key)
    assert not marked(client)  # asking is the reporter's own step
    measures.measure_decide(measure=measure, granted=True, by=dev.user)
    assert marked(client)
    client.get(f"/report/{report.pk}/")
    measures.measure_review(measure=measure, continued=True, by=dev.user)
    assert not marked(client)
    measures.measure_review(measure=measure, continued=False, by=dev.user)
    assert marked(client)


def test_a_report_never_opened_since_it_was_made_counts_news_from_when_it_was_made(org):
    rae, dev = org.people["rae"], org.people["dev"]
    report, _, _ = intake.report_start(reporter=rae.user)
    intake.report_save(report=report, content={"what_happened": WHAT}, key=rae.key)
    intake.report_send(report=report, path="formal", key=rae.key, respondent=org.people["ray"].person)
    client = signed_in(rae.user, rae.key)
    assert not marked(client)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    intake.report_acknowledge(report=report, by=dev.user)
    assert marked(client)


def test_an_anonymous_reporter_sees_the_mark_with_their_receipt_code(org):
    client = Client()
    assert client.post("/report/").status_code == 200
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    client.post(f"/report/{report.pk}/send/", {"path": "formal"}, follow=True)
    dev = org.people["dev"]
    intake.message_send(report=report, text="We would like to hear more.", key=dev.key, by=dev.user)
    assert marked(client)
    client.get(f"/report/{report.pk}/")
    assert not marked(client)


def test_nobody_else_sees_the_report_or_its_mark(org, sent, admin):
    _, report = sent
    dev, lee = org.people["dev"], org.people["lee"]
    intake.message_send(report=report, text="Hello.", key=dev.key, by=dev.user)
    for other in (signed_in(lee.user, lee.key), signed_in(dev.user, dev.key), signed_in(admin)):
        for url in ("/", "/report/"):
            page = other.get(url).content.decode()
            assert not MARK.search(page)
            assert f'href="/report/{report.pk}/"' not in page
