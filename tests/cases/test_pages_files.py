"""Files on the reporting pages: evidence on the report form and the status page, attachments to messages, and their
downloads (streamed, decrypted, never cached, each opening on the ledger), for the reporter and the handlers only."""

import json
import re
import time
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.test import Client

from rankfile.cases.actions import intake
from rankfile.cases.models import Message, Report
from rankfile.cases.pages import reports
from rankfile.ledger.models import Entry
from tests.cases.builders import organization
from tests.cases.helpers import signed_in
from tests.hidden import assert_hidden
from tests.ledger.helpers import by_person
from tests.vault.helpers import PDF, PNG

pytestmark = pytest.mark.django_db

WHAT = "At the branch meeting on 3 May, R. followed me to the car park."
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    settings.VAULT_ROOT = tmp_path / "vault"
    return settings.VAULT_ROOT


@pytest.fixture
def org():
    return organization()


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def draft(org) -> tuple[Client, Report]:
    """Rae, signed in, starts a report and writes what happened."""
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    return client, report


def sent_formal(org) -> tuple[Client, Report]:
    client, report = draft(org)
    response = client.post(f"/report/{report.pk}/send/", {"path": "formal", "respondent": org.people["ray"].person.pk})
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    return client, report


def attach(client: Client, url: str, content: bytes = PDF, name: str = "screenshot.pdf"):
    return client.post(url, {"step": "evidence", "file": upload(content, name)})


def reads_of(report: Report, document_id: int, **who) -> int:
    entries = Entry.objects.filter(action=intake.REPORT_READ, subject_id=report.pk, **who)
    return sum(1 for entry in entries if json.loads(entry.data)["document"] == document_id)


def body(response) -> bytes:
    return cast(StreamingHttpResponse, response).getvalue()


# --- evidence on the report form -------------------------------------------------------------------------------


def test_the_report_form_has_an_upload_field_listing_the_accepted_types_and_the_limit(org):
    client, report = draft(org)
    page = client.get(f"/report/{report.pk}/").content.decode()
    form = page.split('value="evidence"', 1)[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    assert 'enctype="multipart/form-data"' in form
    field = re.search(r'<input type="file" name="file"[^>]*>', page)
    assert field
    accept = re.search(r'accept="([^"]*)"', field.group(0))
    assert accept
    for accepted in ("application/pdf", "image/jpeg", "audio/mpeg", "video/mp4", "text/plain", ".heic", ".m4a"):
        assert accepted in accept.group(1).split(",")
    assert 'aria-describedby="id_file_helptext"' in field.group(0)
    assert "up to 100 MB each" in page
    assert "No files attached." in page


def test_a_reporter_attaches_a_file_to_a_draft_and_sees_its_name_type_and_size(org):
    client, report = draft(org)
    response = attach(client, f"/report/{report.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/report/{report.pk}/"
    [evidence] = report.evidence.all()
    page = client.get(response["Location"]).content.decode()
    assert "Your file was added." in page
    assert f'<a href="/report/{report.pk}/files/{evidence.pk}/">screenshot.pdf</a>' in page
    assert f"PDF document, {filesizeformat(len(PDF))}" in page
    assert reads_of(report, evidence.pk, actor_type="reporter") == 1  # listing it opened its sealed name


def test_a_file_of_a_type_not_accepted_is_refused_by_its_field_in_plain_words(org):
    client, report = draft(org)
    response = attach(client, f"/report/{report.pk}/", EXE, "minutes.exe")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<a href="#id_file">Attach a file</a>: This kind of file is not accepted; send pictures, PDF documents, '
        "sound or video recordings, or plain text." in page
    )
    assert re.search(r'<input type="file" name="file"[^>]*aria-invalid="true"', page)
    assert WHAT in page  # the report's own form is still there, as saved
    assert report.evidence.count() == 0


def test_a_file_over_the_limit_is_refused_by_its_field_and_the_form_states_the_limit(org, settings):
    settings.VAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
    client, report = draft(org)
    assert "up to 2 MB each" in client.get(f"/report/{report.pk}/").content.decode()
    response = attach(client, f"/report/{report.pk}/", PDF + b"\x00" * (3 * 1024 * 1024), "recording.pdf")
    assert response.status_code == 400
    assert (
        '<a href="#id_file">Attach a file</a>: The file is 3 MB; files up to 2 MB are accepted.'
        in response.content.decode()
    )
    assert report.evidence.count() == 0


def test_an_empty_upload_is_refused_by_its_field(org):
    client, report = draft(org)
    response = attach(client, f"/report/{report.pk}/", b"", "nothing.pdf")
    assert response.status_code == 400
    assert "This file is empty." in response.content.decode()
    response = client.post(f"/report/{report.pk}/", {"step": "evidence"})
    assert "Choose a file to attach." in response.content.decode()


def test_a_file_of_the_full_100_mb_is_taken_past_djangos_form_data_limit(org, settings):
    assert settings.VAULT_MAX_FILE_BYTES == 100 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < settings.VAULT_MAX_FILE_BYTES  # that limit leaves files alone
    client, report = draft(org)
    content = PDF + b"\x00" * (settings.VAULT_MAX_FILE_BYTES - len(PDF))
    started = time.monotonic()
    response = attach(client, f"/report/{report.pk}/", content, "video-of-the-meeting.pdf")
    assert response.status_code == 302, response.content.decode()[:2000]
    [evidence] = report.evidence.all()
    download = client.get(f"/report/{report.pk}/files/{evidence.pk}/")
    assert download["Content-Length"] == str(len(content))
    assert body(download) == content
    assert time.monotonic() - started < 60


# --- evidence after sending, and downloads ----------------------------------------------------------------------


def test_evidence_added_after_sending_reaches_the_handlers_who_download_it_with_safe_headers(org):
    reporter, report = sent_formal(org)
    response = attach(reporter, f"/report/{report.pk}/", PDF, "screenshot of 3 May.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/report/{report.pk}/"
    [evidence] = report.evidence.all()
    dev = org.people["dev"]
    handler = signed_in(dev.user, dev.key)
    page = handler.get(f"/cases/{report.pk}/").content.decode()
    url = f"/cases/{report.pk}/files/{evidence.pk}/"
    assert f'<a href="{url}">screenshot of 3 May.pdf</a>' in page
    listed = reads_of(report, evidence.pk, **by_person(dev.person))
    assert listed == 1

    download = handler.get(url)
    assert download.status_code == 200
    assert body(download) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Length"] == str(len(PDF))
    assert download["Content-Disposition"] == 'attachment; filename="screenshot of 3 May.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert "private" in download["Cache-Control"]
    assert reads_of(report, evidence.pk, **by_person(dev.person)) == listed + 1
    entry = Entry.objects.filter(action=intake.REPORT_READ, **by_person(dev.person)).latest("seq")
    assert json.loads(entry.data)["as"] == "handler"
    assert "screenshot" not in entry.data


def test_the_reporter_downloads_their_own_file_and_each_opening_is_on_the_ledger_as_theirs(org):
    reporter, report = sent_formal(org)
    attach(reporter, f"/report/{report.pk}/", PNG, "photo.png")
    [evidence] = report.evidence.all()
    before = reads_of(report, evidence.pk, actor_type="reporter")
    download = reporter.get(f"/report/{report.pk}/files/{evidence.pk}/")
    assert body(download) == PNG
    assert download["Content-Type"] == "image/png"
    assert reads_of(report, evidence.pk, actor_type="reporter") == before + 1
    reporter.get(f"/report/{report.pk}/")
    assert reads_of(report, evidence.pk, actor_type="reporter") == before + 2  # the status page lists it again
    dev = org.people["dev"]
    signed_in(dev.user, dev.key).get(f"/cases/{report.pk}/files/{evidence.pk}/")
    read_log = reporter.get(f"/report/{report.pk}/").content.decode().split("Who has read your report", 1)[1]
    assert re.search(r"<td>Dev Discipline</td>\s*<td>A document you added: photo.png</td>", read_log)
    assert "<td>A file</td>" not in read_log  # said by its name, which she may know


def test_the_read_log_says_in_plain_words_what_was_read_and_a_note_s_file_by_no_name(org):
    reporter, report = sent_formal(org)
    dev = org.people["dev"]
    handler = signed_in(dev.user, dev.key)
    handler.get(f"/cases/{report.pk}/")  # the handler reads her account
    handler.post(
        f"/cases/{report.pk}/",
        {"step": "message", "message-text": "The agreement.", "message-attachment": upload(PDF, "agreement.pdf")},
    )
    handler.post(
        f"/cases/{report.pk}/",
        {"step": "note", "note-text": "Minutes of 3 May.", "note-attachment": upload(PDF, "minutes.pdf")},
    )
    handler.get(f"/cases/{report.pk}/")  # every file's name is opened on the handler's page
    read_log = reporter.get(f"/report/{report.pk}/").content.decode().split("Who has read your report", 1)[1]
    assert re.search(r"<td>Dev Discipline</td>\s*<td>Your account of what happened</td>", read_log)
    assert re.search(r"<td>Dev Discipline</td>\s*<td>A file attached to a message: agreement.pdf</td>", read_log)
    assert re.search(r"<td>Dev Discipline</td>\s*<td>A file</td>", read_log)  # the internal note's, unnamed
    assert "minutes.pdf" not in read_log


def test_a_file_missing_from_the_vault_is_an_error_page_saying_to_restore_it_and_no_read_is_recorded(
    org, vault_root, caplog
):
    reporter, report = sent_formal(org)
    attach(reporter, f"/report/{report.pk}/", PNG, "photo.png")
    [evidence] = report.evidence.all()
    blob = vault_root / evidence.versions.get().blob
    blob.unlink()  # a restore that left the vault directory out
    before = reads_of(report, evidence.pk)
    dev = org.people["dev"]
    for client, url in ((reporter, "/report/"), (signed_in(dev.user, dev.key), "/cases/")):
        response = client.get(f"{url}{report.pk}/files/{evidence.pk}/")
        assert response.status_code == 500
        assert not response.streaming
        page = response.content.decode()
        assert "This file is missing from the vault" in page
        assert "restore the vault directory from a backup" in page
    assert reads_of(report, evidence.pk) == before
    assert f"{blob} is missing from the vault" in caplog.text
    problem = reporter.get(f"/report/{report.pk}/files/{evidence.pk}/", headers={"Accept": "application/json"})
    assert problem.json()["code"] == "file_missing"


def test_a_plain_text_file_downloads_as_text_in_utf_8_to_be_saved_not_shown(org):
    reporter, report = sent_formal(org)
    attach(reporter, f"/report/{report.pk}/", "Zeugin: Jürgen\n".encode(), "notes.txt")
    [evidence] = report.evidence.all()
    download = reporter.get(f"/report/{report.pk}/files/{evidence.pk}/")
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("sealed", "offered"),
    [
        ("screenshot.pdf", "screenshot.pdf"),
        ('a "quoted" name.pdf', "a _quoted_ name.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        ("..\\..\\secret:file.pdf", "_.._secret_file.pdf"),
        ("...", "file"),
        ("x" * 300 + ".pdf", "x" * 150),
    ],
)
def test_the_sealed_file_name_is_sanitized_before_it_is_offered_for_saving(sealed, offered):
    assert reports.download_name(sealed) == offered


def test_a_file_name_outside_ascii_is_offered_in_the_encoded_form(org):
    reporter, report = sent_formal(org)
    attach(reporter, f"/report/{report.pk}/", PDF, "Zeugenaussage Jürgen.pdf")
    [evidence] = report.evidence.all()
    download = reporter.get(f"/report/{report.pk}/files/{evidence.pk}/")
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''Zeugenaussage%20J%C3%BCrgen.pdf"


def test_a_withdrawn_report_still_lists_its_files_but_takes_no_new_ones(org):
    reporter, report = sent_formal(org)
    attach(reporter, f"/report/{report.pk}/")
    reporter.post(f"/report/{report.pk}/withdraw/")
    page = reporter.get(f"/report/{report.pk}/").content.decode()
    assert "screenshot.pdf" in page
    assert 'name="file"' not in page
    attach(reporter, f"/report/{report.pk}/", PNG, "late.png")
    assert report.evidence.count() == 1


# --- message attachments --------------------------------------------------------------------------------------


def test_a_reporter_attaches_a_file_to_a_message_and_the_handlers_download_it(org):
    reporter, report = sent_formal(org)
    page = reporter.get(f"/report/{report.pk}/").content.decode()
    form = page.split('name="step" value="message"', 1)[0].rsplit("<form", 1)[1]
    assert 'enctype="multipart/form-data"' in form
    response = reporter.post(
        f"/report/{report.pk}/", {"step": "message", "text": "The photo.", "attachment": upload(PNG, "car park.png")}
    )
    assert response.status_code == 302
    message = Message.objects.get(report=report)
    [attachment] = message.attachments.all()
    assert f'<a href="/report/{report.pk}/files/{attachment.pk}/">car park.png</a>' in (
        reporter.get(f"/report/{report.pk}/").content.decode()
    )
    dev = org.people["dev"]
    handler = signed_in(dev.user, dev.key)
    page = handler.get(f"/cases/{report.pk}/").content.decode()
    url = f"/cases/{report.pk}/files/{attachment.pk}/"
    assert f'<a href="{url}">car park.png</a>' in page
    assert "PNG picture" in page
    before = reads_of(report, attachment.pk, **by_person(dev.person))
    download = handler.get(url)
    assert body(download) == PNG
    assert download["Content-Disposition"] == 'attachment; filename="car park.png"'
    assert reads_of(report, attachment.pk, **by_person(dev.person)) == before + 1


def test_a_handler_attaches_a_file_to_a_message_and_the_reporter_downloads_it(org):
    reporter, report = sent_formal(org)
    dev = org.people["dev"]
    handler = signed_in(dev.user, dev.key)
    response = handler.post(
        f"/cases/{report.pk}/",
        {"step": "message", "message-text": "The agreement.", "message-attachment": upload(PDF, "agreement.pdf")},
    )
    assert response.status_code == 302
    [attachment] = Message.objects.get(report=report).attachments.all()
    page = reporter.get(f"/report/{report.pk}/").content.decode()
    assert f'<a href="/report/{report.pk}/files/{attachment.pk}/">agreement.pdf</a>' in page
    assert body(reporter.get(f"/report/{report.pk}/files/{attachment.pk}/")) == PDF


def test_an_internal_notes_attachment_is_for_the_handlers_alone(org):
    reporter, report = sent_formal(org)
    dev, dora = org.people["dev"], org.people["dora"]
    signed_in(dev.user, dev.key).post(
        f"/cases/{report.pk}/",
        {"step": "note", "note-text": "Minutes of 3 May.", "note-attachment": upload(PDF, "minutes.pdf")},
    )
    [attachment] = Message.objects.get(report=report, internal_note=True).attachments.all()
    assert "minutes.pdf" not in reporter.get(f"/report/{report.pk}/").content.decode()
    assert reporter.get(f"/report/{report.pk}/files/{attachment.pk}/").status_code == 404
    other = signed_in(dora.user, dora.key)
    assert "minutes.pdf" in other.get(f"/cases/{report.pk}/").content.decode()
    assert body(other.get(f"/cases/{report.pk}/files/{attachment.pk}/")) == PDF


def test_a_message_attachment_of_a_type_not_accepted_is_refused_by_its_field_and_nothing_is_sent(org):
    reporter, report = sent_formal(org)
    response = reporter.post(
        f"/report/{report.pk}/", {"step": "message", "text": "A program.", "attachment": upload(EXE, "x.exe")}
    )
    assert response.status_code == 400
    assert (
        '<a href="#id_attachment">Attach a file (optional)</a>: This kind of file is not accepted'
        in response.content.decode()
    )
    dev = org.people["dev"]
    response = signed_in(dev.user, dev.key).post(
        f"/cases/{report.pk}/", {"step": "note", "note-text": "x", "note-attachment": upload(EXE, "x.exe")}
    )
    assert response.status_code == 400
    assert '<a href="#id_note-attachment">Attach a file (optional)</a>: This kind of file' in response.content.decode()
    assert not Message.objects.filter(report=report).exists()


def test_a_message_attachment_over_the_limit_is_refused_by_its_field(org, settings):
    settings.VAULT_MAX_FILE_BYTES = 1024 * 1024
    reporter, report = sent_formal(org)
    response = reporter.post(
        f"/report/{report.pk}/",
        {"step": "message", "text": "Long.", "attachment": upload(PDF + b"\x00" * (2 * 1024 * 1024), "long.pdf")},
    )
    assert response.status_code == 400
    assert "The file is 2 MB; files up to 1 MB are accepted." in response.content.decode()
    assert not Message.objects.filter(report=report).exists()


# --- not found and forbidden look the same ---------------------------------------------------------------------


@pytest.fixture
def files(org):
    """A sent report with evidence, a message attachment and an internal note's attachment."""
    reporter, report = sent_formal(org)
    attach(reporter, f"/report/{report.pk}/")
    reporter.post(f"/report/{report.pk}/", {"step": "message", "text": "A photo.", "attachment": upload(PNG, "p.png")})
    dev = org.people["dev"]
    signed_in(dev.user, dev.key).post(
        f"/cases/{report.pk}/", {"step": "note", "note-text": "Minutes.", "note-attachment": upload(PDF, "m.pdf")}
    )
    evidence = report.evidence.get()
    attachment = Message.objects.get(report=report, internal_note=False).attachments.get()
    note_attachment = Message.objects.get(report=report, internal_note=True).attachments.get()
    return report, [evidence.pk, attachment.pk, note_attachment.pk]


def another_reporter() -> Client:
    """Someone who started a report of their own without an account: their receipt key is unlocked."""
    client = Client()
    assert client.post("/report/").status_code == 200
    return client


def test_invariant_11_downloads_are_not_found_for_everyone_else(org, admin, files):
    report, file_ids = files
    lee, olu = org.people["lee"], org.people["olu"]
    outsiders = [
        signed_in(lee.user, lee.key),  # a leader
        signed_in(admin),  # a site administrator
        signed_in(olu.user, olu.key),  # the oversight body, which does not handle this report
        another_reporter(),
        Client(),
    ]
    before = Entry.objects.filter(action=intake.REPORT_READ).count()
    for file_id in file_ids:
        for url in (f"/report/{report.pk}/files/{file_id}/", f"/cases/{report.pk}/files/{file_id}/"):
            for outsider in outsiders:
                response = outsider.get(url)
                assert_hidden(response)
                assert not getattr(response, "streaming", False)
    assert Entry.objects.filter(action=intake.REPORT_READ).count() == before


def test_invariant_11_a_file_of_another_report_or_none_at_all_is_not_found(org, files):
    report, file_ids = files
    rae, dev = org.people["rae"], org.people["dev"]
    reporter = signed_in(rae.user, rae.key)
    _, other = sent_formal(org)
    for url in (
        f"/report/{other.pk}/files/{file_ids[0]}/",
        f"/report/{report.pk}/files/{report.content_id}/",  # a sealed document, but not a file of the report
        f"/report/{report.pk}/files/999999/",
    ):
        assert reporter.get(url).status_code == 404
    handler = signed_in(dev.user, dev.key)
    assert handler.get(f"/cases/{other.pk}/files/{file_ids[0]}/").status_code == 404
    assert handler.get(f"/cases/{report.pk}/files/999999/").status_code == 404
    # the reporter's download address is not the handler's, nor the other way round
    assert handler.get(f"/report/{report.pk}/files/{file_ids[0]}/").status_code == 404
    assert reporter.get(f"/cases/{report.pk}/files/{file_ids[0]}/").status_code == 404


def test_a_handler_ruled_out_can_no_longer_download(org, files):
    report, file_ids = files
    rae, dale = org.people["rae"], org.people["dale"]
    handler = signed_in(dale.user, dale.key)
    assert handler.get(f"/cases/{report.pk}/files/{file_ids[0]}/").status_code == 200
    signed_in(rae.user, rae.key).post(f"/report/{report.pk}/conflict/{dale.person.pk}/")
    for file_id in file_ids:
        assert handler.get(f"/cases/{report.pk}/files/{file_id}/").status_code == 404


def test_downloads_need_the_key_unlocked_in_this_browser(org, files):
    report, file_ids = files
    rae, dev = org.people["rae"], org.people["dev"]
    response = signed_in(rae.user).get(f"/report/{report.pk}/files/{file_ids[0]}/")
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()
    response = signed_in(dev.user).get(f"/cases/{report.pk}/files/{file_ids[0]}/")
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()
