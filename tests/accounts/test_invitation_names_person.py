"""An invitation names the person on the membership list it is for, and accepting it makes the account theirs: one
account per person, and an invitation sent to another address cannot take over a membership."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rankfile.accounts import actions
from rankfile.accounts.models import Invitation, User
from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org.models import Person

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "wild meadow lantern 1987"


@pytest.fixture
def pia() -> Person:
    return org_actions.person_create(name="Pia Eze", email="pia.eze@example.org", by=OPERATOR)


def accept(url: str) -> Client:
    client = Client()
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    response = client.post(f"/{path}", {"name": "", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code in (200, 302)
    return client


def test_an_invitation_naming_a_member_goes_to_their_address_and_links_their_account(admin, pia):
    issued = actions.invitation_create(email="", person=pia.pk, by=admin)
    assert issued.invitation.email == "pia.eze@example.org"
    assert issued.invitation.names_person == pia.pk

    client = accept(issued.url)

    pia.refresh_from_db()
    assert pia.user == User.objects.get(email="pia.eze@example.org")
    mine = client.get("/org/me/").content.decode()
    assert "not linked to a membership record" not in mine
    assert "Pia Eze" in mine
    linked = Entry.objects.get(action="org.account_linked")
    assert json.loads(linked.data) == {"account": pia.user_id, "by_invitation": True}


def test_an_invitation_naming_a_member_cannot_go_to_another_address(admin, pia):
    with pytest.raises(InvalidInput) as refused:
        actions.invitation_create(email="someone.else@example.org", person=pia.pk, by=admin)
    assert refused.value.code == "not_their_address"
    assert "pia.eze@example.org" in str(refused.value.field_errors["email"][0])
    assert not Invitation.objects.exists()


def test_a_member_with_an_account_cannot_be_named_again(admin, pia):
    accept(actions.invitation_create(email="", person=pia.pk, by=admin).url)
    with pytest.raises(InvalidInput) as refused:
        actions.invitation_create(email="", person=pia.pk, by=admin)
    assert refused.value.code == "not_invitable"


def test_an_invitation_without_a_name_links_nobody_even_at_the_same_address(admin, pia):
    issued = actions.invitation_create(email="pia.eze@example.org", by=admin)
    accept(issued.url)
    pia.refresh_from_db()
    assert pia.user is None  # a site administrator links it on purpose (the person's page), never the address alone


def test_accepting_is_refused_when_the_member_got_an_account_meanwhile(admin, pia):
    """The first link stands; the invitation can no longer make a second account for the same person."""
    issued = actions.invitation_create(email="", person=pia.pk, by=admin)
    other = actions.account_create(email="pia.eze@example.org", password=GOOD_PASSWORD)
    org_actions.person_account_link(person=pia, user=other, by=admin)
    before = User.objects.count()
    client = Client()
    path = issued.url.split("://", 1)[-1].split("/", 1)[-1]
    response = client.post(f"/{path}", {"name": "", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code in (200, 410)
    assert User.objects.count() == before
    pia.refresh_from_db()
    assert pia.user == other


def test_the_invitations_page_offers_members_without_an_account_and_fills_in_their_address(client, admin, pia):
    org_actions.person_create(name="Ola Noaddress", by=OPERATOR)
    client.force_login(admin)
    page = client.get(reverse("accounts:invitation_list"), {"person": pia.pk}).content.decode()
    assert f'<option value="{pia.pk}" selected>Pia Eze (pia.eze@example.org)</option>' in page
    assert "Ola Noaddress" not in page  # no address on record: nowhere to send it
    response = client.post(reverse("accounts:invitation_list"), {"person": pia.pk, "email": "", "name": ""})
    assert "Invitation sent to pia.eze@example.org" in response.content.decode()
    assert Invitation.objects.get().names_person == pia.pk


def test_a_site_admin_links_an_existing_account_at_the_address_on_record_and_it_is_ledgered(client, admin, pia):
    account = actions.account_create(email="Pia.Eze@example.org", password=GOOD_PASSWORD)
    client.force_login(admin)
    page = client.get(f"/org/people/{pia.pk}/").content.decode()
    assert f'href="/org/people/{pia.pk}/account/"' in page
    offer = client.get(f"/org/people/{pia.pk}/account/").content.decode()
    assert "pia.eze@example.org" in offer
    assert "Link this account" in offer
    response = client.post(f"/org/people/{pia.pk}/account/", follow=True)
    assert "account is now linked to their membership" in response.content.decode()
    pia.refresh_from_db()
    assert pia.user == account
    linked = Entry.objects.get(action="org.account_linked")
    assert (linked.actor_id, json.loads(linked.data)) == (admin.pk, {"account": account.pk, "by_invitation": False})


def test_no_account_at_another_address_can_be_linked_and_a_member_cannot_link_one(client, admin, member, pia):
    actions.account_create(email="pia.other@example.org", password=GOOD_PASSWORD)
    client.force_login(admin)
    offer = client.get(f"/org/people/{pia.pk}/account/").content.decode()
    assert "Link this account" not in offer
    assert f'href="/invitations/?person={pia.pk}"' in offer
    client.post(f"/org/people/{pia.pk}/account/")
    pia.refresh_from_db()
    assert pia.user is None
    client.force_login(member)
    assert client.post(f"/org/people/{pia.pk}/account/").status_code == 404
    with pytest.raises(InvalidInput):
        org_actions.person_account_link(person=pia, user=User.objects.get(email="pia.other@example.org"), by=admin)


def test_the_sent_invitations_name_the_member_in_one_query_and_stack_on_a_phone(client, admin, pia):
    actions.invitation_create(email="", person=pia.pk, by=admin)
    client.force_login(admin)
    client.get(reverse("accounts:invitation_list"))  # the session and the layout's answers settle
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("accounts:invitation_list"))
    for n in range(3):
        named = org_actions.person_create(name=f"Member {n}", email=f"m{n}@example.org", by=OPERATOR)
        actions.invitation_create(email="", person=named.pk, by=admin)
    actions.invitation_create(email="helper@example.org", by=admin)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("accounts:invitation_list")).content.decode()
    assert len(five.captured_queries) == len(one.captured_queries)
    assert '<table class="stack-table">' in page
    assert 'data-label="For">Pia Eze</td>' in page
    assert 'data-label="For">Member 2</td>' in page
    assert 'data-label="For">someone not on the membership list</td>' in page


def test_the_accept_page_says_whose_account_is_being_made(admin, pia, client):
    issued = actions.invitation_create(email="", person=pia.pk, by=admin)
    path = "/" + issued.url.split("://", 1)[-1].split("/", 1)[-1]
    page = client.get(path).content.decode()
    assert "You are accepting an invitation to join as <strong>Pia Eze</strong>" in page
    plain = actions.invitation_create(email="plain@example.org", by=admin)
    other = client.get("/" + plain.url.split("://", 1)[-1].split("/", 1)[-1]).content.decode()
    assert "You are accepting an invitation to join as" not in other


def test_the_invite_command_names_a_member_as_the_page_does(pia):
    out = StringIO()
    call_command("invite", "--member", "pia eze", stdout=out)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.names_person) == ("pia.eze@example.org", pia.pk)
    assert "Invitation sent to pia.eze@example.org, for Pia Eze." in out.getvalue()
    with pytest.raises(CommandError, match="Nobody on the membership list called 'Nemo'"):
        call_command("invite", "--member", "Nemo", stdout=StringIO())
    with pytest.raises(CommandError, match="Give the email address"):
        call_command("invite", stdout=StringIO())
