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
    assert "Sam Support: Signal: 0700 111 222" in page  # not a number alone: shown as written
    assert "Other people you can turn to:" in page
    assert 'Night line volunteer: <a href="https://example.org/talk" rel="noopener noreferrer">' in page
    # Ana is listed under her caucus; the caucus without a contact says how to reach it all the same.
    assert 'Women&#x27;s Caucus<ul><li>Ana Ruiz: <a href="mailto:ana@example.org"' in page
    assert (
        "Queer Caucus: it has published no contact yet. The Support Team can put you in touch with it: send a report "
        "as “Support only” and say so."
    ) in page


def test_without_contacts_in_the_bylaws_a_caucus_is_reached_through_the_body_that_takes_support_only_reports():
    organization()
    org_actions.body_create(name="Women's Caucus", slug="womens-caucus", kind=BodyKind.CAUCUS, by=OPERATOR)
    document = org_queries.bylaws_document(day=date.today())
    document["roles"]["support_team"] = ""  # support only goes to the oversight body, which the card then names
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2021, 1, 1), adopted_by_vote="Convention 2020, motion 4", by=OPERATOR
    )
    page = Client().get("/report/").content.decode()
    assert "Women&#x27;s Caucus: it has published no contact yet. The Oversight Commission can put you in touch" in page
    assert "Other people you can turn to:" not in page
    assert "mailto:" not in page


def test_on_the_receipt_page_a_contacts_web_page_opens_in_a_new_tab():
    organization()
    _with_contacts([{"name": "Night line volunteer", "reach": "https://example.org/talk"}])
    page = Client().post("/report/").content.decode()
    assert '<a href="https://example.org/talk" rel="noopener noreferrer" target="_blank">' in page


def test_a_contact_reached_by_a_phone_number_is_a_link_to_call_it():
    organization()
    _with_contacts([{"name": "Night line", "reach": "+44 (0)20 7946 0000"}])
    page = Client().get("/report/").content.decode()
    assert 'Night line: <a href="tel:+442079460000" rel="noopener noreferrer">+44 (0)20 7946 0000</a>' in page
