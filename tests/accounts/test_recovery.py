"""Recovery by trustees: setting up the recovery key, restoring access after a password reset, handing material to
new readers; the rules of who may do each, what the ledger holds, who is told, the pages and the command line."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from allauth.account.signals import password_reset
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rankfile.accounts import recovery, recovery_queries
from rankfile.accounts.models import User
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger import schema
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org.models import Body
from rankfile.vault import documents, keys, sessions
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Keypair, Recovery, RecoveryKey, RecoveryShare, Version
from tests.org.builders import body, enrolled
from tests.personas import PASSWORD, make_person
from tests.vault.helpers import LedgeredRead, key_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new passphrase after the reset 7"
RECOVERY_ACTIONS = (
    "accounts.recovery_key_created",
    "accounts.access_restore_requested",
    "accounts.hand_over_requested",
    "accounts.recovery_approved",
    "accounts.access_restored",
    "accounts.material_handed_over",
    "accounts.recovery_cancelled",
)


# --- the organization: an oversight body the bylaws name, and trustees seated on it ---------------------------------


@pytest.fixture
def commission() -> Body:
    oversight_body = body("oversight-commission", kind="oversight")
    document = bylaws.defaults()
    document["roles"]["oversight"] = oversight_body.slug
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2020, 1, 1), adopted_by_vote="Convention 2019", by=OPERATOR
    )
    return oversight_body


def seat(user: User, on: Body, *, until: date | None = None) -> None:
    person = enrolled(user.name, user=user)
    taken = org_actions.person_seat(person=person, body=on, basis="elected", starts_on=date(2020, 1, 1), by=OPERATOR)
    if until is not None:
        org_actions.seat_end(seat=taken, ends_on=until, reason="term_over", by=OPERATOR)


def new_login(name: str) -> User:
    user = User.objects.create_user(email=f"{name.split()[0].lower()}@example.org", password=PASSWORD, name=name)
    key_for(user)
    return user


@pytest.fixture
def trustees(commission, oversight) -> list[tuple[User, UnlockedKey]]:
    """Four members of the oversight body, each with a key: Oona Oversight and three more."""
    people = [oversight, new_login("Tove Trustee"), new_login("Uri Trustee"), new_login("Vera Trustee")]
    for person in people:
        seat(person, commission)
    return [(person, key_for(person)) for person in people]


@pytest.fixture
def recovery_key(trustees, admin) -> RecoveryKey:
    return recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=3, by=admin)


def sealed_for(user: User, content: str = "what happened that evening") -> Version:
    with transaction.atomic():
        return documents.seal(kind="statement", content=content, readers=[key_for(user).keypair])


def reset_password(user: User) -> UnlockedKey:
    """What a reset by email does: a new key pair (the old one retired), then allauth's signal."""
    fresh = keys.person_key_create(user=user, password=NEW_PASSWORD)
    password_reset.send(sender=User, request=None, user=user)
    return fresh


def read(version: Version, key: UnlockedKey) -> str:
    with transaction.atomic():
        return documents.open_text(version, key=key, purpose=LedgeredRead())


def entries(action: str) -> list[Entry]:
    return list(Entry.objects.filter(action=action).order_by("seq"))


def data(entry: Entry) -> dict:
    return json.loads(entry.data)


# --- setup ----------------------------------------------------------------------------------------------------------


def test_setup_seals_one_share_to_each_trustee_and_never_stores_the_private_key_whole(trustees, admin):
    recovery_key = recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=3, by=admin)

    assert (recovery_key.threshold, recovery_key.share_count) == (3, 4)
    shares = RecoveryShare.objects.filter(recovery_key=recovery_key)
    assert {share.trustee_id for share in shares} == {key.keypair.pk for _, key in trustees}
    assert bytes(Keypair.objects.get(pk=recovery_key.keypair_id).wrapped_private) == b""
    [entry] = entries("accounts.recovery_key_created")
    assert (entry.actor_type, entry.actor_id) == ("accounts.user", admin.pk)  # an admin who is no person
    assert data(entry) == {"recovery_key": recovery_key.pk, "threshold": 3, "trustees": 4}
    assert schema.schema_for("accounts.recovery_key_created").checkpoint_after


def test_trustees_are_told_they_hold_a_share_only_once_the_setup_commits(
    trustees, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=3, by=admin)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user, _ in trustees)
    assert all("You hold a share of the recovery key" in m.subject for m in mail.outbox)
    assert all("/recovery/" in m.body and "3 trustees approve" in m.body for m in mail.outbox)


def test_setup_is_refused_for_anyone_but_a_site_admin(trustees, member, leader, oversight):
    for person in (member, leader, oversight):
        with pytest.raises(NotAllowed):
            recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=2, by=person)
    assert not RecoveryKey.objects.exists()


def test_setup_is_refused_for_trustees_off_the_oversight_body(trustees, admin, leader, panelist, commission):
    seat(leader, body("steering-committee"))
    seat(panelist, commission, until=timezone.localdate() - timedelta(days=1))
    key_for(leader)
    key_for(panelist)
    chosen = [trustees[0][0], trustees[1][0], leader, panelist]

    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_setup(trustees=chosen, threshold=2, by=admin)

    problems = [str(p) for p in refused.value.field_errors["trustees"]]
    assert any("Lee Leader does not sit on the body the bylaws name as the oversight body" in p for p in problems)
    assert any("Pat Panelist does not sit" in p for p in problems)
    assert not RecoveryKey.objects.exists()


def test_an_oversight_body_the_bylaws_do_not_name_gives_no_trustees(admin, oversight, panelist):
    unnamed = body("watch-committee", kind="oversight")
    seat(oversight, unnamed)
    seat(panelist, unnamed)
    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_setup(trustees=[oversight, panelist], threshold=2, by=admin)
    assert len(refused.value.field_errors["trustees"]) == 2


@pytest.mark.parametrize("threshold", [0, 1, 5])
def test_setup_is_refused_for_a_threshold_out_of_range(trustees, admin, threshold):
    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=threshold, by=admin)
    assert refused.value.field_errors == {
        "threshold": ["Choose how many trustees must agree: a number from 2 to 4 (the number of trustees)."]
    }


def test_setup_is_refused_for_fewer_than_two_trustees_or_one_chosen_twice(trustees, admin):
    oona = trustees[0][0]
    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_setup(trustees=[oona], threshold=2, by=admin)
    assert "Choose at least 2 trustees." in refused.value.field_errors["trustees"]
    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_setup(trustees=[oona, oona], threshold=2, by=admin)
    assert "Each trustee can be chosen once." in refused.value.field_errors["trustees"]


def test_a_trustee_without_a_key_yet_is_refused_with_the_reason(trustees, admin):
    keyless = trustees[3][0]
    Keypair.objects.filter(user=keyless).update(retired_at=timezone.now())
    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=2, by=admin)
    assert refused.value.field_errors["trustees"] == [
        "Vera Trustee has no key yet: they need to sign in once before they can hold a share."
    ]


def test_a_second_setup_is_refused_while_a_key_exists(recovery_key, trustees, admin):
    with pytest.raises(Conflict) as refused:
        recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=2, by=admin)
    assert refused.value.code == "recovery_key_exists"
    assert RecoveryKey.objects.count() == 1


# --- restoring access after a password reset -------------------------------------------------------------------------


def test_a_password_reset_asks_the_trustees_and_tells_them_and_the_person_on_commit(
    recovery_key, trustees, member, django_capture_on_commit_callbacks
):
    version = sealed_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = reset_password(member)

    [asked] = Recovery.objects.all()
    assert asked.purpose == "restore_access"
    assert list(asked.targets.all()) == [fresh.keypair]
    assert list(asked.versions.all()) == [version]
    [entry] = entries("accounts.access_restore_requested")
    assert (entry.actor_type, entry.actor_id, entry.subject_id) == ("accounts.user", member.pk, asked.pk)
    assert data(entry) == {"recovery_key": recovery_key.pk, "user": member.pk, "versions": 1, "unrecoverable": 0}
    to_trustees = [m for m in mail.outbox if "waits for your approval" in m.subject]
    assert sorted(m.to[0] for m in to_trustees) == sorted(user.email for user, _ in trustees)
    assert all("what happened" not in m.body and member.name not in m.body for m in to_trustees)
    [to_person] = [m for m in mail.outbox if m.to == [member.email]]
    assert "Once 3 of them approve, you can read it again" in to_person.body


def test_a_trustee_who_left_the_oversight_body_is_not_asked(
    recovery_key, trustees, member, django_capture_on_commit_callbacks
):
    gone = trustees[3][0]
    org_actions.seat_end(seat=gone.person.seats.get(), ends_on=timezone.localdate(), reason="resigned", by=OPERATOR)
    sealed_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        reset_password(member)
    asked = {m.to[0] for m in mail.outbox if "waits for your approval" in m.subject}
    assert asked == {user.email for user, _ in trustees[:3]}


def test_recovery_with_t_minus_1_approvals_restores_nothing_and_with_t_succeeds(
    recovery_key, trustees, member, django_capture_on_commit_callbacks
):
    version = sealed_for(member, "the statement in full")
    fresh = reset_password(member)
    asked = Recovery.objects.get()

    for user, key in trustees[:2]:
        assert recovery.recovery_approve_as_trustee(recovery=asked, by=user, key=key) is False
    with pytest.raises(NotAllowed):
        read(version, fresh)
    asked.refresh_from_db()
    assert asked.completed_at is None
    assert entries("accounts.access_restored") == []

    user, key = trustees[2]
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.recovery_approve_as_trustee(recovery=asked, by=user, key=key) is True

    assert read(version, fresh) == "the statement in full"
    approvals = entries("accounts.recovery_approved")
    assert [data(e) for e in approvals] == [{"approvals": n, "threshold": 3} for n in (1, 2, 3)]
    assert [(e.actor_type, e.actor_id) for e in approvals] == [("org.person", u.person.pk) for u, _ in trustees[:3]]
    [restored] = entries("accounts.access_restored")
    assert data(restored) == {"user": member.pk, "versions": 1}
    flagged = schema.flagged_actions()
    assert {"accounts.recovery_approved", "accounts.access_restored"} <= set(flagged)
    [told] = [m for m in mail.outbox if "Your access is restored" in m.subject]
    assert told.to == [member.email]
    assert "the statement" not in told.body


def test_an_approval_by_someone_who_is_not_a_trustee_is_refused(recovery_key, trustees, member, leader, admin):
    sealed_for(member)
    reset_password(member)
    asked = Recovery.objects.get()
    for outsider in (leader, admin):
        with pytest.raises(NotAllowed):
            recovery.recovery_approve_as_trustee(recovery=asked, by=outsider, key=key_for(outsider))
    assert not asked.approvals.exists()
    assert entries("accounts.recovery_approved") == []


def test_a_trustee_who_left_the_oversight_body_can_no_longer_approve(recovery_key, trustees, member):
    sealed_for(member)
    reset_password(member)
    user, key = trustees[1]
    seat_now = user.person.seats.get()
    org_actions.seat_end(seat=seat_now, ends_on=timezone.localdate(), reason="resigned", by=OPERATOR)
    with pytest.raises(NotAllowed):
        recovery.recovery_approve_as_trustee(recovery=Recovery.objects.get(), by=user, key=key)


def test_nobody_approves_a_recovery_for_themselves(recovery_key, trustees, admin):
    gone = new_login("Gil Gone")
    version = sealed_for(gone)
    oona, oona_key = trustees[0]
    asked = recovery.hand_over_request(versions=[version], targets=[oona_key.keypair], by=admin)
    with pytest.raises(InvalidInput) as refused:
        recovery.recovery_approve_as_trustee(recovery=asked, by=oona, key=oona_key)
    assert refused.value.code == "own_recovery"
    assert not asked.approvals.exists()


def test_a_trustee_approves_once_and_only_with_their_own_key(recovery_key, trustees, member):
    sealed_for(member)
    reset_password(member)
    asked = Recovery.objects.get()
    (first, first_key), (second, _) = trustees[:2]
    with pytest.raises(NotAllowed):
        recovery.recovery_approve_as_trustee(recovery=asked, by=second, key=first_key)
    recovery.recovery_approve_as_trustee(recovery=asked, by=first, key=first_key)
    with pytest.raises(Conflict) as refused:
        recovery.recovery_approve_as_trustee(recovery=asked, by=first, key=first_key)
    assert refused.value.code == "already_approved"
    assert asked.approvals.count() == 1


def test_a_second_reset_replaces_the_open_restoration_and_the_newest_key_gets_the_material(
    recovery_key, trustees, member
):
    version = sealed_for(member, "first statement")
    reset_password(member)
    first = Recovery.objects.get()
    user, key = trustees[0]
    recovery.recovery_approve_as_trustee(recovery=first, by=user, key=key)
    newest = reset_password(member)

    first.refresh_from_db()
    assert first.cancelled_at is not None
    [cancelled] = entries("accounts.recovery_cancelled")
    assert (cancelled.subject_id, data(cancelled)) == (first.pk, {"reason": "superseded"})
    second = Recovery.objects.exclude(pk=first.pk).get()
    assert list(second.targets.all()) == [newest.keypair]
    for user, key in trustees[1:]:
        recovery.recovery_approve_as_trustee(recovery=second, by=user, key=key)
    assert read(version, newest) == "first statement"


def test_asking_again_keeps_the_request_that_already_waits(recovery_key, trustees, member):
    sealed_for(member)
    reset_password(member)
    waiting = Recovery.objects.get()
    oona = trustees[0][0]
    assert recovery.access_restore_request(user=member, by=oona) == waiting
    assert recovery.access_restore_request(user=member, by=member) == waiting
    assert len(entries("accounts.access_restore_requested")) == 1


def test_only_the_person_or_a_trustee_may_ask_for_a_restoration(recovery_key, trustees, member, leader):
    sealed_for(member)
    with pytest.raises(NotAllowed):
        recovery.access_restore_request(user=member, by=leader)


def test_without_a_recovery_key_a_reset_records_nothing_and_tells_nobody(
    trustees, member, django_capture_on_commit_callbacks
):
    sealed_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        reset_password(member)
    assert not Recovery.objects.exists()
    assert entries("accounts.access_restore_requested") == []
    assert mail.outbox == []


def test_material_sealed_before_the_recovery_key_existed_is_counted_as_unrecoverable(trustees, admin, member):
    older = sealed_for(member, "before")
    recovery.recovery_setup(trustees=[user for user, _ in trustees], threshold=2, by=admin)
    newer = sealed_for(member, "after")
    fresh = reset_password(member)

    asked = Recovery.objects.get()
    assert list(asked.versions.all()) == [newer]
    assert data(entries("accounts.access_restore_requested")[0])["unrecoverable"] == 1
    for user, key in trustees[:2]:
        recovery.recovery_approve_as_trustee(recovery=asked, by=user, key=key)
    assert read(newer, fresh) == "after"
    with pytest.raises(NotAllowed):
        read(older, fresh)


def test_a_person_with_nothing_to_restore_gets_no_request(recovery_key, member):
    key_for(member)
    reset_password(member)
    assert not Recovery.objects.exists()


# --- handing material over when every reader is gone ------------------------------------------------------------------


def test_hand_over_gives_new_readers_the_material_once_t_trustees_approve(recovery_key, trustees, admin, panelist):
    gone = new_login("Gil Gone")
    version = sealed_for(gone, "the panel's notes")
    newcomer = key_for(panelist)

    asked = recovery.hand_over_request(versions=[version], targets=[newcomer.keypair], by=admin)

    [requested] = entries("accounts.hand_over_requested")
    assert data(requested) == {"recovery_key": recovery_key.pk, "versions": 1, "readers": 1}
    for user, key in trustees[:2]:
        recovery.recovery_approve_as_trustee(recovery=asked, by=user, key=key)
    with pytest.raises(NotAllowed):
        read(version, newcomer)
    user, key = trustees[2]
    assert recovery.recovery_approve_as_trustee(recovery=asked, by=user, key=key) is True
    assert read(version, newcomer) == "the panel's notes"
    [handed] = entries("accounts.material_handed_over")
    assert data(handed) == {"versions": 1, "readers": 1}
    assert "accounts.material_handed_over" in schema.flagged_actions()


def test_the_oversight_body_may_ask_for_a_hand_over_and_a_member_may_not(recovery_key, trustees, member, panelist):
    version = sealed_for(new_login("Gil Gone"))
    target = key_for(panelist).keypair
    with pytest.raises(NotAllowed):
        recovery.hand_over_request(versions=[version], targets=[target], by=member)
    recovery.hand_over_request(versions=[version], targets=[target], by=trustees[0][0])


def test_hand_over_without_a_recovery_key_is_refused_with_the_reason(trustees, admin, panelist):
    version = sealed_for(new_login("Gil Gone"))
    with pytest.raises(Conflict) as refused:
        recovery.hand_over_request(versions=[version], targets=[key_for(panelist).keypair], by=admin)
    assert refused.value.code == "no_recovery_key"


def test_recovery_ledger_entries_hold_no_names_or_emails(recovery_key, trustees, member, admin, panelist):
    sealed_for(member)
    reset_password(member)
    for user, key in trustees[:3]:
        recovery.recovery_approve_as_trustee(recovery=Recovery.objects.get(), by=user, key=key)
    version = sealed_for(new_login("Gil Gone"))
    recovery.hand_over_request(versions=[version], targets=[key_for(panelist).keypair], by=admin)

    recorded = Entry.objects.filter(action__in=RECOVERY_ACTIONS)
    expected = set(RECOVERY_ACTIONS) - {"accounts.recovery_cancelled", "accounts.material_handed_over"}
    assert {e.action for e in recorded} == expected
    people = [*(user for user, _ in trustees), member, admin, panelist]
    for entry in recorded:
        for person in people:
            assert person.email not in entry.data
            assert person.name not in entry.data


# --- the command line ---------------------------------------------------------------------------------------------


def test_cli_sets_up_the_key_as_the_operator_and_shows_its_status(trustees, member):
    out = StringIO()
    call_command(
        "recovery",
        "setup",
        "--trustee",
        trustees[0][0].email.upper(),
        "--trustee",
        trustees[1][0].email,
        "--trustee",
        trustees[2][0].email,
        "--threshold",
        "2",
        stdout=out,
    )
    assert "any 2 of its 3 trustees can use it together" in out.getvalue()
    [entry] = entries("accounts.recovery_key_created")
    assert entry.actor_type == "operator"

    sealed_for(member)
    reset_password(member)
    out = StringIO()
    call_command("recovery", "status", stdout=out)
    status = out.getvalue()
    assert "any 2 of 3 trustees together" in status
    assert f"Oona Oversight <{trustees[0][0].email}>: share usable; on the oversight body" in status
    assert "1 request(s) wait for approval" in status
    assert "restore the access of Mo Member" in status
    assert "0 of 2 approvals" in status


def test_cli_refuses_unknown_people_and_a_threshold_out_of_range(trustees):
    with pytest.raises(CommandError, match=r"No account has the email address nobody@example\.org"):
        call_command("recovery", "setup", "--trustee", "nobody@example.org", "--threshold", "2")
    with pytest.raises(CommandError, match="a number from 2 to 2"):
        call_command(
            "recovery",
            "setup",
            "--trustee",
            trustees[0][0].email,
            "--trustee",
            trustees[1][0].email,
            "--threshold",
            "3",
        )
    assert not RecoveryKey.objects.exists()


def test_cli_status_without_a_key_says_how_to_set_one_up():
    out = StringIO()
    call_command("recovery", "status", stdout=out)
    assert "No recovery key yet" in out.getvalue()


# --- the pages ----------------------------------------------------------------------------------------------------


def with_second_factor(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


def signed_in(user: User, key: UnlockedKey | None = None) -> Client:
    """A client signed in as ``user``; with ``key`` unlocked in its session, as signing in with the password does."""
    client = Client()
    client.force_login(user)
    if key is not None:
        request = RequestFactory().get("/")
        request.session = client.session
        response = HttpResponse()
        sessions.session_unlock(request, response, key)
        request.session.save()
        client.cookies[settings.VAULT_COOKIE_NAME] = response.cookies[settings.VAULT_COOKIE_NAME].value
    return client


def test_invariant_11_setup_page_is_not_found_for_people_without_access(trustees, member, leader):
    for person in (member, leader, with_second_factor(trustees[0][0])):
        response = signed_in(person).get("/recovery/setup/")
        assert response.status_code == 404
        assert "Not found" in response.content.decode()
        response = signed_in(person).post("/recovery/setup/", {"trustees": [trustees[0][0].pk], "threshold": 2})
        assert response.status_code == 404
    assert not RecoveryKey.objects.exists()


def test_invariant_11_trustee_pages_are_not_found_for_people_who_are_not_trustees(
    recovery_key, trustees, member, admin, leader
):
    sealed_for(member)
    reset_password(member)
    asked = Recovery.objects.get()
    for person in (member, admin, leader):
        client = signed_in(person)
        assert client.get("/recovery/").status_code == 404
        assert client.post("/recovery/", {"email": member.email}).status_code == 404
        assert client.get(f"/recovery/{asked.pk}/approve/").status_code == 404
        assert client.post(f"/recovery/{asked.pk}/approve/").status_code == 404
    oona, key = trustees[0]
    assert signed_in(with_second_factor(oona), key).post("/recovery/999999/approve/").status_code == 404
    assert not asked.approvals.exists()


def test_site_admin_chooses_trustees_among_the_eligible_on_the_setup_page(trustees, admin, leader):
    seat(leader, body("steering-committee"))
    client = signed_in(admin)
    page = client.get("/recovery/setup/")
    body_text = page.content.decode()
    assert page.status_code == 200
    assert "Nobody holds the whole key" in body_text
    for user, _ in trustees:
        assert user.name in body_text
    assert "Lee Leader" not in body_text

    refused = client.post("/recovery/setup/", {"trustees": [u.pk for u, _ in trustees], "threshold": 9})
    assert refused.status_code == 200
    assert "a number from 2 to 4" in refused.content.decode()

    done = client.post("/recovery/setup/", {"trustees": [u.pk for u, _ in trustees[:3]], "threshold": 2}, follow=True)
    assert "any 2 of its 3 trustees can use it together" in done.content.decode()
    assert RecoveryKey.objects.get().share_count == 3
    assert "Set up on" in done.content.decode()


def test_trustee_approves_on_the_trustee_page_with_the_key_unlocked_in_their_session(recovery_key, trustees, member):
    sealed_for(member, "nothing of this on the page")
    reset_password(member)
    asked = Recovery.objects.get()
    oona, key = trustees[0]
    client = signed_in(with_second_factor(oona), key)

    page = client.get("/recovery/").content.decode()
    assert "Restore the access of Mo Member" in page
    assert "0 of 3" in page
    assert "nothing of this on the page" not in page
    assert f"/recovery/{asked.pk}/approve/" in page

    done = client.post(f"/recovery/{asked.pk}/approve/", follow=True).content.decode()
    assert "Your approval is recorded. 2 more trustees must approve." in done
    assert "You approved it." in done
    assert asked.approvals.count() == 1


def test_trustee_page_without_an_unlocked_key_says_sign_in_again(recovery_key, trustees, member):
    sealed_for(member)
    reset_password(member)
    asked = Recovery.objects.get()
    client = signed_in(with_second_factor(trustees[0][0]))

    page = client.get("/recovery/").content.decode()
    assert "Sign in again to use your share" in page
    assert f"/recovery/{asked.pk}/approve/" not in page
    refused = client.post(f"/recovery/{asked.pk}/approve/", follow=True).content.decode()
    assert "Sign in again to use your share" in refused
    assert not asked.approvals.exists()


def test_trustee_without_a_second_factor_is_asked_to_set_one_up(recovery_key, trustees):
    response = signed_in(trustees[0][0], trustees[0][1]).get("/recovery/")
    assert response.status_code == 403
    assert "Two-factor authentication is required" in response.content.decode()


def test_trustee_page_shows_a_request_about_themselves_without_an_approve_button(recovery_key, trustees, admin):
    oona, key = trustees[0]
    asked = recovery.hand_over_request(versions=[sealed_for(new_login("Gil Gone"))], targets=[key.keypair], by=admin)
    page = signed_in(with_second_factor(oona), key).get("/recovery/").content.decode()
    assert "It is about you: other trustees approve it." in page
    assert f"/recovery/{asked.pk}/approve/" not in page


def test_trustee_asks_again_for_someone_by_email(recovery_key, trustees, member):
    oona, key = trustees[0]
    client = signed_in(with_second_factor(oona), key)
    sealed_for(member)
    keys.person_key_create(user=member, password=NEW_PASSWORD)  # reset without the automatic request

    unknown = client.post("/recovery/", {"email": "nobody@example.org"}).content.decode()
    assert "No account has this email address." in unknown
    asked = client.post("/recovery/", {"email": member.email}, follow=True).content.decode()
    assert "The trustees are asked to restore the access of Mo Member." in asked
    again = client.post("/recovery/", {"email": member.email}, follow=True).content.decode()
    assert "A restoration for Mo Member already waits below." in again
    assert [(e.actor_type, e.actor_id) for e in entries("accounts.access_restore_requested")] == [
        ("org.person", oona.person.pk)
    ]


def test_trustees_find_the_page_from_the_menu_and_the_home_page(recovery_key, trustees, member, admin):
    sealed_for(member)
    reset_password(member)
    oona, key = trustees[0]
    home = signed_in(with_second_factor(oona), key).get("/").content.decode()
    assert 'href="/recovery/"' in home
    assert "Approve or refuse a recovery request" in home
    admin_home = signed_in(admin).get("/").content.decode()
    assert 'href="/recovery/setup/"' in admin_home
    assert 'href="/recovery/"' not in admin_home
    member_home = signed_in(member).get("/").content.decode()
    assert "/recovery/" not in member_home


def test_recovery_queries_list_only_eligible_people_with_keys(trustees, admin, commission):
    newcomer = make_person("panelist")
    seat(newcomer, commission)
    Keypair.objects.filter(user=newcomer).update(retired_at=timezone.now())
    candidates = {c.user.pk: c.has_key for c in recovery_queries.trustee_candidates(user=admin)}
    assert candidates == {**{user.pk: True for user, _ in trustees}, newcomer.pk: False}


def test_the_home_page_counts_the_requests_waiting_for_a_trustee_as_their_page_lists_them(
    recovery_key, trustees, member, admin
):
    """Counted by the database, not listed as on the trustees' page: neither approved by the trustee nor about
    them, in the same number of queries for one request as for three."""
    oona, key = trustees[0]
    client = signed_in(with_second_factor(oona), key)
    sealed_for(member)
    reset_password(member)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        home = client.get("/").content.decode()
    assert "Approve or refuse a recovery request" in home
    recovery.hand_over_request(versions=[sealed_for(new_login("Gil Gone"))], targets=[key.keypair], by=admin)
    for name in ("Hal Gone", "Ida Gone"):
        recovery.hand_over_request(versions=[sealed_for(new_login(name))], targets=[trustees[1][1].keypair], by=admin)
    with CaptureQueriesContext(connection) as three:
        home = client.get("/").content.decode()
    rows = recovery_queries.requests_for_trustee(user=oona)
    waiting = sum(1 for row in rows if not row.approved_by_viewer and not row.about_viewer)
    with CaptureQueriesContext(connection) as counting:
        assert recovery_queries.waiting_for(user=oona) == waiting == 3
    # Not the list of the trustees' page: who asked each (the ledger), its readers, its approvals.
    assert not [q for q in counting.captured_queries if "ledger_entry" in q["sql"]]
    assert "Approve or refuse 3 recovery requests" in home
    assert len(three) == len(one)
