"""The reporter's filing receipt: once her report is sent, a page and a small file prove it was sent on that date
and is still on the record, to anyone, without saying anything of the report."""

import html
import json
import re

import pytest
from django.test import Client

from rankfile.cases.actions import intake
from rankfile.cases.models import Report
from rankfile.ledger import actions as ledger
from rankfile.ledger import receipts
from rankfile.ledger.models import Entry
from tests.cases.builders import organization
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

WHAT = "Sentinel-7Q: at the branch meeting on 3 May, R. followed me to the car park."


@pytest.fixture
def org():
    return organization()


def send(client: Client, *, respondent: int | None, capture) -> Report:
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    data = {"path": "formal", **({"respondent": respondent} if respondent else {})}
    with capture(execute=True):  # the checkpoint signed when the sending commits
        client.post(f"/report/{report.pk}/send/", data, follow=True)
    report.refresh_from_db()
    return report


def test_the_reporter_downloads_a_receipt_that_checks_out_and_says_nothing_of_the_report(
    org, django_capture_on_commit_callbacks
):
    rae, ray = org.people["rae"], org.people["ray"]
    client = signed_in(rae.user, rae.key)
    report = send(client, respondent=ray.person.pk, capture=django_capture_on_commit_callbacks)
    status = client.get(f"/report/{report.pk}/").content.decode()
    assert f'href="/report/{report.pk}/filing-receipt/"' in status
    assert f"About: {ray.person.name} (the person you chose from the list)." in status  # she can check her choice
    page = client.get(f"/report/{report.pk}/filing-receipt/")
    assert page.status_code == 200
    assert "Download the receipt" in page.content.decode()
    filing = Entry.objects.get(action="cases.report_sent", subject_id=report.pk)
    download = client.get(f"/report/{report.pk}/filing-receipt/?entry={filing.seq}&download=1")
    assert download["Content-Disposition"] == f'attachment; filename="filing-receipt-{filing.seq}.json"'
    text = download.content.decode()
    receipt = receipts.parse(text)
    assert receipt.entry == filing.seq
    assert receipts.check_here(receipt, witnesses=[], required=0).ok
    # Nothing of the report, its people or its path: numbers, a time, hashes and the checkpoint.
    for secret in ("Sentinel-7Q", "car park", rae.person.name, ray.person.name, "formal", f'"report": {report.pk}'):
        assert secret not in text
    assert set(json.loads(text)) >= {"entry", "leaf_hash", "checkpoint", "inclusion_proof"}


def test_each_later_step_has_its_receipt_too_and_nothing_else_does(org, django_capture_on_commit_callbacks):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    report = send(client, respondent=None, capture=django_capture_on_commit_callbacks)
    intake.report_acknowledge(report=report, by=org.people["dev"].user)
    ledger.checkpoint_create()
    page = client.get(f"/report/{report.pk}/filing-receipt/").content.decode()
    acknowledged = Entry.objects.get(action="cases.report_acknowledged", subject_id=report.pk)
    assert "Receipts of the other steps of your report" in page
    assert f'<a href="?entry={acknowledged.seq}">A report was acknowledged</a>' in page
    step_page = client.get(f"/report/{report.pk}/filing-receipt/?entry={acknowledged.seq}").content.decode()
    assert "that this step of your report was recorded on this date" in step_page
    assert "that your report was sent on this date" not in step_page
    filing = Entry.objects.get(action="cases.report_sent", subject_id=report.pk)
    assert f'<a href="?entry={filing.seq}">A report was sent</a>' in step_page
    step = client.get(f"/report/{report.pk}/filing-receipt/?entry={acknowledged.seq}&download=1")
    assert receipts.parse(step.content).entry == acknowledged.seq
    unrelated = Entry.objects.exclude(subject_id=report.pk).order_by("seq")[0]
    assert client.get(f"/report/{report.pk}/filing-receipt/?entry={unrelated.seq}").status_code == 404


def test_before_a_checkpoint_includes_a_step_the_page_says_when_its_receipt_comes(
    org, django_capture_on_commit_callbacks
):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    report = send(client, respondent=None, capture=django_capture_on_commit_callbacks)
    intake.report_acknowledge(report=report, by=org.people["dev"].user)  # no checkpoint signed since
    acknowledged = Entry.objects.get(action="cases.report_acknowledged", subject_id=report.pk)
    page = client.get(f"/report/{report.pk}/filing-receipt/?entry={acknowledged.seq}").content.decode()
    assert "The receipt is ready once the ledger's next checkpoint is signed" in page
    assert "Download the receipt" not in page


def test_an_anonymous_reporter_gets_the_receipt_in_her_session_and_nobody_else_does(
    org, django_capture_on_commit_callbacks
):
    client = Client()
    report = send(client, respondent=None, capture=django_capture_on_commit_callbacks)
    assert client.get(f"/report/{report.pk}/filing-receipt/").status_code == 200
    dev = org.people["dev"]
    for other in (Client(), signed_in(dev.user, dev.key)):
        assert other.get(f"/report/{report.pk}/filing-receipt/").status_code in (302, 404)


def test_a_private_record_has_no_filing_receipt(org):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    assert client.get(f"/report/{report.pk}/filing-receipt/").status_code == 404


def test_the_receipts_codes_show_in_groups_of_8_that_copy_as_one_string(org, django_capture_on_commit_callbacks):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    report = send(client, respondent=None, capture=django_capture_on_commit_callbacks)
    page = client.get(f"/report/{report.pk}/filing-receipt/").content.decode()
    shown = page.split('<pre class="note code-grouped"', 1)[1].split(">", 1)[1].split("</pre>", 1)[0]
    filing = Entry.objects.get(action="cases.report_sent", subject_id=report.pk)
    leaf = receipts.issue(seq=filing.seq).leaf_hash.hex()  # type: ignore[union-attr]
    groups = "<wbr>".join(f'<span class="code-group">{leaf[i : i + 8]}</span>' for i in range(0, 64, 8))
    assert groups in shown  # a line breaks between groups, never inside one
    as_copied = html.unescape(re.sub(r"<[^>]+>", "", shown))  # the groups' spacing is the style sheet's
    assert receipts.parse(as_copied).entry == filing.seq
