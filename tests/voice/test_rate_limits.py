"""Rate limits from the bylaws: concerns one member raises in a day, and signatures and "me too" names together one
member adds in a day; refused with a message that says why and when to try again."""

import pytest
from django.utils import timezone

from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org import queries as org_queries
from rankfile.voice import actions
from rankfile.voice.models import PetitionAim
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


def voice_bylaws(**rules):
    document = org_queries.bylaws_document(day=timezone.localdate())
    document["voice"] = {**document.get("voice", {}), **rules}
    org_actions.bylaws_adopt(
        document=document, effective_from=timezone.localdate(), adopted_by_vote="Convention, motion 9", by=OPERATOR
    )


def concern(org, *, by, title="Hiring"):
    return actions.concern_raise(
        body=org.steering, title=title, text="Who decided?", anonymous=False, private=False, by=org[by].user
    )


def petition(org, *, by, title="Accounts"):
    return actions.petition_start(
        body=org.steering, aim=PetitionAim.AGENDA_ITEM, title=title, text="Publish them.", by=org[by].user
    )


def test_the_bylaws_check_signatures_per_day():
    document = bylaws.defaults()
    assert document["voice"]["signatures_per_day"] == 20
    document["voice"]["signatures_per_day"] = 0
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(document, body_slugs=set())
    assert "voice.signatures_per_day: a whole number from 1 to 1000" in [
        str(p) for p in refused.value.field_errors["document"]
    ]


def test_signatures_and_me_too_count_together_up_to_the_bylaws_number_a_day():
    org = cb.full_organization()
    voice_bylaws(signatures_per_day=2, petition_share=1)
    first, second = petition(org, by="rae", title="One"), petition(org, by="rae", title="Two")
    worry = concern(org, by="rae")
    actions.petition_sign(petition=first, by=org["sam"].user)
    actions.concern_support(concern=worry, by=org["sam"].user)
    with pytest.raises(InvalidInput) as refused:
        actions.petition_sign(petition=second, by=org["sam"].user)
    assert refused.value.code == "rate_limited"
    assert "2 times in the last day" in str(refused.value)
    with pytest.raises(InvalidInput):
        actions.concern_support(concern=concern(org, by="dora", title="Another"), by=org["sam"].user)
    actions.petition_sign(petition=second, by=org["dora"].user)  # another member is not held back


def test_a_refused_signature_is_said_on_the_page_and_nothing_is_added():
    org = cb.full_organization()
    voice_bylaws(signatures_per_day=1, petition_share=1)
    first, second = petition(org, by="rae", title="One"), petition(org, by="dora", title="Two")
    actions.petition_sign(petition=first, by=org["sam"].user)
    client = signed_in(org["sam"].user, org["sam"].key)
    page = client.post(f"/voice/petitions/{second.reference}/sign/", follow=True)
    assert page.status_code == 200
    assert "the most the bylaws allow. Try again tomorrow." in page.content.decode()
    assert second.signatures.count() == 1  # Dora's, who started it


def test_a_concern_over_the_days_limit_is_refused_on_the_form_with_a_clear_message():
    org = cb.full_organization()
    voice_bylaws(concerns_per_day=1)
    concern(org, by="rae")
    client = signed_in(org["rae"].user, org["rae"].key)
    page = client.post(
        "/voice/concerns/new/", {"body": org.steering.pk, "title": "Again", "text": "And another thing."}
    )
    assert page.status_code == 400
    assert "You have raised 1 concern in the last day, the most the bylaws allow." in page.content.decode()
