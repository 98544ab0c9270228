"""Deleting a private record from its page: what it means is said first; then its content and files are destroyed
for good, and only the fact that it existed stays on the ledger."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rankfile.cases.actions.retention import REPORT_DELETED
from rankfile.cases.models import Report, ReportStatus
from rankfile.ledger.models import Entry
from rankfile.vault.models import Version
from tests.cases.builders import organization
from tests.cases.helpers import signed_in
from tests.hidden import assert_hidden
from tests.vault.helpers import PDF

pytestmark = pytest.mark.django_db

WHAT = "SENTINEL-DELETE: what happened at the social."


@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    settings.VAULT_ROOT = tmp_path / "vault"
    return settings.VAULT_ROOT


@pytest.fixture
def org():
    return organization()


def record(org, *, send_as: str | None = "record_only") -> tuple[Client, Report]:
    """Rae's report with a file attached, recorded privately (or left a draft, or sent on another path)."""
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    file = SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")
    assert client.post(f"/report/{report.pk}/", {"step": "evidence", "file": file}).status_code == 302
    if send_as is not None:
        data = {"path": send_as}
        if send_as == "formal":
            data["respondent"] = org.people["ray"].person.pk
        assert client.post(f"/report/{report.pk}/send/", data).status_code == 302
    report.refresh_from_db()
    return client, report


def test_a_private_record_offers_deletion_and_the_confirmation_says_it_is_permanent_and_what_remains(org):
    client, report = record(org)
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert f'href="/report/{report.pk}/delete/"' in page
    assert "Delete this record" in page
    confirmation = client.get(f"/report/{report.pk}/delete/")
    assert "no-store" in confirmation["Cache-Control"]
    text = confirmation.content.decode()
    assert "Deleting is permanent." in text
    assert "Nobody can undo it" in text
    assert "files you attached are destroyed" in text
    assert "What remains is that a private record existed" in text
    assert "on the ledger" in text
    assert "without anything it said" in text
    assert "Delete it for good" in text
    assert f'href="/report/{report.pk}/">Keep my record</a>' in text
    report.refresh_from_db()
    assert report.status == ReportStatus.RECORDED


def test_deleting_destroys_the_content_and_the_files_and_the_ledger_keeps_that_it_existed(org, vault_root):
    client, report = record(org)
    evidence = report.evidence.get()
    [sealed_file] = list(vault_root.rglob("*.sealed"))
    response = client.post(f"/report/{report.pk}/delete/", follow=True)
    page = response.content.decode()
    assert "Your record is deleted. What it said, and its files, are destroyed for good." in page
    assert "What it said is destroyed for good." in page
    assert f"/report/{report.pk}/files/" not in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DELETED
    assert not sealed_file.exists()
    for document in (report.content, evidence):
        assert all(bytes(v.sealed) == b"" and v.blob == "" for v in Version.objects.filter(document=document))
    assert Entry.objects.filter(action=REPORT_DELETED, subject_id=report.pk).exists()
    assert "SENTINEL-DELETE" not in "".join(Entry.objects.values_list("data", flat=True))
    assert client.get(f"/report/{report.pk}/files/{evidence.pk}/").status_code == 404
    assert client.get(f"/report/{report.pk}/delete/").status_code == 302  # nothing left to delete
    listed = client.get("/report/").content.decode()
    assert "Deleted by the reporter" in listed


def test_a_draft_can_be_deleted_from_its_form(org):
    client, report = record(org, send_as=None)
    assert report.status == ReportStatus.DRAFT
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert f'href="/report/{report.pk}/delete/"' in page
    client.post(f"/report/{report.pk}/delete/")
    report.refresh_from_db()
    assert report.status == ReportStatus.DELETED


@pytest.mark.parametrize("path", ["formal", "support_only"])
def test_a_report_that_was_sent_cannot_be_deleted_from_the_site(org, path):
    client, report = record(org, send_as=path)
    assert f'href="/report/{report.pk}/delete/"' not in client.get(f"/report/{report.pk}/").content.decode()
    assert client.get(f"/report/{report.pk}/delete/").status_code == 302
    assert client.post(f"/report/{report.pk}/delete/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.destroyed_at is None


def test_invariant_11_nobody_else_can_delete_a_record_or_learn_it_exists(org, admin):
    client, report = record(org)
    lee, dev = org.people["lee"], org.people["dev"]
    stranger = Client()
    assert stranger.post("/report/").status_code == 200  # another reporter, their own key unlocked
    missing = client.get("/report/999999/delete/")
    assert missing.status_code == 404
    for outsider in (signed_in(lee.user, lee.key), signed_in(admin), signed_in(dev.user, dev.key), stranger, Client()):
        for response in (outsider.get(f"/report/{report.pk}/delete/"), outsider.post(f"/report/{report.pk}/delete/")):
            assert_hidden(response, missing=missing)
    report.refresh_from_db()
    assert report.status == ReportStatus.RECORDED
