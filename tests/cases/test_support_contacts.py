"""The support card on every reporting page names the people the bylaws give as support contacts, with how to reach
them: under their caucus, under the support team, or on their own."""

from datetime import date

import pytest
from django.test import Client

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import queries as org_queries
from rankfile.org.models import BodyKind
from tests.cases.builders import organization

pytestmark = pytest.mark.django_db


def _with_contacts(contacts: list[dict[str, str]]) -> None:
    document = org_queries.bylaws_document(day=date.today())
    document["support_contacts"] = contacts
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2021, 1, 1), adopted_by_vote="Convention 2020, motion 4", by=OPERATOR
    )


def test_the_support_card_shows_each_caucus_with_its_contacts_and_how_to_reach_them():
    organization()
    org_actions.body_create(name="Women's Caucus", slug="womens-caucus", kind=BodyKind.CAUCUS, by=OPERATOR)
    org_actions.body_create(name="Queer Caucus", slug="queer-caucus", kind=BodyKind.CAUCUS, by=OPERATOR)
    _with_contacts(
        [
            {"name": "Ana Ruiz", "reach": "ana@example.org", "body": "womens-caucus"},
            {"name": "Sam Support", "reach": "Signal: 0700 111 222", "body": "support-team"},
            {"name": "Night line volunteer", "reach": "https://example.org/talk"},
        ]
    )
    page = Client().get("/report/").content.decode()
    assert 'Ana Ruiz: <a href="mailto:ana@example.org" rel="noopener noreferrer">ana@example.org</a>' in page
    assert "Sam Support: Signal: 0700 111 222" in page
    assert "Other people you can turn to:" in page
    assert 'Night line volunteer: <a href="https://example.org/talk" rel="noopener noreferrer">' in page
    # Ana is listed under her caucus; the caucus without a contact is still listed.
    assert 'Women&#x27;s Caucus<ul><li>Ana Ruiz: <a href="mailto:ana@example.org"' in page
    assert "Queer Caucus" in page


def test_without_contacts_in_the_bylaws_the_card_lists_the_caucuses_alone():
    organization()
    org_actions.body_create(name="Women's Caucus", slug="womens-caucus", kind=BodyKind.CAUCUS, by=OPERATOR)
    page = Client().get("/report/").content.decode()
    assert "Women&#x27;s Caucus" in page
    assert "Other people you can turn to:" not in page
    assert "mailto:" not in page


def test_on_the_receipt_page_a_contacts_web_page_opens_in_a_new_tab():
    organization()
    _with_contacts([{"name": "Night line volunteer", "reach": "https://example.org/talk"}])
    page = Client().post("/report/").content.decode()
    assert '<a href="https://example.org/talk" rel="noopener noreferrer" target="_blank">' in page
