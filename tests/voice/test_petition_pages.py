"""Petition pages: a member starts one, others sign and withdraw on its page, and the carried petition says where
its item went; someone who may not read it finds nothing there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.governance import actions as governance
from rankfile.ledger.actions import OPERATOR
from rankfile.voice.models import Petition
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_a_member_starts_a_petition_others_sign_and_it_lands_on_the_agenda():
    org = cb.full_organization()
    governance.meeting_create(
        bodies=[org.steering],
        held_on=timezone.localdate() + timedelta(days=5),
        title="Steering committee",
        by=OPERATOR,
    )
    rae = signed_in(org["rae"].user, org["rae"].key)
    form = rae.get("/voice/petitions/new/")
    assert form.status_code == 200
    assert "10 percent of the members in good standing" in form.content.decode()
    answer = rae.post(
        "/voice/petitions/new/",
        {"body": org.steering.pk, "aim": "agenda_item", "title": "Publish the accounts", "text": "Please."},
    )
    petition = Petition.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/voice/petitions/{petition.reference}/"
    page = rae.get(answer["Location"]).content.decode()
    assert "1 of the 2 signatures needed" in page
    assert "Withdraw my signature" in page

    dora = signed_in(org["dora"].user, org["dora"].key)
    assert "Sign the petition" in dora.get(answer["Location"]).content.decode()
    dora.post(f"/voice/petitions/{petition.reference}/sign/")
    page = dora.get(answer["Location"]).content.decode()
    assert "Carried on" in page
    assert "It is on the agenda of the meeting" in page
    assert "Withdraw my signature" not in page
    assert "Publish the accounts" in dora.get("/voice/").content.decode()


def test_a_signature_is_withdrawn_from_the_page():
    org = cb.full_organization()
    rae = signed_in(org["rae"].user, org["rae"].key)
    rae.post(
        "/voice/petitions/new/",
        {"body": org.steering.pk, "aim": "special_meeting", "title": "Meet about the budget", "text": "Please."},
    )
    petition = Petition.objects.get()
    answer = rae.post(f"/voice/petitions/{petition.reference}/withdraw/")
    assert answer.status_code == 302
    assert not petition.signatures.exists()
    assert "Sign the petition" in rae.get(answer["Location"]).content.decode()


def test_a_made_up_petition_is_not_found():
    org = cb.full_organization()
    rae = signed_in(org["rae"].user, org["rae"].key)
    assert rae.get("/voice/petitions/PT-2026-99/").status_code == 404
