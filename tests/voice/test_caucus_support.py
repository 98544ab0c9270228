"""A survivors' caucus on the report pages' support card: its conveners list it; anyone, signed in or not, sees its
name there and writes to its conveners through a form, without learning who they are; only the conveners read it."""

import pytest
from django.test import Client

from rankfile.errors import NotAllowed
from rankfile.ledger.models import Entry
from rankfile.voice import actions, caucus_support
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import formed_caucus, site_admin

pytestmark = pytest.mark.django_db


def test_a_listed_caucus_is_on_the_support_card_by_name_and_anyone_writes_to_its_conveners():
    org = cb.full_organization()
    caucus = formed_caucus(org)  # not listed to the members: the card is its own choice
    rae = org["rae"]
    convener = signed_in(rae.user, rae.key)
    assert convener.post(f"/voice/caucuses/{caucus.pk}/support-card/", {"listed": "yes"}).status_code == 302
    card = Client().get("/report/").content.decode()
    listed = f'<li>Survivors&#x27; caucus: <a href="/voice/support/{caucus.pk}/">write to its conveners</a></li>'
    assert listed in card  # its name and the form; not who convenes it
    for name in ("Rae Reporter", "Dora Discipline"):
        assert name not in card
    visitor = Client()
    assert visitor.get(f"/voice/support/{caucus.pk}/").status_code == 200
    sent = visitor.post(f"/voice/support/{caucus.pk}/", {"text": "Can we talk?", "reply_to": "me@example.org"})
    assert sent.status_code == 200
    assert "Your message was sent." in sent.content.decode()
    assert caucus.messages.count() == 1
    page = convener.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    assert "Can we talk?" in page
    assert "me@example.org" in page
    assert Entry.objects.filter(action="voice.caucus_support_messages_read").count() == 1
    entries = Entry.objects.filter(action__startswith="voice.caucus_support")
    assert set(entries.values_list("actor_type", flat=True)) == {"system"}


def test_only_the_conveners_read_the_messages_and_list_the_caucus():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    caucus_support.caucus_support_card_set(caucus=caucus, listed=True, by=org["rae"].user)
    caucus_support.support_message_send(caucus=caucus, text="Hello from outside.", reply_to="")
    lee = org["lee"]
    actions.caucus_join(caucus=caucus, by=lee.user)  # a member, not a convener
    for reader in (lee, org["olu"], site_admin()):
        client = signed_in(reader.user, reader.key)
        assert "Hello from outside." not in client.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
        assert client.post(f"/voice/caucuses/{caucus.pk}/support-card/", {"listed": "no"}).status_code == 404
        with pytest.raises(NotAllowed):
            caucus_support.support_messages_open(caucus=caucus, by=reader.user, key=reader.key)
    caucus.refresh_from_db()
    assert caucus.on_support_card


def test_a_caucus_not_on_the_card_has_no_message_form_and_looks_like_none():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    visitor = Client()
    real, made_up = visitor.get(f"/voice/support/{caucus.pk}/"), visitor.get("/voice/support/987654/")
    assert real.status_code == made_up.status_code == 404
    assert visitor.post(f"/voice/support/{caucus.pk}/", {"text": "Hi"}).status_code == 404
    with pytest.raises(NotAllowed):
        caucus_support.support_message_send(caucus=caucus, text="Hi", reply_to="")
    assert caucus.messages.count() == 0


def test_messages_from_the_card_are_limited_per_client_with_a_clear_message():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    caucus_support.caucus_support_card_set(caucus=caucus, listed=True, by=org["rae"].user)
    visitor = Client()
    for n in range(10):
        assert visitor.post(f"/voice/support/{caucus.pk}/", {"text": f"Message {n}"}).status_code == 200
    refused = visitor.post(f"/voice/support/{caucus.pk}/", {"text": "One more"})
    assert refused.status_code == 400
    assert "Too many messages were sent from here just now." in refused.content.decode()
    assert caucus.messages.count() == 10


def test_the_card_names_only_the_conveners_who_chose_to_be_named():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    caucus_support.caucus_support_card_set(caucus=caucus, listed=True, by=org["rae"].user)
    dora = signed_in(org["dora"].user, org["dora"].key)
    assert dora.post(f"/voice/caucuses/{caucus.pk}/support-card/name/", {"named": "yes"}).status_code == 302
    card = Client().get("/report/").content.decode()
    assert "its conveners include Dora Discipline" in card
    assert "Rae Reporter" not in card
    assert Entry.objects.get(action="voice.caucus_support_card_named").actor_type == "system"
    dora.post(f"/voice/caucuses/{caucus.pk}/support-card/name/", {"named": "no"})
    assert "Dora Discipline" not in Client().get("/report/").content.decode()
    lee = org["lee"]
    outsider = signed_in(lee.user, lee.key)
    assert outsider.post(f"/voice/caucuses/{caucus.pk}/support-card/name/", {"named": "yes"}).status_code == 404
