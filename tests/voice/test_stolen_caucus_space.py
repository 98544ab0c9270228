"""A stolen copy of the database and the vault's files reveals nothing a caucus's members posted in its space, nor any
file they added to it (its content or its name), nor their meetings' agendas and minutes, nor
the note of a convener's invitation, nor a message written to its conveners from the support card."""

import os

import pytest
from django.conf import settings
from django.utils import timezone

from rankfile.voice import actions, caucus_files, caucus_invitations, caucus_meetings, caucus_support
from tests.cases import casebuilders as cb
from tests.vault.helpers import PDF, forms_of, upload
from tests.vault.test_stolen_database import everything_on_disk
from tests.voice.helpers import formed_caucus

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stolen_database_reveals_no_caucus_post(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "VAULT_ROOT", tmp_path / "vault")
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    sentinels = [f"CAUCUS-SENTINEL-{n}-{os.urandom(6).hex()}" for n in range(9)]
    actions.caucus_post(caucus=caucus, text=f"We meet at {sentinels[0]}.", by=org["rae"].user, key=org["rae"].key)
    actions.caucus_join(caucus=caucus, by=org["lee"].user)
    actions.caucus_post(caucus=caucus, text=f"Bring {sentinels[1]}.", by=org["dora"].user, key=org["dora"].key)
    flyer = PDF + f"(the plan: {sentinels[2]})".encode() * 200
    caucus_files.caucus_file_add(
        caucus=caucus, upload=upload(flyer, f"{sentinels[3]}.pdf"), by=org["sam"].user, key=org["sam"].key
    )
    meeting = caucus_meetings.caucus_meeting_schedule(
        caucus=caucus, held_on=timezone.localdate(), agenda=f"Meet at {sentinels[4]}.", by=org["rae"].user
    )
    caucus_meetings.caucus_minutes_write(meeting=meeting, minutes=f"Agreed: {sentinels[5]}.", by=org["rae"].user)
    caucus_invitations.caucus_invite(
        caucus=caucus, person=org["olu"].person, note=f"Ask for {sentinels[6]}.", by=org["rae"].user
    )
    assert caucus_invitations.caucus_invitation_note(caucus=caucus, by=org["olu"].user, key=org["olu"].key) == (
        f"Ask for {sentinels[6]}."
    )
    caucus_support.caucus_support_card_set(caucus=caucus, listed=True, by=org["rae"].user)
    caucus_support.support_message_send(caucus=caucus, text=f"I need {sentinels[7]}.", reply_to=sentinels[8])
    [(_sent, message)] = caucus_support.support_messages_open(caucus=caucus, by=org["dora"].user, key=org["dora"].key)
    assert sentinels[8] in message
    opened = actions.caucus_space_open(caucus=caucus, by=org["lee"].user, key=org["lee"].key)
    assert [text for _post, text in opened] == [f"Bring {sentinels[1]}.", f"We meet at {sentinels[0]}."]
    [listed] = caucus_files.caucus_space_read(caucus=caucus, by=org["lee"].user, key=org["lee"].key).files
    assert listed.name == f"{sentinels[3]}.pdf"
    [met] = caucus_files.caucus_space_read(caucus=caucus, by=org["lee"].user, key=org["lee"].key).meetings
    assert met.minutes == f"Agreed: {sentinels[5]}."
    copies = everything_on_disk(tmp_path / "vault")
    hits = [
        (name, sentinel)
        for sentinel in sentinels
        for name, data in copies.items()
        for form in forms_of(sentinel)
        if form in data
    ]
    assert hits == []
