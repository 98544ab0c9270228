"""A reporter who forgot her password: she resets it, the trustees restore what her old key could read, and she
opens her reports again, writes to them, and follows her case as a party, with the key she now signs in with."""

import pytest
from allauth.account.signals import password_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from rankfile.accounts import recovery
from rankfile.accounts.models import User
from rankfile.cases import casefiles, queries
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import intake
from rankfile.cases.models import Case, Report, ReportPath, ReportStatus
from rankfile.errors import NotAllowed
from rankfile.vault import documents, keys
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Recovery
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.vault.helpers import PDF, key_for, upload

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new passphrase after the reset 7"
PRIVATE = {"what_happened": "A private record, written before the reset.", "when": "In the winter"}


@pytest.fixture
def org() -> cb.Org:
    """The organization, with its recovery key set up before anything is reported: two of the oversight body's three
    members must agree."""
    org = cb.full_organization()
    admin = get_user_model().objects.create_user(
        email="siteadmin@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    trustees = [org[name].user for name in ("olu", "oren", "oona")]
    recovery.recovery_setup(trustees=trustees, threshold=2, by=admin)
    return org


def reset_and_restore(org: cb.Org, user: User) -> UnlockedKey:
    """A reset by email (a new key, the old one retired, the trustees asked), and two trustees' approval."""
    fresh = keys.person_key_create(user=user, password=NEW_PASSWORD)
    password_reset.send(sender=User, request=None, user=user)
    asked = Recovery.objects.get(completed_at__isnull=True, cancelled_at__isnull=True)
    for name in ("olu", "oren"):
        recovery.recovery_approve_as_trustee(recovery=asked, by=org[name].user, key=org[name].key)
    asked.refresh_from_db()
    assert asked.completed_at is not None
    return fresh


def recorded_privately(org: cb.Org) -> Report:
    rae = org["rae"]
    report, _code, _unlocked = intake.report_start(reporter=rae.user, path=ReportPath.RECORD_ONLY)
    intake.report_save(report=report, content=PRIVATE, key=rae.key)
    intake.report_send(report=report, path=ReportPath.RECORD_ONLY, key=rae.key)
    report.refresh_from_db()
    return report


def test_after_a_reset_and_the_trustees_approval_the_reporter_opens_her_reports_and_her_case(org):
    case: Case = cb.noticed(org)
    sent = case.reports.get()
    private = recorded_privately(org)
    fresh = reset_and_restore(org, org["rae"].user)
    rae = signed_in(org["rae"].user, fresh)

    # She opens each report: not the "sign in again" page, whatever she does.
    status = rae.get(f"/report/{sent.pk}/")
    assert status.status_code == 200, status.content.decode()
    assert "Sign in again" not in status.content.decode()
    assert "What happened, in the reporter&#x27;s words." in rae.get(f"/report/{sent.pk}/read/").content.decode()
    assert "A private record, written before the reset." in rae.get(f"/report/{private.pk}/edit/").content.decode()

    # She writes to them: a message and a file to the handlers, a new version of her private record.
    message = rae.post(f"/report/{sent.pk}/", {"step": "message", "text": "I have remembered one more thing."})
    assert message.status_code == 302, message.content.decode()
    evidence = rae.post(f"/report/{sent.pk}/", {"step": "evidence", "file": upload(PDF, "photo.pdf")})
    assert evidence.status_code == 302, evidence.content.decode()
    edited = rae.post(f"/report/{private.pk}/edit/", {**PRIVATE, "what_happened": "Written again after the reset."})
    assert edited.status_code == 302, edited.content.decode()
    assert "Written again after the reset." in rae.get(f"/report/{private.pk}/edit/").content.decode()
    # The handlers read what she sent.
    dana = signed_in(org["dana"].user, org["dana"].key)
    handler_page = dana.get(f"/cases/{sent.pk}/").content.decode()
    assert "I have remembered one more thing." in handler_page
    assert "photo.pdf" in handler_page

    # She follows her case as a party.
    assert case.reference in rae.get("/cases/mine/").content.decode()
    party_page = rae.get(f"/cases/mine/{case.reference}/")
    assert party_page.status_code == 200
    assert "Unwanted touching at the branch meeting of 3 March." in party_page.content.decode()


def test_a_reporter_with_an_account_outside_the_member_list_follows_her_case_after_a_reset(org):
    ally = get_user_model().objects.create_user(email="ally@example.org", password=None, name="Ally Outside")
    key = key_for(ally)
    report, _code, _unlocked = intake.report_start(reporter=ally, path=ReportPath.FORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=key, respondent=org["ray"].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    case = cb.noticed(org, cb.seated(org, cb.opened(org, report)), reporter_key=key)
    party = case.parties.get(role="reporter")
    assert (party.person, party.keypair) == (None, key.keypair)  # known by her account's key, not as a member

    fresh = reset_and_restore(org, ally)
    page = signed_in(ally, fresh)
    assert case.reference in page.get("/cases/mine/").content.decode()
    assert (
        "Unwanted touching at the branch meeting of 3 March."
        in page.get(f"/cases/mine/{case.reference}/").content.decode()
    )
    added = page.post(
        f"/cases/mine/{case.reference}/",
        {
            "step": "party_document",
            "document-kind": "statement",
            "document-title": "More",
            "document-text": "After it.",
        },
    )
    assert added.status_code == 302, added.content.decode()
    assert fresh.keypair in casefiles.party_keys(case, "reporter")
    assert key.keypair not in casefiles.party_keys(case, "reporter")


def test_a_reporter_who_reset_her_password_still_gets_the_handlers_messages(org):
    case = cb.noticed(org)
    report = case.reports.get()
    fresh = keys.person_key_create(user=org["rae"].user, password=NEW_PASSWORD)
    password_reset.send(sender=User, request=None, user=org["rae"].user)
    # Before the trustees approve, a handler writes to her: sealed to the key she signs in with now.
    dana = org["dana"]
    intake.message_send(report=report, text="We will call you on Monday.", key=dana.key, by=dana.user)
    thread = intake.messages_open(report=report, key=fresh, actor=intake.REPORTER, capacity="reporter")
    assert [m.text for m in thread] == ["We will call you on Monday."]
    # And she writes back with it.
    intake.message_send(report=report, text="Monday is fine.", key=fresh, by=org["rae"].user)
    assert report.messages.filter(side="reporter").count() == 1


def test_only_the_reporters_own_current_key_writes_to_her_report(org):
    report = recorded_privately(org)
    old = org["rae"].key
    fresh = reset_and_restore(org, org["rae"].user)
    assert case_policy.is_reporters_keypair(report, fresh.keypair)
    assert queries.reporters_key(report) == fresh.keypair
    for other in (org["ray"].key, org["dana"].key):
        assert not case_policy.is_reporters_keypair(report, other.keypair)
        with pytest.raises(NotAllowed):
            intake.report_save(report=report, content=PRIVATE, key=other)
    intake.report_save(report=report, content=PRIVATE, key=fresh)
    # The old key is retired: nothing new is sealed to it.
    version = documents.latest(report.content)
    assert not version.wrapped_keys.filter(keypair=old.keypair).exists()
    assert report.status == ReportStatus.RECORDED


def test_a_reporter_without_an_account_still_opens_her_report_with_her_receipt_code(org):
    report, _code, key = intake.report_start(reporter=AnonymousUser(), path=ReportPath.RECORD_ONLY)
    assert key is not None
    intake.report_save(report=report, content=PRIVATE, key=key)
    assert queries.reporters_key(report) == key.keypair
    assert case_policy.is_reporters_keypair(report, key.keypair)
    assert not case_policy.is_reporters_keypair(report, org["rae"].key.keypair)
