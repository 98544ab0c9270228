"""Invitations to a caucus that is not listed: a convener invites a member by name, with a note sealed for them; the
member accepts or declines. Nobody else learns of it, and the email does not name the caucus."""

import pytest
from django.core import mail

from rankfile import policy
from rankfile.errors import Conflict, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.voice import actions, caucus_invitations
from rankfile.voice.models import MemberStatus
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import formed_caucus, site_admin

pytestmark = pytest.mark.django_db


def test_a_convener_invites_a_member_by_name_who_reads_the_note_and_accepts(django_capture_on_commit_callbacks):
    org = cb.full_organization()
    caucus = formed_caucus(org)  # not listed
    rae, lee = org["rae"], org["lee"]
    with django_capture_on_commit_callbacks(execute=True):
        invited = signed_in(rae.user, rae.key).post(
            f"/voice/caucuses/{caucus.pk}/invite/", {"person": lee.person.pk, "note": "We meet on Tuesdays."}
        )
    assert invited.status_code == 302
    [email] = [message for message in mail.outbox if lee.user.email in message.to]
    assert "Survivors" not in f"{email.subject} {email.body}"
    client = signed_in(lee.user, lee.key)
    assert "Answer an invitation to a caucus" in client.get("/").content.decode()  # waiting on their home page
    page = client.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    assert "We meet on Tuesdays." in page
    assert "Rae Reporter" not in page  # who belongs is told once they belong
    assert Entry.objects.filter(action="voice.caucus_invitation_read").count() == 1
    assert client.post(f"/voice/caucuses/{caucus.pk}/invitation/", {"answer": "accept"}).status_code == 302
    assert caucus.members.get(person=lee.person).status == MemberStatus.ACTIVE
    actions.caucus_post(caucus=caucus, text="Welcome, Lee.", by=rae.user, key=rae.key)
    assert "Welcome, Lee." in client.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    entries = Entry.objects.filter(action__startswith="voice.caucus_invit")
    assert set(entries.values_list("actor_type", flat=True)) == {"system"}


def test_an_invited_member_declines_and_can_be_invited_again():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    rae, lee = org["rae"], org["lee"]
    caucus_invitations.caucus_invite(caucus=caucus, person=lee.person, note="", by=rae.user)
    with pytest.raises(Conflict):
        caucus_invitations.caucus_invite(caucus=caucus, person=lee.person, note="", by=rae.user)
    caucus_invitations.caucus_invitation_decline(caucus=caucus, by=lee.user)
    assert not policy.allows(lee.user, "voice.see_caucus", caucus)
    caucus_invitations.caucus_invite(caucus=caucus, person=lee.person, note="Again?", by=rae.user)
    assert policy.allows(lee.user, "voice.answer_invitation", caucus)


def test_only_a_convener_invites_and_nobody_by_rank_learns_of_an_invitation():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    lee, olu = org["lee"], org["olu"]
    caucus_invitations.caucus_invite(caucus=caucus, person=lee.person, note="Secret note.", by=org["rae"].user)
    admin = site_admin()
    for outsider in (admin, olu):
        client = signed_in(outsider.user, outsider.key)
        real = client.post(f"/voice/caucuses/{caucus.pk}/invite/", {"person": olu.person.pk, "note": ""})
        made_up = client.post("/voice/caucuses/987654/invite/", {"person": olu.person.pk, "note": ""})
        assert real.status_code == made_up.status_code == 404
        assert client.post(f"/voice/caucuses/{caucus.pk}/invitation/", {"answer": "accept"}).status_code == 404
        with pytest.raises(NotAllowed):
            caucus_invitations.caucus_invitation_accept(caucus=caucus, by=outsider.user)
    with pytest.raises(NotAllowed):
        actions.caucus_join(caucus=caucus, by=olu.user)
    assert caucus.members.filter(person=olu.person).count() == 0
