"""Reporting in a real browser, continued: a reporter attaches a PDF and asks for a no-contact arrangement; a handler
downloads the file and grants the measure; the reporter sees that their report was updated. A private record is
deleted after its confirmation page."""

import pytest
from playwright.sync_api import expect

from rankfile.cases.models import MeasureStatus, Report, ReportStatus, SupportiveMeasure
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases.builders import organization
from tests.vault.helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "At the branch meeting on 3 May, R. followed me to the car park and would not let me leave."


@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    settings.VAULT_ROOT = tmp_path / "vault"


def test_a_reporter_attaches_a_pdf_asks_for_no_contact_and_sees_the_handlers_decision_as_an_update(
    live_server, new_page, a11y
):
    org = organization()
    rae = can_sign_in(org.people["rae"])
    dev = can_sign_in(org.people["dev"])

    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=email_of(rae))
    page.get_by_role("link", name="Make a report").click()
    a11y.check(page)
    page.get_by_role("button", name="Start a report", exact=True).click()
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()
    expect(page.get_by_text("up to 100 MB each")).to_be_visible()
    a11y.check(page)
    page.get_by_label("What happened").fill(WHAT)
    page.get_by_role("button", name="Save", exact=True).click()
    a11y.check(page)

    # A file of a kind not accepted is refused by its field; then the PDF.
    page.get_by_label("Attach a file").set_input_files(
        {"name": "minutes.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00" + b"\x00" * 64}
    )
    page.get_by_role("button", name="Attach this file").click()
    expect(page.locator("#id_file_error")).to_contain_text("This kind of file is not accepted")
    a11y.check(page)
    page.get_by_label("Attach a file").set_input_files(
        {"name": "screenshot.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Attach this file").click()
    expect(page.get_by_text("Your file was added.")).to_be_visible()
    expect(page.get_by_role("link", name="screenshot.pdf")).to_be_visible()
    a11y.check(page)

    page.get_by_role("button", name="Save and choose what happens next").click()
    a11y.check(page)
    page.get_by_label("Formal complaint").check()
    page.get_by_label("Who it is about (optional)").select_option(label="Ray Respondent")
    page.get_by_role("button", name="Confirm my choice").click()
    expect(page.get_by_text("Your report was sent to the Disciplinary Committee.")).to_be_visible()
    a11y.check(page)

    support = page.locator("section", has=page.get_by_role("heading", name="Support while your report is handled"))
    expect(support).to_contain_text("A supportive measure is not a sanction against anyone")
    support.get_by_label("No-contact arrangement").check()
    support.get_by_label("Details (optional)").fill("R. should not message me or sit next to me at meetings.")
    support.get_by_role("button", name="Ask for support").click()
    expect(page.get_by_text("Your request was sent to the people handling your report.")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting for a decision")).to_be_visible()
    a11y.check(page)
    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED

    # A handler downloads the file and grants the measure.
    handler = new_page()
    sign_in_with_totp(handler, a11y, base_url=live_server.url, who=dev)
    handler.goto(f"{live_server.url}/cases/{report.pk}/")
    expect(handler.get_by_text(WHAT)).to_be_visible()
    expect(handler.get_by_text("R. should not message me or sit next to me at meetings.")).to_be_visible()
    no_sanction = "A supportive measure is not a sanction and does not depend on any finding."
    expect(handler.get_by_text(no_sanction)).to_be_visible()
    a11y.check(handler)
    with handler.expect_download() as downloading:
        handler.get_by_role("link", name="screenshot.pdf").click()
    download = downloading.value
    assert download.suggested_filename == "screenshot.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == PDF
    handler.get_by_role("button", name="Grant").click()
    expect(handler.get_by_text("Granted, until a review by")).to_be_visible()
    expect(handler.get_by_role("button", name="Continue")).to_be_visible()
    a11y.check(handler)
    assert SupportiveMeasure.objects.get().status == MeasureStatus.GRANTED

    # The reporter sees that there is an update, opens the report and finds the measure in place.
    page.goto(live_server.url + "/")
    mine = page.locator("section", has=page.get_by_role("heading", name="Your reports"))
    expect(mine.locator(".updated-mark")).to_contain_text("Updated")
    expect(mine.locator(".visually-hidden")).to_have_text(": there is news on this report since you last opened it")
    a11y.check(page)
    page.get_by_role("link", name="Make a report").click()
    expect(page.locator(".updated-mark")).to_have_count(1)
    a11y.check(page)
    page.locator(".report-list").get_by_role("link").first.click()
    expect(page.get_by_role("cell", name="In place (decided on", exact=False)).to_be_visible()
    reads = page.locator("section", has=page.get_by_role("heading", name="Who has read your report"))
    expect(reads.get_by_role("cell", name="A document you added: screenshot.pdf").first).to_be_visible()
    a11y.check(page)
    page.goto(live_server.url + "/report/")
    expect(page.locator(".updated-mark")).to_have_count(0)
    a11y.check(page)


def test_a_signed_in_member_deletes_a_private_record_after_reading_what_it_means(live_server, new_page, a11y):
    org = organization()
    rae = can_sign_in(org.people["rae"])
    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=email_of(rae))
    page.goto(live_server.url + "/report/")
    a11y.check(page)
    page.get_by_role("button", name="Start a report", exact=True).click()
    a11y.check(page)
    page.get_by_label("What happened").fill(WHAT)
    page.get_by_role("button", name="Save and choose what happens next").click()
    a11y.check(page)
    page.get_by_label("Record only").check()
    page.get_by_role("button", name="Confirm my choice").click()
    expect(page.get_by_text("Your report is recorded privately.")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Delete this record").click()
    expect(page.get_by_text("Deleting is permanent.")).to_be_visible()
    expect(page.get_by_text("What remains is that a private record existed")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="Keep my record").click()
    a11y.check(page)
    assert Report.objects.get().status == ReportStatus.RECORDED
    page.get_by_role("link", name="Delete this record").click()
    a11y.check(page)
    page.get_by_role("button", name="Delete it for good").click()
    expect(page.get_by_text("Your record is deleted.")).to_be_visible()
    expect(page.get_by_text("What it said is destroyed for good.")).to_be_visible()
    a11y.check(page)
    assert Report.objects.get().status == ReportStatus.DELETED
