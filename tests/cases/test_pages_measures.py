"""Supportive measures on the reporting pages: the reporter asks, the handlers read the request (a ledgered read),
grant or decline it, and continue or end it at review; both sides are told that it is no sanction."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from rankfile.cases.actions import intake, measures
from rankfile.cases.models import MeasureStatus, Report, SupportiveMeasure
from rankfile.ledger.models import Entry
from tests.cases.builders import organization
from tests.cases.helpers import signed_in
from tests.hidden import assert_hidden
from tests.ledger.helpers import by_person

pytestmark = pytest.mark.django_db

WHAT = "At the branch meeting on 3 May, R. followed me to the car park."
DETAILS = "Please keep R. away from me at the Tuesday branch meetings."
NOT_A_SANCTION = "A supportive measure is not a sanction"


@pytest.fixture
def org():
    return organization()


def written(org, path: str = "formal") -> tuple[Client, Report]:
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    data = {"path": path}
    if path == "formal":
        data["respondent"] = org.people["ray"].person.pk
    assert client.post(f"/report/{report.pk}/send/", data).status_code == 302
    report.refresh_from_db()
    return client, report


def ask(client: Client, report: Report, kind: str = "no_contact", details: str = DETAILS):
    return client.post(f"/report/{report.pk}/", {"step": "measure", "kind": kind, "details": details})


def handler(org, name: str = "dev") -> Client:
    who = org.people[name]
    return signed_in(who.user, who.key)


def test_the_status_page_offers_support_with_plain_explanations_and_says_it_is_no_sanction(org):
    client, report = written(org)
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "Support while your report is handled" in page
    assert NOT_A_SANCTION in page
    assert "does not depend on any finding" in page
    for kind in (
        "No-contact arrangement",
        "Excusal from shared meetings or roles",
        "Changed meeting arrangements",
        "Other support",
    ):
        assert kind in page
    assert 'aria-describedby="id_kind_0_help"' in page
    assert "may have to tell them what they must not do; never what you wrote" in page
    assert '<label for="id_details">Details (optional):</label>' in page
    assert "Ask for support" in page


def test_the_reporter_asks_for_a_no_contact_arrangement_and_sees_it_waiting(org):
    client, report = written(org)
    response = ask(client, report)
    assert response.status_code == 302
    measure = SupportiveMeasure.objects.get(report=report)
    assert (measure.kind, measure.status) == ("no_contact", MeasureStatus.REQUESTED)
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "Your request was sent to the people handling your report." in page
    rows = page.split("Your requests for support", 1)[1].split("</table>", 1)[0]
    assert "<td>No-contact arrangement</td>" in rows
    assert "<td>Waiting for a decision</td>" in rows
    assert DETAILS not in page  # the details are sealed; the list does not open them
    assert DETAILS not in "".join(Entry.objects.values_list("data", flat=True))


def test_asking_without_a_kind_or_with_an_unknown_one_is_refused_by_its_field(org):
    client, report = written(org)
    for data in ({"step": "measure", "details": "x"}, {"step": "measure", "kind": "punishment"}):
        response = client.post(f"/report/{report.pk}/", data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Choose the kind of support." in page
        assert 'aria-describedby="id_kind_error"' in page
    response = ask(client, report, details="x" * 10_001)
    assert response.status_code == 400
    assert '<a href="#id_details">Details (optional)</a>: Describe it in fewer than 10,000 characters.' in (
        response.content.decode()
    )
    assert not SupportiveMeasure.objects.exists()


def test_a_private_record_offers_no_supportive_measures(org):
    client, report = written(org, path="record_only")
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "Ask for support" not in page
    ask(client, report)
    assert not SupportiveMeasure.objects.exists()


def test_the_handler_reads_the_request_as_a_ledgered_read_and_sees_it_is_no_sanction(org):
    client, report = written(org)
    ask(client, report)
    measure = SupportiveMeasure.objects.get()
    dev = org.people["dev"]
    page = handler(org).get(f"/cases/{report.pk}/").content.decode()
    assert NOT_A_SANCTION in page
    assert "does not depend on any finding" in page
    assert DETAILS in page
    assert ">Grant</button>" in page
    assert ">Decline</button>" in page
    reads = [
        json.loads(entry.data) for entry in Entry.objects.filter(action=intake.REPORT_READ, **by_person(dev.person))
    ]
    assert {"report": report.pk, "version": 1, "document": measure.details_id, "as": "handler"} in reads
    read_log = client.get(f"/report/{report.pk}/").content.decode().split("Who has read your report", 1)[1]
    assert "A request for support" in read_log


def test_granting_sets_a_review_date_that_both_sides_see_and_tells_the_reporter_without_content(
    org, django_capture_on_commit_callbacks
):
    client, report = written(org)
    ask(client, report)
    measure = SupportiveMeasure.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = handler(org).post(
            f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "grant"}, follow=True
        )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.GRANTED
    review = measure.review_on
    assert review == timezone.localdate() + timedelta(days=30)
    page = response.content.decode()
    assert f"Granted, until a review by {review:%-d %B %Y}." in page
    assert "Review by" in page
    assert ">Continue</button>" in page
    assert ">End</button>" in page
    [email] = mail.outbox
    assert email.to == [org.people["rae"].user.email]
    assert "update" in email.subject
    assert "No-contact" not in email.body
    assert DETAILS not in email.body
    rows = client.get(f"/report/{report.pk}/").content.decode().split("Your requests for support", 1)[1]
    assert "In place (decided on" in rows
    assert f"{review:%-d %B %Y}</time>" in rows


def test_declining_is_recorded_and_shown_to_the_reporter(org):
    client, report = written(org)
    ask(client, report, kind="excusal", details="")
    measure = SupportiveMeasure.objects.get()
    response = handler(org).post(
        f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "decline"}, follow=True
    )
    assert "Declined. The reporter is told that there is an update." in response.content.decode()
    assert "None given" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DECLINED
    assert "Declined (decided on" in client.get(f"/report/{report.pk}/").content.decode()


def test_at_review_a_measure_continues_for_another_period_or_ends(org):
    client, report = written(org)
    ask(client, report)
    measure = SupportiveMeasure.objects.get()
    dev = handler(org)
    dev.post(f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "grant"})
    response = dev.post(
        f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "continue"}, follow=True
    )
    assert "It continues, until the next review by" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.GRANTED
    assert len(measures.deadlines.open_deadlines_for(measure)) == 1
    response = dev.post(
        f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "end"}, follow=True
    )
    assert "Ended. The reporter is told that there is an update." in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ENDED
    assert measures.deadlines.open_deadlines_for(measure) == []
    page = response.content.decode().split("Supportive measures", 1)[1].split("</section>", 1)[0]
    assert ">Continue</button>" not in page
    assert ">Grant</button>" not in page


def test_deciding_twice_or_without_a_decision_is_explained_not_an_error_page(org):
    client, report = written(org)
    ask(client, report)
    measure = SupportiveMeasure.objects.get()
    dev = handler(org)
    dev.post(f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "decline"})
    response = dev.post(
        f"/cases/{report.pk}/", {"step": "measure", "measure": measure.pk, "decision": "grant"}, follow=True
    )
    assert response.status_code == 200
    assert "This request was already decided." in response.content.decode()
    unknown = {"step": "measure", "measure": measure.pk, "decision": "x"}
    response = dev.post(f"/cases/{report.pk}/", unknown, follow=True)
    assert "Choose what to do with the request." in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DECLINED


def test_invariant_11_nobody_else_reads_or_decides_a_request(org, admin):
    client, report = written(org)
    ask(client, report)
    measure = SupportiveMeasure.objects.get()
    lee, olu = org.people["lee"], org.people["olu"]
    decide = {"step": "measure", "measure": measure.pk, "decision": "grant"}
    for outsider in (signed_in(lee.user, lee.key), signed_in(admin), signed_in(olu.user, olu.key), client, Client()):
        assert_hidden(outsider.post(f"/cases/{report.pk}/", decide))
        assert_hidden(outsider.get(f"/cases/{report.pk}/"))
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.REQUESTED
    _, other = written(org)
    response = handler(org).post(f"/cases/{other.pk}/", {**decide, "measure": measure.pk})
    assert response.status_code == 404  # a measure of another report is not found on this one
    for bad in ("", "x", "999999"):
        assert handler(org).post(f"/cases/{report.pk}/", {**decide, "measure": bad}).status_code == 404
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.REQUESTED
