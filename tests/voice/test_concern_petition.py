"""A concern made a petition: its "me too" names count as signatures, each of which may be withdrawn until the
petition reaches its threshold; only the author of a signed, public concern makes it one."""

import pytest
from django.utils import timezone

from rankfile import policy
from rankfile.errors import Conflict, NotAllowed
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import queries as org_queries
from rankfile.voice import actions, queries
from rankfile.voice.models import PetitionAim
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


def share(value):
    document = org_queries.bylaws_document(day=timezone.localdate())
    document["voice"] = {**document.get("voice", {}), "petition_share": value}
    org_actions.bylaws_adopt(
        document=document, effective_from=timezone.localdate(), adopted_by_vote="Convention, motion 9", by=OPERATOR
    )


def concern(org, *, anonymous=False, private=False):
    return actions.concern_raise(
        body=org.steering,
        title="Publish the accounts",
        text="The gap.",
        anonymous=anonymous,
        private=private,
        by=org["rae"].user,
    )


def test_me_too_names_count_as_signatures_and_each_may_be_withdrawn_until_the_threshold():
    org = cb.full_organization()
    share(1)  # every member in good standing: never reached here
    worry = concern(org)
    for name in ("dora", "sam"):
        actions.concern_support(concern=worry, by=org[name].user)
    client = signed_in(org["rae"].user, org["rae"].key)
    made = client.post(f"/voice/concerns/{worry.reference}/petition/", {"aim": PetitionAim.AGENDA_ITEM})
    assert made.status_code == 302
    petition = worry.petition
    assert made["Location"] == f"/voice/petitions/{petition.reference}/"
    assert (petition.body, petition.title, petition.from_concern) == (org.steering, worry.title, worry)
    assert queries.signers(petition=petition) == ["Dora Discipline", "Rae Reporter", "Sam Support"]
    entry = Entry.objects.get(action="voice.petition_from_concern")
    assert '"signatures":2' in entry.data
    actions.petition_withdraw(petition=petition, by=org["sam"].user)
    assert queries.signers(petition=petition) == ["Dora Discipline", "Rae Reporter"]
    assert not policy.allows(org["rae"].user, "voice.petition_concern", worry)  # made once
    assert "This concern was made a petition" in client.get(f"/voice/concerns/{worry.reference}/").content.decode()


def test_the_names_that_reach_the_threshold_carry_it_and_then_nobody_withdraws():
    org = cb.full_organization()
    members = org_queries.people_with_status(status="active", day=timezone.localdate()).count()
    share(2.5 / members)  # three signatures carry it
    worry = concern(org)
    for name in ("dora", "sam"):
        actions.concern_support(concern=worry, by=org[name].user)
    petition = actions.petition_from_concern(concern=worry, aim=PetitionAim.AGENDA_ITEM, by=org["rae"].user)
    assert (petition.signatures_when_reached, petition.needed_when_reached) == (3, 3)
    with pytest.raises(Conflict):
        actions.petition_withdraw(petition=petition, by=org["sam"].user)


def test_only_the_author_of_a_signed_public_concern_makes_it_a_petition():
    org = cb.full_organization()
    worry = concern(org)
    with pytest.raises(NotAllowed):
        actions.petition_from_concern(concern=worry, aim=PetitionAim.AGENDA_ITEM, by=org["dora"].user)
    for hidden in (concern(org, anonymous=True), concern(org, private=True)):
        with pytest.raises(NotAllowed):
            actions.petition_from_concern(concern=hidden, aim=PetitionAim.AGENDA_ITEM, by=org["rae"].user)
