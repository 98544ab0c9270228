"""Members' voice emails: a new concern to whoever sits on the body, its answer to the author and to the members
who added their name, and each named founder asked to sign. None carries the concern's title or the caucus's name."""

import pytest
from django.core import mail

from rankfile.errors import InvalidInput
from rankfile.voice import actions
from tests.cases import casebuilders as cb
from tests.voice.helpers import formed_caucus

pytestmark = pytest.mark.django_db


def _raise(org, *, anonymous=False):
    return actions.concern_raise(
        body=org.steering,
        title="Where did the conference money go?",
        text="The accounts show a gap.",
        anonymous=anonymous,
        private=False,
        by=org["rae"].user,
    )


def test_the_body_is_emailed_a_new_concern_without_its_content_or_author(django_capture_on_commit_callbacks):
    org = cb.full_organization()
    with django_capture_on_commit_callbacks(execute=True):
        concern = _raise(org, anonymous=True)
    [message] = mail.outbox
    assert message.to == ["lee@example.org"]  # the steering committee's one seat
    assert "raised a concern to the steering" in message.subject.lower()
    assert f"/voice/concerns/{concern.reference}/" in message.body
    for secret in ("conference money", "accounts show", "Rae"):
        assert secret not in message.body
        assert secret not in message.subject


def test_the_answer_is_emailed_to_the_author_and_those_who_added_their_name(django_capture_on_commit_callbacks):
    org = cb.full_organization()
    concern = _raise(org)
    actions.concern_support(concern=concern, by=org["dora"].user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.concern_answer(concern=concern, answer="Here are the accounts.", by=org["lee"].user)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["dora@example.org", "rae@example.org"]
    assert "the concern you raised" in by_address["rae@example.org"].body
    assert "you added your name to" in by_address["dora@example.org"].body
    assert all("Here are the accounts" not in message.body for message in mail.outbox)


def test_no_email_leaves_when_the_concern_is_not_raised(django_capture_on_commit_callbacks):
    org = cb.full_organization()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        actions.concern_raise(
            body=org.steering, title="", text="No title.", anonymous=False, private=False, by=org["rae"].user
        )
    assert mail.outbox == []


def test_each_named_founder_but_the_proposer_is_asked_to_sign(django_capture_on_commit_callbacks):
    org = cb.full_organization()
    with django_capture_on_commit_callbacks(execute=True):
        caucus = formed_caucus(org)
    asked = [message for message in mail.outbox if "named a founder" in message.subject]
    assert sorted(message.to[0] for message in asked) == ["dora@example.org", "sam@example.org"]
    for message in asked:
        assert f"/voice/caucuses/{caucus.pk}/" in message.body
        assert caucus.name not in message.body
        assert caucus.name not in message.subject
