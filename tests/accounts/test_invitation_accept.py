import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from rankfile.accounts import actions
from rankfile.accounts.models import Invitation, User
from rankfile.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db(transaction=True)

GOOD_PASSWORD = "wild meadow lantern 1987"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def issued(admin):
    return actions.invitation_create(email="invitee@example.org", name="Ivy Invitee", by=admin)


def test_accepting_creates_the_account_and_signs_in(client, issued):
    url = reverse("accounts:invitation_accept", args=[token_of(issued.url)])
    page = client.get(url)
    assert page.status_code == 200
    assert "invitee@example.org" in page.content.decode()

    response = client.post(url, {"name": "Ivy", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:welcome")
    user = User.objects.get(email="invitee@example.org")
    assert user.name == "Ivy"
    assert user.check_password(GOOD_PASSWORD)
    assert user.password.startswith("argon2")
    assert client.get(reverse("web:home")).context["user"] == user
    assert EmailAddress.objects.get(user=user).verified


def test_link_works_only_once(client, issued):
    url = reverse("accounts:invitation_accept", args=[token_of(issued.url)])
    client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.logout()

    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    with pytest.raises(Conflict) as refused:
        actions.invitation_accept(token=token_of(issued.url), password=GOOD_PASSWORD)
    assert refused.value.code == "invitation_used"


def test_expired_link_says_so(client, issued):
    Invitation.objects.filter(pk=issued.invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("accounts:invitation_accept", args=[token_of(issued.url)]))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    response = client.post(
        reverse("accounts:invitation_accept", args=[token_of(issued.url)]),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_unknown_link_says_what_to_check(client, db):
    response = client.get(reverse("accounts:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "copied the whole link" in response.content.decode()


def test_withdrawn_link_says_so(client, issued, admin):
    actions.invitation_revoke(invitation=issued.invitation, by=admin)
    response = client.get(reverse("accounts:invitation_accept", args=[token_of(issued.url)]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_weak_or_mismatched_password_is_explained_and_link_stays_usable(client, issued):
    url = reverse("accounts:invitation_accept", args=[token_of(issued.url)])
    response = client.post(url, {"password1": "password", "password2": "password"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please fix the following" in body
    assert "too common" in body or "too short" in body

    response = client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert "The two passwords are not the same" in response.content.decode()

    assert not User.objects.filter(email="invitee@example.org").exists()
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_at is None


def test_weak_password_rolls_back_whole(issued):
    with pytest.raises(InvalidInput):
        actions.invitation_accept(token=token_of(issued.url), password="123")
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_at is None
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_two_simultaneous_acceptances_make_one_account(issued):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is one connection; PostgreSQL runs this")
    token = token_of(issued.url)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def accept() -> None:
        barrier.wait()
        try:
            actions.invitation_accept(token=token, password=GOOD_PASSWORD)
            outcomes.append("accepted")
        except (Conflict, InvalidInput) as exc:
            outcomes.append(exc.code)
        except Exception as exc:
            outcomes.append(f"crashed: {exc!r}")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "invitation_used"]
    assert User.objects.filter(email="invitee@example.org").count() == 1
