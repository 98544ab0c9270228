"""Caucuses: formed by their founders' signatures, without anyone's permission; joined by their own rule; a space of
posts sealed for their members, which no rank opens; membership told to the members alone."""

import pytest
from django.test import Client

from rankfile import policy
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.voice import actions, queries
from rankfile.voice.models import JoinRule, MemberStatus
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import formed_caucus, site_admin

pytestmark = pytest.mark.django_db


def texts(caucus, who):
    return [text for _post, text in actions.caucus_space_open(caucus=caucus, by=who.user, key=who.key)]


def test_a_caucus_forms_when_the_bylaws_minimum_of_founders_have_signed():
    org = cb.full_organization()
    caucus = actions.caucus_propose(
        name="Tenants' caucus",
        purpose="Housing.",
        founding_statement="We organize tenants.",
        join_rule=JoinRule.OPEN,
        listed=False,
        founders=[org["dora"].person, org["sam"].person],
        by=org["rae"].user,
    )
    assert not caucus.formed  # the proposer alone has signed
    actions.founding_sign(caucus=caucus, by=org["dora"].user)
    caucus.refresh_from_db()
    assert not caucus.formed
    actions.founding_sign(caucus=caucus, by=org["sam"].user)
    caucus.refresh_from_db()
    assert caucus.formed
    assert set(caucus.members.values_list("status", flat=True)) == {MemberStatus.ACTIVE}
    assert Entry.objects.filter(action="voice.caucus_formed").count() == 1


def test_fewer_founders_than_the_bylaws_minimum_cannot_form_a_caucus():
    org = cb.full_organization()
    with pytest.raises(InvalidInput) as refused:
        actions.caucus_propose(
            name="Two of us",
            purpose="p",
            founding_statement="s",
            join_rule=JoinRule.OPEN,
            listed=False,
            founders=[org["dora"].person],
            by=org["rae"].user,
        )
    assert refused.value.code == "too_few_founders"


def test_someone_not_named_a_founder_cannot_sign():
    org = cb.full_organization()
    caucus = actions.caucus_propose(
        name="c",
        purpose="p",
        founding_statement="s",
        join_rule=JoinRule.OPEN,
        listed=False,
        founders=[org["dora"].person, org["sam"].person],
        by=org["rae"].user,
    )
    with pytest.raises(NotAllowed):
        actions.founding_sign(caucus=caucus, by=org["lee"].user)


def test_nobody_by_rank_finds_an_unlisted_caucus_or_its_members():
    org = cb.full_organization()
    admin = site_admin()
    caucus = formed_caucus(org)
    for outsider in (admin, org["lee"], org["olu"]):
        with pytest.raises(NotAllowed):
            queries.caucus_for(user=outsider.user, pk=caucus.pk)
        assert not policy.allows(outsider.user, "voice.see_roster", caucus)
        assert list(queries.caucus_roster(user=outsider.user, caucus=caucus)) == []
        with pytest.raises(NotAllowed):
            actions.caucus_space_open(caucus=caucus, by=outsider.user, key=outsider.key)
        with pytest.raises(NotAllowed):
            actions.caucus_post(caucus=caucus, text="let me in", by=outsider.user, key=outsider.key)
    assert queries.caucus_for(user=org["dora"].user, pk=caucus.pk) == caucus


def test_an_unlisted_caucus_page_looks_missing_to_the_site_administrator():
    org = cb.full_organization()
    admin = site_admin()
    caucus = formed_caucus(org)
    client = signed_in(admin.user, admin.key)
    real, made_up = client.get(f"/voice/caucuses/{caucus.pk}/"), client.get("/voice/caucuses/987654/")
    assert real.status_code == made_up.status_code == 404
    assert client.post(f"/voice/caucuses/{caucus.pk}/", {"text": "x"}).status_code == 404
    member = signed_in(org["dora"].user, org["dora"].key)
    page = member.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    assert "Rae Reporter" in page
    assert "Sam Support" in page


def test_a_listed_caucus_shows_its_name_and_purpose_but_not_who_belongs():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    lee = org["lee"]
    assert queries.caucus_for(user=lee.user, pk=caucus.pk) == caucus
    page = signed_in(lee.user, lee.key).get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    assert "Survivors" in page
    assert "Support for survivors" in page
    assert "Rae Reporter" not in page
    assert "Dora Discipline" not in page
    assert Client().get(f"/voice/caucuses/{caucus.pk}/").status_code == 302  # signed out: sign in first


def test_posts_are_sealed_for_the_members_and_a_newcomer_to_an_open_caucus_gets_them_at_the_next_post():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    rae, lee = org["rae"], org["lee"]
    actions.caucus_post(caucus=caucus, text="First meeting on Tuesday.", by=rae.user, key=rae.key)
    assert texts(caucus, org["sam"]) == ["First meeting on Tuesday."]
    actions.caucus_join(caucus=caucus, by=lee.user)
    assert texts(caucus, lee) == []  # the post was sealed before Lee joined
    actions.caucus_post(caucus=caucus, text="Welcome, Lee.", by=org["dora"].user, key=org["dora"].key)
    assert texts(caucus, lee) == ["Welcome, Lee.", "First meeting on Tuesday."]
    assert Entry.objects.filter(action="voice.caucus_space_read").exists()


def test_a_convener_lets_in_a_member_who_asked_and_gives_them_the_posts():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True, join_rule=JoinRule.APPROVAL)
    rae, lee = org["rae"], org["lee"]
    actions.caucus_post(caucus=caucus, text="Our agenda.", by=rae.user, key=rae.key)
    asked = actions.caucus_join(caucus=caucus, by=lee.user)
    assert asked.status == MemberStatus.ASKED
    with pytest.raises(NotAllowed):
        actions.caucus_space_open(caucus=caucus, by=lee.user, key=lee.key)
    with pytest.raises(NotAllowed):  # one who asked lets nobody in
        actions.join_approve(member=asked, by=lee.user, key=lee.key)
    actions.join_approve(member=asked, by=rae.user, key=rae.key)
    assert texts(caucus, lee) == ["Our agenda."]
    with pytest.raises(Conflict):
        actions.join_approve(member=asked, by=rae.user, key=rae.key)


def test_leaving_takes_the_posts_back():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    sam = org["sam"]
    actions.caucus_post(caucus=caucus, text="Plans.", by=org["rae"].user, key=org["rae"].key)
    actions.caucus_leave(caucus=caucus, by=sam.user)
    with pytest.raises(NotAllowed):
        actions.caucus_space_open(caucus=caucus, by=sam.user, key=sam.key)
    post = caucus.posts.get()
    assert not post.document.versions.get().wrapped_keys.filter(keypair=sam.key.keypair).exists()


def test_the_ledger_names_nobody_as_a_member_of_a_caucus():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    actions.caucus_join(caucus=caucus, by=org["lee"].user)
    actions.caucus_post(caucus=caucus, text="Hello.", by=org["rae"].user, key=org["rae"].key)
    entries = Entry.objects.filter(action__startswith="voice.caucus") | Entry.objects.filter(
        action="voice.founding_signed"
    )
    assert entries.count() >= 6
    assert set(entries.values_list("actor_type", flat=True)) == {"system"}
    assert all("caucus" not in entry.data for entry in entries)
