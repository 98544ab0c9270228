"""Statements: a body publishes one (or an apology) adopted by a carried vote of its own; each new version cites a vote
of its own and the old ones stay; a caucus's conveners publish as the caucus's; a statement may fulfil one of the
body's mandates. Every step is on the ledger."""

import hashlib

import pytest
from django.test import Client

from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import mandates
from rankfile.governance.models import Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.voice import statements
from rankfile.voice.models import StatementVersion
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import formed_caucus
from tests.voice.statement_helpers import APOLOGY, apology, carried, steering_meeting

pytestmark = pytest.mark.django_db


def test_a_body_publishes_an_apology_its_carried_vote_adopted_and_the_ledger_holds_its_hash():
    org = cb.full_organization()
    vote = carried(org, steering_meeting(org))
    statement = apology(org, vote)
    [version] = statement.versions.all()
    assert (statement.kind, statement.speaker, statement.version_number) == ("apology", "Steering Committee", 1)
    assert version.vote == Vote.objects.get(reference=vote)
    entry = Entry.objects.filter(action="voice.statement_published").get()
    assert entry.seq == statement.ledger_seq
    assert (entry.actor_type, entry.actor_id) == ("org.person", org["dale"].person.pk)
    expected = hashlib.sha256(f"An apology to the members\n\n{APOLOGY}".encode()).hexdigest()
    assert f'"sha256":"{expected}"' in entry.data
    assert APOLOGY not in entry.data


def test_a_statement_cites_a_carried_vote_of_the_body_itself():
    org = cb.full_organization()
    steering_meeting(org)
    convention = cb.convention_vote(org, text="That the convention thanks the members.", about="", effect="")
    with pytest.raises(InvalidInput) as other_body:
        apology(org, convention)
    with pytest.raises(InvalidInput) as unknown:
        apology(org, "SC-1999-01-01-M1")
    assert (other_body.value.code, unknown.value.code) == ("not_the_empowered_body", "no_such_vote")
    assert not StatementVersion.objects.exists()


def test_only_whoever_records_the_bodys_meetings_publishes_its_statement():
    org = cb.full_organization()
    vote = carried(org, steering_meeting(org))
    with pytest.raises(NotAllowed):  # Lee sits on the steering committee, but neither chairs it nor keeps its minutes
        statements.statement_publish(
            body=org.steering,
            kind="statement",
            visibility="public",
            title="Ours",
            text="Said.",
            vote_reference=vote,
            by=org["lee"].user,
        )


def test_a_new_version_needs_a_vote_of_its_own_and_the_earlier_one_stays():
    org = cb.full_organization()
    meeting = steering_meeting(org)
    first = carried(org, meeting)
    statement = apology(org, first)
    with pytest.raises(InvalidInput) as reused:
        statements.statement_revise(
            statement=statement, title="Again", text="Better.", vote_reference=first, by=org["dale"].user
        )
    assert reused.value.code == "vote_used"
    second = carried(org, meeting, "That the apology be made fuller.")
    statements.statement_revise(
        statement=statement, title="A fuller apology", text="Fuller.", vote_reference=second, by=org["dale"].user
    )
    statement.refresh_from_db()
    assert (statement.title, statement.version_number) == ("A fuller apology", 2)
    assert [(v.number, v.text, v.vote.reference) for v in statement.versions.all()] == [  # type: ignore[union-attr]
        (2, "Fuller.", second),
        (1, APOLOGY, first),
    ]
    assert Entry.objects.filter(action="voice.statement_revised").count() == 1


def test_a_caucus_convener_publishes_as_the_caucus_and_the_ledger_names_nobody():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=False)
    with pytest.raises(InvalidInput) as unlisted:
        statements.caucus_statement_publish(
            caucus=caucus, kind="statement", visibility="public", title="We", text="Are.", by=org["rae"].user
        )
    assert unlisted.value.code == "caucus_not_listed"
    with pytest.raises(NotAllowed):  # a member who does not belong
        statements.caucus_statement_publish(
            caucus=caucus, kind="statement", visibility="members", title="We", text="Are.", by=org["lee"].user
        )
    statement = statements.caucus_statement_publish(
        caucus=caucus, kind="statement", visibility="members", title="We are here", text="Are.", by=org["rae"].user
    )
    statements.statement_revise(statement=statement, title="We are still here", text="Still.", by=org["dora"].user)
    assert statement.speaker == "Survivors' caucus"
    entries = Entry.objects.filter(action__in=["voice.statement_published", "voice.statement_revised"])
    assert [e.actor_type for e in entries] == ["system", "system"]


def test_a_statement_fulfils_a_mandate_of_its_body_and_each_page_links_the_other():
    org = cb.full_organization()
    meeting = steering_meeting(org)
    vote = Vote.objects.get(reference=carried(org, meeting, "That the committee apologises within a month."))
    mandate = mandates.mandate_adopt(
        vote=vote,
        title="Apologise to the members",
        text="The steering committee apologises in public.",
        responsible_body=org.steering,
        due_within_days=30,
        visibility="public",
        by=OPERATOR,
    )
    elsewhere = mandates.mandate_adopt(
        vote=vote,
        title="Review the support team",
        text="The support team reviews its work.",
        responsible_body=org.base.support,
        due_within_days=30,
        by=OPERATOR,
    )
    with pytest.raises(InvalidInput) as not_its:
        apology(org, carried(org, meeting), mandate=elsewhere)
    assert not_its.value.code == "not_its_mandate"
    statement = apology(org, carried(org, meeting), mandate=mandate)
    anyone, member = Client(), signed_in(org["rae"].user)
    public_mandate = anyone.get(f"/public/mandates/{mandate.reference}/").content.decode()
    assert f'href="/voice/public/statements/{statement.reference}/">An apology to the members</a>' in public_mandate
    members_mandate = member.get(f"/mandates/{mandate.reference}/").content.decode()
    assert f'href="/voice/statements/{statement.reference}/">An apology to the members</a>' in members_mandate
    public_statement = anyone.get(f"/voice/public/statements/{statement.reference}/").content.decode()
    assert f'href="/public/mandates/{mandate.reference}/">Apologise to the members</a>' in public_statement
    assert Entry.objects.filter(action="voice.statement_published").get().data.count(f'"mandate":{mandate.pk}') == 1
