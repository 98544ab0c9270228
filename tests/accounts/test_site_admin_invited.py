"""A site administrator making another (the Invitations page's "Make them a site administrator too", or `rankfile
invite --site-admin`) is flagged on the ledger and told to the oversight body at once, as every act it watches is."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from rankfile.ledger import queries as ledger_queries
from rankfile.ledger.models import Entry
from tests.cases.builders import member, seat
from tests.org.builders import body

pytestmark = pytest.mark.django_db

FLAGGED = "accounts.site_admin_invited"


@pytest.fixture
def olu():
    who = member("Olu Oversight")
    seat(who, body("oversight-commission", kind="oversight"))
    return who


def _told(mailoutbox: list, address: str) -> list:
    return [m for m in mailoutbox if m.to == [address] and "invited to be a site administrator" in m.subject]


def test_a_site_admin_making_another_on_the_page_is_flagged_and_told_to_oversight(
    client, admin, olu, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    url = reverse("accounts:invitation_list")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "co-admin@example.org", "name": "Cora Admin", "site_admin": "on"})
        client.post(url, {"email": "plain@example.org", "name": "Pat Plain"})
    [entry] = Entry.objects.filter(action=FLAGGED)
    assert entry.actor_id == admin.pk
    [told] = _told(mailoutbox, olu.user.email)
    assert "invited Cora Admin (co-admin@example.org) to be a site administrator too." in told.body
    assert "Pat" not in told.body
    # The oversight body finds it among the flagged entries, in words.
    assert [e.seq for e in ledger_queries.flagged_entries(user=olu.user)] == [entry.seq]
    client.force_login(olu.user)
    page = client.get("/ledger/").content.decode()
    assert "Someone was invited to be a site administrator" in page


def test_the_command_making_a_site_admin_is_flagged_and_told_to_oversight(
    olu, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", "cli@example.org", "--name", "Cli Person", "--site-admin", stdout=StringIO())
        call_command("invite", "plain@example.org", stdout=StringIO())
    [entry] = Entry.objects.filter(action=FLAGGED)
    assert entry.actor_type == "operator"
    assert json.loads(entry.data) == {"invitation": entry.subject_id}
    [told] = _told(mailoutbox, olu.user.email)
    assert "Whoever runs the installation invited Cli Person (cli@example.org)" in told.body
