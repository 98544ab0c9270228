import hashlib
import json

import pytest
from django.core import mail
from django.urls import reverse

from rankfile.accounts import actions
from rankfile.accounts.models import Invitation
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)


def test_site_admin_invites_by_email_with_a_single_use_link(admin):
    issued = actions.invitation_create(email=" New.Person@Example.org ", name="Nia New", by=admin)

    assert issued.invitation.email == "new.person@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert issued.url in message.body
    assert "expires in 7 days" in message.body
    token = issued.url.rstrip("/").rsplit("/", 1)[-1]
    # Only a hash of the token is stored: a copy of the database yields no usable link.
    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in Invitation.objects.values_list().get())


def test_member_cannot_invite(member):
    with pytest.raises(NotAllowed):
        actions.invitation_create(email="someone@example.org", by=member)
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invitation_for_existing_account_is_refused_with_a_reason(admin, member):
    with pytest.raises(InvalidInput) as refused:
        actions.invitation_create(email="MEMBER@example.org", by=admin)
    assert refused.value.code == "account_exists"
    assert "already an account" in str(refused.value.message)


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "x" * 300 + "@example.org"])
def test_invalid_email_is_refused_and_nothing_is_sent(admin, email):
    with pytest.raises(InvalidInput) as refused:
        actions.invitation_create(email=email, by=admin)
    assert "email" in refused.value.field_errors
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_a_new_invitation_replaces_the_open_one(admin):
    first = actions.invitation_create(email="twice@example.org", by=admin)
    second = actions.invitation_create(email="twice@example.org", by=admin)
    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None
    assert second.invitation.revoked_at is None


def test_invitations_page_sends_and_lists(client, admin):
    client.force_login(admin)
    response = client.post(reverse("accounts:invitation_list"), {"email": "page@example.org", "name": ""})
    assert response.status_code == 200
    assert "Invitation sent to page@example.org" in response.content.decode()
    assert len(mail.outbox) == 1
    page = client.get(reverse("accounts:invitation_list")).content.decode()
    assert "page@example.org" in page
    assert "open until" in page


def test_a_site_admin_invites_another_site_admin_on_the_page_as_the_command_does(client, admin):
    client.force_login(admin)
    url = reverse("accounts:invitation_list")
    client.post(url, {"email": "co-admin@example.org", "name": "Cora", "site_admin": "on"})
    client.post(url, {"email": "plain@example.org", "name": "Pat"})
    made = dict(Invitation.objects.values_list("email", "makes_site_admin"))
    assert made == {"co-admin@example.org": True, "plain@example.org": False}
    created = Entry.objects.filter(action="accounts.invitation_created").order_by("seq")
    assert [json.loads(entry.data)["site_admin"] for entry in created] == [True, False]
    assert "co-admin@example.org · site administrator" in client.get(url).content.decode()


def test_invitations_page_shows_what_to_fix(client, admin, member):
    client.force_login(admin)
    response = client.post(reverse("accounts:invitation_list"), {"email": member.email})
    assert response.status_code == 200
    assert "There is already an account for this email address" in response.content.decode()
    response = client.post(reverse("accounts:invitation_list"), {"email": "nope"})
    assert "Enter a valid email address" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_invitations_page_is_not_found_for_a_member(client, member):
    client.force_login(member)
    response = client.get(reverse("accounts:invitation_list"))
    assert response.status_code == 404


def test_site_admin_withdraws_an_invitation(client, admin):
    issued = actions.invitation_create(email="gone@example.org", by=admin)
    client.force_login(admin)
    response = client.post(reverse("accounts:invitation_revoke", args=[issued.invitation.pk]), follow=True)
    assert "was withdrawn" in response.content.decode()
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is not None


def test_invite_command_prints_the_link_and_sends_it(capsys):
    from django.core.management import call_command

    call_command("invite", "cli@example.org", "--name", "Cli Person", "--site-admin")
    out = capsys.readouterr().out
    assert "Invitation sent to cli@example.org" in out
    assert "/invite/" in out
    invitation = Invitation.objects.get(email="cli@example.org")
    assert invitation.makes_site_admin is True
    assert invitation.invited_by is None
    assert len(mail.outbox) == 1


def test_invite_command_says_what_is_wrong(member):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="already an account"):
        call_command("invite", member.email)


def test_invitations_page_shows_the_link_only_where_no_email_is_sent(client, admin, settings):
    client.force_login(admin)
    settings.EMAIL_DELIVERED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    shown = client.post(reverse("accounts:invitation_list"), {"email": "shown@example.org"}).content.decode()
    assert "/invite/" in shown
    # Where the file backend writes the emails, the page says where they go rather than that none is sent.
    assert f"Emails are written to files in {settings.EMAIL_FILE_PATH}" in shown
    assert "does not send email," not in shown
    settings.EMAIL_DELIVERED = True
    hidden = client.post(reverse("accounts:invitation_list"), {"email": "hidden@example.org"}).content.decode()
    assert "Invitation sent to hidden@example.org" in hidden
    assert "/invite/" not in hidden


def test_address_already_attached_to_an_account_cannot_be_invited(admin, member):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="second@example.org", verified=True, primary=False)
    with pytest.raises(InvalidInput, match="already an account"):
        actions.invitation_create(email="Second@example.org", by=admin)
