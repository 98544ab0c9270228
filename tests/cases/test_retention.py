"""Retention: a private record deleted by its reporter, closed matters purged after the bylaws' years."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.cases.actions import intake, retention
from rankfile.cases.models import Report, ReportPath, ReportStatus
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput
from rankfile.ledger.models import Entry
from rankfile.vault.models import Version, WrappedKey
from tests.cases.builders import organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


def report_by(who, path=ReportPath.RECORD_ONLY, respondent=None):
    report, _, _ = intake.report_start(reporter=who.user)
    intake.report_save(report=report, content={"what_happened": "SENTINEL-RETENTION"}, key=who.key)
    intake.report_send(report=report, path=path, key=who.key, respondent=respondent)
    return report


def test_a_reporter_deletes_their_private_record_and_its_content_is_gone_but_the_ledger_stays(org):
    rae = org.people["rae"]
    report = report_by(rae)
    entries_before = Entry.objects.filter(subject_type="cases.report", subject_id=report.pk).count()
    retention.record_delete(report=report, key=rae.key)
    report.refresh_from_db()
    assert report.status == ReportStatus.DELETED
    versions = Version.objects.filter(document=report.content)
    assert versions.exists()
    assert all(bytes(v.sealed) == b"" for v in versions)
    assert not WrappedKey.objects.filter(version__document=report.content).exists()
    assert Entry.objects.filter(subject_type="cases.report", subject_id=report.pk).count() == entries_before + 1
    assert Entry.objects.filter(action=retention.REPORT_DELETED, subject_id=report.pk).exists()


def test_a_sent_report_cannot_be_deleted_by_its_reporter(org):
    rae = org.people["rae"]
    report = report_by(rae, path=ReportPath.FORMAL, respondent=org.people["ray"].person)
    with pytest.raises(InvalidInput, match="kept as the bylaws say"):
        retention.record_delete(report=report, key=rae.key)


def test_withdrawn_matters_are_purged_after_seven_years_once_and_on_the_ledger(org):
    rae = org.people["rae"]
    report = report_by(rae, path=ReportPath.FORMAL, respondent=org.people["ray"].person)
    intake.report_withdraw(report=report, key=rae.key)
    recent = report_by(rae, path=ReportPath.FORMAL, respondent=org.people["ray"].person)
    intake.report_withdraw(report=recent, key=rae.key)
    Report.objects.filter(pk=report.pk).update(withdrawn_at=timezone.now() - timedelta(days=365 * 7 + 10))
    assert retention.purge_due(timezone.now()) == 1
    assert retention.purge_due(timezone.now()) == 0
    report.refresh_from_db()
    recent.refresh_from_db()
    assert (report.status, recent.status) == (ReportStatus.PURGED, ReportStatus.WITHDRAWN)
    assert Entry.objects.filter(action=retention.REPORT_PURGED).count() == 1


def test_the_tick_runs_the_purge(org):
    rae = org.people["rae"]
    report = report_by(rae, path=ReportPath.FORMAL, respondent=org.people["ray"].person)
    intake.report_withdraw(report=report, key=rae.key)
    Report.objects.filter(pk=report.pk).update(withdrawn_at=timezone.now() - timedelta(days=365 * 8))
    assert deadlines.tick().periodic["reports purged"] == 1


def test_a_purge_destroys_the_evidence_files_too(org, settings, tmp_path):
    from tests.vault.helpers import PDF, upload

    settings.VAULT_ROOT = tmp_path / "vault"
    rae = org.people["rae"]
    report, _, _ = intake.report_start(reporter=rae.user)
    intake.report_save(report=report, content={"what_happened": "SENTINEL-RETENTION"}, key=rae.key)
    evidence = intake.report_evidence_add(report=report, upload=upload(PDF, "photo.pdf"), key=rae.key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    intake.report_withdraw(report=report, key=rae.key)
    [sealed_file] = list(settings.VAULT_ROOT.rglob("*.sealed"))
    Report.objects.filter(pk=report.pk).update(withdrawn_at=timezone.now() - timedelta(days=365 * 8))
    assert retention.purge_due(timezone.now()) == 1
    assert not sealed_file.exists()
    assert not WrappedKey.objects.filter(version__document=evidence.document).exists()
    assert all(bytes(v.sealed) == b"" and v.blob == "" for v in Version.objects.filter(document=evidence.document))
