"""API tokens: made and revoked on a page of the account menu, shown once, stored as a keyed hash; a token reads
where a case stands and takes the steps that seal nothing, and opens no case material."""

import json

import pytest
from django.test import Client

from rankfile.accounts.models import ApiToken
from rankfile.cases.models import Stage
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.builders import member, seat
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"


def _token_for(client: Client, name: str = "my script") -> str:
    response = client.post(PAGE, {"name": name})
    assert response.status_code == 200, response.content
    return response.context["issued"].token


def _bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_token_is_shown_once_and_only_a_keyed_hash_and_its_first_characters_are_stored():
    org = cb.full_organization()
    ray = signed_in(org["ray"].user, org["ray"].key)
    assert "API tokens" in ray.get("/").content.decode()  # in the account menu
    token = _token_for(ray)
    stored = ApiToken.objects.get(user=org["ray"].user)
    assert token.startswith("rf_")
    assert len(token) > 40
    assert stored.prefix == token[:10]
    assert token not in {stored.token_hash, stored.name}
    assert len(stored.token_hash) == 64
    entry = Entry.objects.get(action="accounts.api_token_created")
    assert json.loads(entry.data) == {"token": stored.pk}
    again = ray.get(PAGE).content.decode()
    assert stored.prefix in again
    assert token not in again


def test_a_token_reads_where_a_case_stands_and_takes_a_step_that_seals_nothing():
    org = cb.full_organization()
    case = cb.seated(org)
    dana = _bearer(_token_for(signed_in(org["dana"].user, org["dana"].key)))
    assert dana.get(f"/api/cases/{case.reference}").json()["as"] == "panel"
    drafted = dana.post(
        f"/api/cases/{case.reference}/steps/notice_draft",
        json.dumps({"allegations": cb.ALLEGATIONS}),
        content_type="application/json",
    )
    assert drafted.status_code == 200, drafted.content  # no CSRF token: a header a page cannot send for another site
    assert ApiToken.objects.get(user=org["dana"].user).last_used_at is not None


def test_a_token_opens_no_case_material_so_a_step_that_needs_it_is_locked():
    org = cb.full_organization()
    case = cb.noticed(org)
    ray = _bearer(_token_for(signed_in(org["ray"].user, org["ray"].key)))
    assert ray.get(f"/api/cases/{case.reference}").json()["next"] == ["respond"]
    before = Entry.objects.count()
    response = ray.post(
        f"/api/cases/{case.reference}/steps/respond", json.dumps({"text": "I deny it."}), "application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "locked"
    assert "Sign in on the pages" in response.json()["detail"]
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE
    assert Entry.objects.count() == before


def test_a_revoked_token_is_told_exactly_what_a_caller_with_none_is():
    org = cb.full_organization()
    case = cb.noticed(org)
    page = signed_in(org["ray"].user, org["ray"].key)
    token = _token_for(page)
    stored = ApiToken.objects.get(user=org["ray"].user)
    lee = signed_in(org["lee"].user, org["lee"].key)
    assert lee.post(f"{PAGE}{stored.pk}/revoke/").status_code == 404  # only its owner revokes it
    assert page.post(f"{PAGE}{stored.pk}/revoke/").status_code == 302
    assert json.loads(Entry.objects.get(action="accounts.api_token_revoked").data) == {"token": stored.pk}
    revoked = _bearer(token).get(f"/api/cases/{case.reference}")
    nobody = Client().get(f"/api/cases/{case.reference}")
    assert revoked.status_code == nobody.status_code == 404
    assert revoked.json() == nobody.json() == Client().get("/api/cases/C-1999-1").json()


def test_someone_who_handles_cases_needs_a_second_factor_before_making_a_token():
    org = cb.full_organization()
    nia = member("Nia Newcomer", mfa=False)
    seat(nia, org.disciplinary)
    response = signed_in(nia.user, nia.key).post(PAGE, {"name": "my script"})
    assert response.status_code == 400
    assert "two-factor authentication" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not Entry.objects.filter(action="accounts.api_token_created").exists()
    # A party without a second factor (a reporter, the respondent) is not held to it.
    assert signed_in(org["rae"].user, org["rae"].key).post(PAGE, {"name": "my script"}).status_code == 200
