"""Statement pages: a body's chair publishes through the form, citing the vote, and gives a new version on the
statement's page; public statements and apologies have a page and an Atom feed anyone reads signed out; a
members-only one is for signed-in members, and does not exist for anyone else."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from rankfile.ledger import actions as ledger
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org.models import MembershipStatus
from rankfile.voice import statement_queries
from rankfile.voice.models import Statement
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import formed_caucus
from tests.voice.statement_helpers import APOLOGY, apology, carried, steering_meeting

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_chair_publishes_an_apology_through_the_form_and_a_new_version_on_its_page():
    org = cb.full_organization()
    meeting = steering_meeting(org)
    first, second = carried(org, meeting), carried(org, meeting, "That the apology be fuller.")
    dale = signed_in(org["dale"].user)
    form = dale.get("/voice/statements/new/")
    assert form.status_code == 200
    assert "That the committee apologises to the members.”</option>" in form.content.decode()  # the vote, in words
    data = {
        "body": org.steering.pk,
        "kind": "apology",
        "visibility": "public",
        "title": "An apology to the members",
        "text": APOLOGY,
        "vote_reference": "SC-1999-01-01-M1",
    }
    refused = dale.post("/voice/statements/new/", data)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    answer = dale.post("/voice/statements/new/", {**data, "vote_reference": first})
    statement = Statement.objects.get()
    assert answer["Location"] == f"/voice/statements/{statement.reference}/"
    page = dale.get(answer["Location"]).content.decode()
    assert "An apology by the Steering Committee" in page
    assert "carrying the motion" in page  # a member reads which motion adopted it, linked to the meeting
    assert "Publish the new version" in page
    assert f'<option value="{first}"' not in page  # the vote that adopted version 1 adopts no other
    assert f'<option value="{second}"' in page
    revised = dale.post(answer["Location"], {"title": "A fuller apology", "text": "Fuller.", "vote_reference": second})
    assert revised.status_code == 302
    page = dale.get(answer["Location"]).content.decode()
    assert "A fuller apology" in page
    assert "Version 1 of" in page  # the earlier version stays readable
    assert APOLOGY in page


def test_before_any_vote_the_form_says_what_is_needed_and_links_to_recording_the_meeting():
    org = cb.full_organization()
    meeting = steering_meeting(org)  # Dale chairs the steering committee, which has voted on nothing yet
    dale = signed_in(org["dale"].user)
    page = dale.get("/voice/statements/new/").content.decode()
    assert "a statement needs the vote that adopted it" in page
    assert '<a href="/meetings/new/">record the meeting</a>' in page
    assert '<a href="/meetings/">Meetings</a>' in page
    assert 'name="vote_reference"' not in page  # no form to fill in that could only be refused
    carried(org, meeting)
    page = dale.get("/voice/statements/new/").content.decode()
    assert "a statement needs the vote that adopted it" not in page
    assert 'name="vote_reference"' in page


def test_a_member_reads_statements_but_publishes_none():
    org = cb.full_organization()
    statement = apology(org, carried(org, steering_meeting(org)), visibility="members")
    lee = signed_in(org["lee"].user)
    page = lee.get(f"/voice/statements/{statement.reference}/").content.decode()
    assert "For the members only." in page
    assert "Publish the new version" not in page
    assert lee.post(f"/voice/statements/{statement.reference}/", {"title": "Mine", "text": "No."}).status_code == 404
    assert lee.get("/voice/statements/new/").status_code == 404
    assert "Publish a statement a body adopted" not in lee.get("/voice/statements/").content.decode()


def test_the_public_apology_page_and_feed_are_read_signed_out_and_hold_no_members_only_statement():
    org = cb.full_organization()
    meeting = steering_meeting(org)
    public = apology(org, carried(org, meeting))
    members = apology(org, carried(org, meeting), visibility="members")
    Statement.objects.filter(pk=members.pk).update(title="Members only matter")
    anyone = Client()
    listing = anyone.get("/voice/public/statements/")
    assert listing.status_code == 200
    assert f"/voice/public/statements/{public.reference}/" in listing.content.decode()
    assert "Members only matter" not in listing.content.decode()
    page = anyone.get(f"/voice/public/statements/{public.reference}/").content.decode()
    assert APOLOGY in page
    assert "Adopted by a vote of the Steering Committee on" in page
    assert "carrying the motion" not in page  # the motion and its meeting are the members'
    hidden = anyone.get(f"/voice/public/statements/{members.reference}/")
    missing = anyone.get("/voice/public/statements/ST-1999-1/")
    assert hidden.status_code == missing.status_code == 404
    assert anyone.get(f"/voice/statements/{members.reference}/").status_code == 302  # to the sign-in page
    feed = anyone.get("/voice/public/statements/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")  # noqa: S314  (the feed this test server wrote)
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["An apology to the members"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/voice/public/statements/{public.reference}/")  # type: ignore[union-attr]


def test_a_former_member_reads_only_the_public_statements():
    org = cb.full_organization()
    meeting = steering_meeting(org)
    apology(org, carried(org, meeting))
    members = apology(org, carried(org, meeting), visibility="members")
    org_actions.membership_status_change(
        person=org["ray"].person,
        status=MembershipStatus.RESIGNED,
        effective_from=timezone.localdate(),
        reason_code="own_request",
        by=OPERATOR,
    )
    ray = signed_in(org["ray"].user)
    assert ray.get(f"/voice/statements/{members.reference}/").status_code == 404
    assert ray.get("/voice/statements/").content.decode().count("/voice/statements/ST-") == 1


def test_a_convener_publishes_the_caucuss_statement_from_the_caucus_page():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    rae = signed_in(org["rae"].user)
    assert "Publish a statement as the caucus" in rae.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    url = f"/voice/caucuses/{caucus.pk}/statements/new/"
    answer = rae.post(url, {"kind": "statement", "visibility": "public", "title": "We are here", "text": "Here."})
    statement = Statement.objects.get()
    assert answer["Location"] == f"/voice/statements/{statement.reference}/"
    page = Client().get(f"/voice/public/statements/{statement.reference}/").content.decode()
    assert "A statement by the Survivors&#x27; caucus" in page
    assert "Rae" not in page
    assert signed_in(org["lee"].user).get(url).status_code == 404  # not a convener


def test_the_ledger_names_a_statement_by_its_reference_linked_where_the_reader_may_read_it():
    org = cb.full_organization()
    meeting = steering_meeting(org)
    public = apology(org, carried(org, meeting))
    members = apology(org, carried(org, meeting), visibility="members")
    ledger.checkpoint_create()  # as committing would: the entries' proofs are public from here
    page = signed_in(org["olu"].user).get(f"/ledger/entries/{members.ledger_seq}/proof/").content.decode()  # oversight
    assert f'<a href="/voice/statements/{members.reference}/">statement {members.reference}</a>' in page
    named = statement_queries.statements_named(AnonymousUser(), {public.pk, members.pk})
    assert named[public.pk].url == f"/voice/public/statements/{public.reference}/"
    assert (named[members.pk].words, named[members.pk].url) == (f"statement {members.reference}", "")
