"""Reporting: each path, routing around conflicts, acknowledgement with its deadline, withdrawal, messages."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from rankfile.cases.actions import intake
from rankfile.cases.models import Handler, Message, Report, ReportPath, ReportStatus
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import InvalidInput, MfaRequired, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.vault import documents
from tests.cases.builders import member, organization
from tests.ledger.helpers import by_person
from tests.vault.helpers import LedgeredRead

pytestmark = pytest.mark.django_db

WHAT = {"what_happened": "At the branch meeting on 3 May, R. followed me to the car park.", "when": "3 May"}


@pytest.fixture
def org():
    return organization()


def started_by(who, *, content=WHAT):
    report, code, _ = intake.report_start(reporter=who.user)
    assert code is None
    intake.report_save(report=report, content=content, key=who.key)
    return report


def handlers_of(report: Report) -> set[str]:
    return set(Handler.objects.filter(report=report).values_list("person__name", flat=True))


def test_record_only_stays_private_to_the_reporter_and_keeps_every_version(org):
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_save(report=report, content={**WHAT, "where": "car park"}, key=rae.key)
    intake.report_send(report=report, path=ReportPath.RECORD_ONLY, key=rae.key)
    report.refresh_from_db()
    assert report.status == ReportStatus.RECORDED
    assert handlers_of(report) == set()
    assert report.content.versions.count() == 3  # the empty draft, then two saves
    for other in org.people.values():
        if other is not rae:
            with pytest.raises(NotAllowed):
                intake.report_content(report=report, key=other.key, actor=other.user, capacity="handler")
    assert (
        intake.report_content(report=report, key=rae.key, actor=intake.REPORTER, capacity="reporter")["where"]
        == "car park"
    )
    assert not Deadline.objects.exists()


def test_a_record_turned_into_a_formal_complaint_keeps_its_original_time_stamp(org):
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.RECORD_ONLY, key=rae.key)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=400))
    report.refresh_from_db()
    stamped = report.created_at
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    report.refresh_from_db()
    assert (report.status, report.created_at) == (ReportStatus.SUBMITTED, stamped)


def test_a_formal_complaint_goes_to_the_disciplinary_body_minus_the_people_named(org):
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(
        report=report,
        path=ReportPath.FORMAL,
        key=rae.key,
        respondent=org.people["ray"].person,
        named_conflicts=[org.people["dale"].person],
    )
    report.refresh_from_db()
    assert report.handling_body == org.disciplinary
    assert handlers_of(report) == {"Dana Discipline", "Dev Discipline", "Dora Discipline"}


def test_invariant_7_a_complaint_about_a_member_of_the_disciplinary_body_goes_to_the_oversight_body(org):
    """The committee's members sat with the respondent on the committee: every one of them is conflicted."""
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(
        report=report,
        path=ReportPath.FORMAL,
        key=rae.key,
        respondent=org.people["dana"].person,  # a member of the disciplinary committee
    )
    report.refresh_from_db()
    assert report.handling_body == org.oversight
    assert handlers_of(report) == {"Olu Oversight", "Oren Oversight", "Oona Oversight"}


def test_too_few_left_after_exclusions_sends_it_to_the_oversight_body(org):
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(
        report=report,
        path=ReportPath.FORMAL,
        key=rae.key,
        respondent=org.people["dana"].person,
        named_conflicts=[org.people["dale"].person],
    )
    report.refresh_from_db()
    assert report.handling_body == org.oversight
    assert handlers_of(report) == {"Olu Oversight", "Oren Oversight", "Oona Oversight"}
    entry = Entry.objects.get(action=intake.REPORT_SENT)
    assert json.loads(entry.data)["fell_back"] is True


def test_the_respondent_on_the_committee_is_never_told_and_cannot_read(org, django_capture_on_commit_callbacks):
    rae, dana = org.people["rae"], org.people["dana"]
    report = started_by(rae)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=dana.person)
    told = {address for message in mail.outbox for address in message.to}
    assert "dana@example.org" not in told
    assert told == {"olu@example.org", "oren@example.org", "oona@example.org"}
    assert all("report" in m.subject.lower() and WHAT["what_happened"] not in m.body for m in mail.outbox)
    with pytest.raises(NotAllowed):
        intake.report_content(report=report, key=dana.key, actor=dana.user, capacity="handler")


def test_a_handler_reads_what_was_sent_but_not_the_drafts_and_the_read_is_on_the_ledger(org):
    rae, dev = org.people["rae"], org.people["dev"]
    report = started_by(rae, content={"what_happened": "first draft, not sent"})
    intake.report_save(report=report, content=WHAT, key=rae.key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    assert (
        intake.report_content(report=report, key=dev.key, actor=dev.user, capacity="handler")["what_happened"]
        == WHAT["what_happened"]
    )
    drafts = report.content.versions.order_by("number")[:2]
    for draft in drafts:
        with pytest.raises(NotAllowed):
            documents.open_text(draft, key=dev.key, purpose=LedgeredRead())
    read = Entry.objects.filter(action=intake.REPORT_READ, **by_person(dev.person)).get()
    assert json.loads(read.data)["as"] == "handler"


def test_support_only_tells_the_support_team_and_nobody_investigates(org):
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.SUPPORT_ONLY, key=rae.key)
    report.refresh_from_db()
    assert report.handling_body == org.support
    assert handlers_of(report) == {"Sam Support"}


def test_a_report_needs_what_happened_before_it_is_sent(org):
    rae = org.people["rae"]
    report = started_by(rae, content={"when": "May"})
    with pytest.raises(InvalidInput) as refused:
        intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key)
    assert "what_happened" in refused.value.field_errors
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_unknown_or_overlong_fields_are_refused_with_a_clear_message(org):
    rae = org.people["rae"]
    report = started_by(rae)
    with pytest.raises(InvalidInput, match="unknown"):
        intake.report_save(report=report, content={"notes": "x"}, key=rae.key)
    with pytest.raises(InvalidInput) as refused:
        intake.report_save(report=report, content={"what_happened": "x" * 50_001}, key=rae.key)
    assert "shorten it" in str(refused.value.field_errors["what_happened"][0])


def test_only_the_reporter_changes_or_sends_their_report(org):
    report = started_by(org.people["rae"])
    with pytest.raises(NotAllowed):
        intake.report_save(report=report, content=WHAT, key=org.people["lee"].key)
    with pytest.raises(NotAllowed):
        intake.report_send(report=report, path=ReportPath.FORMAL, key=org.people["lee"].key)


def test_acknowledging_meets_the_deadline_and_tells_the_reporter_without_content(
    org, django_capture_on_commit_callbacks
):
    rae, dev = org.people["rae"], org.people["dev"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    [deadline] = deadlines.open_deadlines_for(report)
    assert deadline.due_at.date() == (timezone.localdate() + timedelta(days=3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake.report_acknowledge(report=report, by=dev.user)
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    [update] = mail.outbox
    assert update.to == ["rae@example.org"]
    assert "update" in update.subject
    assert f"/report/{report.pk}/" in update.body  # their own status page, not the handlers' inbox
    assert WHAT["what_happened"] not in update.body


def test_a_missed_acknowledgement_escalates_once_and_leaves_out_the_parties(org):
    rae = org.people["rae"]
    report = started_by(rae)
    # Oren sits on the oversight body and is the respondent: the alert must not tell him.
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["oren"].person)
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=5)
    assert len(deadlines.tick(now=later).missed) == 1
    assert deadlines.tick(now=later).missed == []
    [alert] = mail.outbox
    assert sorted(alert.to) == ["olu@example.org", "oona@example.org"]
    assert "acknowledging a report" in alert.subject


def test_a_handler_without_a_second_factor_is_told_to_enable_it(org):
    rae = org.people["rae"]
    newcomer = member("Nia Newcomer", mfa=False)
    from tests.cases.builders import seat

    seat(newcomer, org.disciplinary)
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    assert "Nia Newcomer" in handlers_of(report)
    with pytest.raises(MfaRequired):
        intake.report_acknowledge(report=report, by=newcomer.user)


def test_leaders_and_admins_are_not_handlers_and_learn_nothing(org, django_capture_on_commit_callbacks, admin):
    rae, lee = org.people["rae"], org.people["lee"]
    report = started_by(rae)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    told = {address for message in mail.outbox for address in message.to}
    assert "lee@example.org" not in told
    assert admin.email not in told
    for outsider in (lee.user, admin):
        with pytest.raises(NotAllowed):
            intake.report_acknowledge(report=report, by=outsider)


def test_withdrawing_cancels_the_deadlines(org):
    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    intake.report_withdraw(report=report, key=rae.key)
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN
    assert deadlines.open_deadlines_for(report) == []
    assert list(report.steps.values_list("status", flat=True)) == ["draft", "submitted", "withdrawn"]


def test_anonymous_reporter_files_with_a_receipt_and_exchanges_messages(org):
    from django.contrib.auth.models import AnonymousUser

    from rankfile.vault import keys

    report, code, unlocked = intake.report_start(reporter=AnonymousUser())
    assert unlocked is not None
    assert code is not None
    assert report.reporter is None
    intake.report_save(report=report, content=WHAT, key=unlocked)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=unlocked, respondent=org.people["ray"].person)
    dev = org.people["dev"]
    intake.message_send(report=report, text="Thank you. Can we talk on Thursday?", key=dev.key, by=dev.user)
    intake.message_send(
        report=report, text="Internal: check the minutes.", key=dev.key, by=dev.user, internal_note=True
    )
    again = keys.receipt_key_unlock(code=code)  # later, with the code alone
    reply = intake.message_send(report=report, text="Thursday works.", key=again, by=None)
    messages = {m.side: m for m in Message.objects.filter(report=report, internal_note=False)}
    assert set(messages) == {"handlers", "reporter"}
    assert documents.open_text(
        documents.latest(messages["handlers"].content), key=again, purpose=LedgeredRead()
    ).startswith("Thank you")
    note = Message.objects.get(report=report, internal_note=True)
    with pytest.raises(NotAllowed):
        documents.open_text(documents.latest(note.content), key=again, purpose=LedgeredRead())
    assert (
        documents.open_text(documents.latest(reply.content), key=dev.key, purpose=LedgeredRead()) == "Thursday works."
    )


def test_a_site_admin_cannot_learn_from_the_ledger_that_a_report_exists(org, admin):
    from rankfile.ledger import queries as ledger_queries

    rae = org.people["rae"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    deadlines.tick(now=timezone.now() + timedelta(days=5))  # a missed acknowledgement, flagged
    seen_by_admin = ledger_queries.entries_for_oversight(user=admin)
    assert seen_by_admin.exists()  # the organization's other entries
    assert not [e for e in seen_by_admin if e.action.startswith("cases.") or "cases." in e.data + e.subject_type]
    assert not [e for e in ledger_queries.flagged_entries(user=admin) if "cases." in e.data]
    seen_by_oversight = ledger_queries.entries_for_oversight(user=org.people["olu"].user)
    assert seen_by_oversight.filter(action=intake.REPORT_SENT).exists()
    assert [e for e in ledger_queries.flagged_entries(user=org.people["olu"].user) if "cases." in e.data]


def test_evidence_attached_before_sending_reaches_the_handlers_and_nobody_else(org, tmp_path, settings):
    from rankfile.vault.errors import VaultError
    from tests.vault.helpers import PDF, upload

    settings.VAULT_ROOT = tmp_path / "vault"
    rae, dev, lee = org.people["rae"], org.people["dev"], org.people["lee"]
    report = started_by(rae)
    version = intake.report_evidence_add(report=report, upload=upload(PDF, "screenshot.pdf"), key=rae.key)
    with pytest.raises(VaultError) as refused:  # a program is not evidence we accept
        intake.report_evidence_add(report=report, upload=upload(b"MZ\x90\x00" + b"\x00" * 64, "x.exe"), key=rae.key)
    assert refused.value.code == "file_type"
    assert report.evidence.count() == 1
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    opened = documents.open_file(version, key=dev.key, purpose=LedgeredRead())
    assert (opened.name, b"".join(opened.chunks)) == ("screenshot.pdf", PDF)
    with pytest.raises(NotAllowed):
        documents.open_file(version, key=lee.key, purpose=LedgeredRead())


def test_a_message_carries_sealed_attachments(org, tmp_path, settings):
    from tests.vault.helpers import PNG, upload

    settings.VAULT_ROOT = tmp_path / "vault"
    rae, dev = org.people["rae"], org.people["dev"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    message = intake.message_send(
        report=report, text="a photo", key=rae.key, by=rae.user, attachments=[upload(PNG, "p.png")]
    )
    [attachment] = message.attachments.all()
    opened = documents.open_file(documents.latest(attachment), key=dev.key, purpose=LedgeredRead())
    assert opened.content_type == "image/png"


def test_naming_a_handler_as_conflicted_removes_them_and_their_access_at_once(org):
    rae, dev, dora = org.people["rae"], org.people["dev"], org.people["dora"]
    report = started_by(rae)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=rae.key, respondent=org.people["ray"].person)
    intake.message_send(report=report, text="note to self", key=dev.key, by=dev.user, internal_note=True)
    intake.report_conflict_name(report=report, person=org.people["dana"].person, key=rae.key)
    intake.report_conflict_name(report=report, person=dev.person, key=rae.key)
    with pytest.raises(NotAllowed):
        intake.report_content(report=report, key=dev.key, actor=dev.user, capacity="handler")
    with pytest.raises(NotAllowed):
        intake.report_acknowledge(report=report, by=dev.user)
    # two remain of a quorum of three: the oversight body joins, and can read what the reporter can
    current = set(report.handlers.filter(removed_at__isnull=True).values_list("person__name", flat=True))
    assert current == {"Dora Discipline", "Dale Discipline", "Olu Oversight", "Oren Oversight", "Oona Oversight"}
    olu = org.people["olu"]
    assert intake.report_content(report=report, key=olu.key, actor=olu.user, capacity="handler")["what_happened"]
    assert intake.report_content(report=report, key=dora.key, actor=dora.user, capacity="handler")["what_happened"]
    entry = json.loads(Entry.objects.filter(action=intake.CONFLICT_NAMED).latest("seq").data)
    assert (entry["handler_removed"], entry["fell_back"]) == (True, True)
