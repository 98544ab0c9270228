"""A new password revokes every API token the person holds and ends their other sessions, on each path: a change on
the page, a reset by email, a reset on the server (`rankfile changepassword`). Each revocation is on the ledger as
the owner's own is, and the person is told on the page and in the email."""

import io
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from rankfile.accounts.models import ApiToken
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh and different passphrase 7"
HOME = "/account/api-tokens/"  # a page for the signed-in only


def _token_for(client: Client, name: str) -> str:
    response = client.post(HOME, {"name": name})
    assert response.status_code == 200, response.content
    return response.context["issued"].token


def _case_as(token: str, reference: str) -> Any:
    return Client(headers={"Authorization": f"Bearer {token}"}).get(f"/api/cases/{reference}")


def _ray_with_two_tokens():
    org = cb.full_organization()
    case = cb.noticed(org)
    ray = org["ray"].user
    ray.set_password(PASSWORD)
    ray.save()
    page = signed_in(ray, org["ray"].key)
    tokens = [_token_for(page, "my script"), _token_for(page, "the phone")]
    for token in tokens:
        assert _case_as(token, case.reference).status_code == 200
    other_session = signed_in(ray)
    assert other_session.get(HOME).status_code == 200
    return ray, case, page, tokens, other_session


def _assert_refused_as_no_token_is(tokens: list[str], reference: str) -> None:
    nobody = Client().get(f"/api/cases/{reference}")
    for token in tokens:
        refused = _case_as(token, reference)
        assert refused.status_code == nobody.status_code == 404
        assert refused.json() == nobody.json()


def _revocations(user, *, reason: str) -> list[Entry]:
    entries = list(Entry.objects.filter(action="accounts.api_token_revoked").order_by("seq"))
    live = list(ApiToken.objects.filter(user=user).order_by("pk"))
    assert [json.loads(e.data) for e in entries] == [{"token": t.pk, "reason": reason} for t in live]
    assert all(t.revoked_at is not None for t in live)
    return entries


def _signed_out(client: Client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_changing_the_password_revokes_every_api_token_ends_other_sessions_and_says_so():
    ray, case, page, tokens, other_session = _ray_with_two_tokens()
    changed = page.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert changed.status_code == 200
    _assert_refused_as_no_token_is(tokens, case.reference)
    entries = _revocations(ray, reason="password_changed")
    assert {e.actor_type for e in entries} == {"org.person"}  # the person, as when they revoke one
    shown = changed.content.decode()
    assert "Your 2 API tokens (“my script”, “the phone”) were revoked with your old password" in shown
    assert "the phone" in mail.outbox[-1].body
    assert "my script" in mail.outbox[-1].body
    assert "were revoked with your old password" in mail.outbox[-1].body
    assert not _signed_out(page)  # the session that changed it goes on
    assert _signed_out(other_session)


def test_a_reset_by_email_revokes_every_api_token_ends_every_session_and_says_so():
    ray, case, page, tokens, other_session = _ray_with_two_tokens()
    visitor = Client()
    visitor.post("/accounts/password/reset/", {"email": ray.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    form_page = visitor.get(link.group(1), follow=True)
    done = visitor.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert done.status_code == 200
    _assert_refused_as_no_token_is(tokens, case.reference)
    _revocations(ray, reason="password_reset")
    assert "were revoked with your old password" in done.content.decode()
    told = [m for m in mail.outbox if "The password of your account was reset" in m.body]
    assert len(told) == 1
    assert "the phone" in told[0].body
    assert _signed_out(page)
    assert _signed_out(other_session)


def test_a_reset_on_the_server_revokes_every_api_token_ends_every_session_and_tells_the_person(
    django_capture_on_commit_callbacks,
):
    ray, case, page, tokens, other_session = _ray_with_two_tokens()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "changepassword", ray.email, "--password-stdin", stdin=io.StringIO(NEW_PASSWORD + "\n"), stdout=out
        )
    assert "2 API token(s) revoked" in out.getvalue()
    _assert_refused_as_no_token_is(tokens, case.reference)
    entries = _revocations(ray, reason="password_reset")
    assert {e.actor_type for e in entries} == {"operator"}
    assert Entry.objects.filter(action="accounts.password_changed", actor_type="operator").count() == 1
    (told,) = [m for m in mail.outbox if m.to == [ray.email] and "reset on the server" in m.subject]
    assert "the phone" in told.body
    assert "/accounts/password/reset/" in told.body
    assert _signed_out(page)
    assert _signed_out(other_session)
    ray.refresh_from_db()
    assert ray.check_password(NEW_PASSWORD)


def test_a_weak_password_on_the_server_changes_nothing():
    ray, case, _page, tokens, other_session = _ray_with_two_tokens()
    with pytest.raises(CommandError, match=r"too common|too short"):
        call_command("changepassword", ray.email, "--password-stdin", stdin=io.StringIO("password\n"))
    assert _case_as(tokens[0], case.reference).status_code == 200
    assert not _signed_out(other_session)
