"""Whoever manages people (a site administrator: "org.manage_people") changes the email address on a person's record,
on a page of its own: checked, never shared with another person, on the ledger without the address."""

import json
from html import unescape

import pytest

from rankfile.ledger.models import Entry
from rankfile.org.models import Person
from tests.org.builders import enrolled

pytestmark = pytest.mark.django_db

CHANGED = "org.person_email_changed"


@pytest.fixture
def ana() -> Person:
    return enrolled("Ana Abara", email="ana@example.org")


def url(person: Person) -> str:
    return f"/org/people/{person.pk}/email/"


def test_a_site_admin_changes_the_address_on_a_record_and_it_is_ledgered_without_it(client, admin, ana):
    client.force_login(admin)
    assert f'href="{url(ana)}"' in client.get(f"/org/people/{ana.pk}/").content.decode()
    page = unescape(client.get(url(ana)).content.decode())
    assert "The address on Ana Abara's record is ana@example.org." in page
    response = client.post(url(ana), {"email": " Ana.New@Example.org "}, follow=True)
    assert "The email address on Ana Abara's record was changed." in unescape(response.content.decode())
    ana.refresh_from_db()
    assert ana.email == "ana.new@example.org"
    entry = Entry.objects.get(action=CHANGED)
    assert json.loads(entry.data) == {"person": ana.pk, "emptied": False}
    assert "example.org" not in entry.data
    client.post(url(ana), {"email": ""})
    ana.refresh_from_db()
    assert ana.email == ""
    assert [json.loads(e.data)["emptied"] for e in Entry.objects.filter(action=CHANGED).order_by("seq")] == [
        False,
        True,
    ]


def test_an_address_that_is_not_one_or_is_another_persons_is_refused_with_what_to_fix(client, admin, ana):
    enrolled("Ben Bakker", email="ben@example.org")
    client.force_login(admin)
    bad = client.post(url(ana), {"email": "not an address"})
    assert bad.status_code == 200
    assert "Enter an email address such as name@example.org, or leave it empty." in bad.content.decode()
    taken = client.post(url(ana), {"email": "BEN@example.org"}).content.decode()
    assert (
        "ben@example.org is the address on Ben Bakker&#x27;s record: each person&#x27;s address is their own." in taken
    )
    ana.refresh_from_db()
    assert ana.email == "ana@example.org"
    assert not Entry.objects.filter(action=CHANGED).exists()


def test_nobody_but_whoever_manages_people_finds_the_page(client, member, ana):
    client.force_login(member)
    assert client.get(url(ana)).status_code == 404
    assert client.post(url(ana), {"email": "x@example.org"}).status_code == 404
    ana.refresh_from_db()
    assert ana.email == "ana@example.org"


def test_a_changed_address_is_flagged_for_the_oversight_body(client, admin, ana):
    """The address on a record is where an invitation naming the person goes: its change is among the entries the
    oversight body watches."""
    from rankfile.ledger import queries

    client.force_login(admin)
    client.post(url(ana), {"email": "ana.elsewhere@example.org"})
    entry = Entry.objects.get(action=CHANGED)
    assert entry in queries.flagged_entries(user=admin)
