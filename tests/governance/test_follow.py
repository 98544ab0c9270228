"""Following a mandate: one email per follower for each update or change of terms, to those who may still see it,
never to the one who posted, never for another mandate."""

from datetime import date

import pytest
from django.core import mail

from rankfile.errors import NotAllowed
from rankfile.governance import mandates, queries
from rankfile.governance.models import MandateFollow
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from tests.governance.builders import convention_vote, login, mandate, organization, person_for, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


def test_a_follower_is_emailed_once_for_each_update_and_no_more(
    org, member, leader, django_capture_on_commit_callbacks
):
    followed, other = mandate(org), mandate(org)
    person_for(member)
    seat(person_for(leader), org.steering, role="chair")
    mandates.mandate_follow(mandate=followed, by=member)
    mandates.mandate_follow(mandate=followed, by=member)  # following twice is following once
    mandates.mandate_follow(mandate=followed, by=leader)
    assert queries.is_following(user=member, mandate=followed)
    assert queries.followers_count(mandate=followed) == 2
    with django_capture_on_commit_callbacks(execute=True):
        mandates.progress_post(
            mandate=followed, status="in_progress", text="We met the printers.", percent=30, by=leader
        )
    [email] = mail.outbox  # the member's; the leader posted it
    assert email.to == ["member@example.org"]
    assert email.subject.endswith(f"Mandate {followed.reference}: in progress")
    assert "We met the printers." in email.body
    assert "(30%)" in email.body
    with django_capture_on_commit_callbacks(execute=True):
        mandates.progress_post(mandate=other, status="in_progress", text="Elsewhere.", by=leader)
    assert len(mail.outbox) == 1
    assert mandates.mandate_unfollow(mandate=followed, by=member)
    assert not mandates.mandate_unfollow(mandate=followed, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        mandates.progress_post(mandate=followed, status="in_progress", text="Proofs.", by=OPERATOR)
    assert [m.to for m in mail.outbox] == [["member@example.org"], ["leader@example.org"]]


def test_a_change_of_terms_is_news_to_followers(org, member, django_capture_on_commit_callbacks):
    followed = mandate(org)
    person_for(member)
    mandates.mandate_follow(mandate=followed, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        mandates.mandate_extend(mandate=followed, vote=convention_vote(org), due_within_days=120, by=OPERATOR)
    [email] = mail.outbox
    assert email.subject.endswith(f"Mandate {followed.reference}: its terms changed")
    assert "earlier terms stay visible" in email.body


def test_only_those_who_may_see_a_mandate_follow_it(org, member, anonymous):
    members_only, public = mandate(org), mandate(org, visibility="public")
    ally = login("Al Ally")  # an account, not a member
    with pytest.raises(NotAllowed):
        mandates.mandate_follow(mandate=members_only, by=ally)
    with pytest.raises(NotAllowed):
        mandates.mandate_follow(mandate=public, by=anonymous)
    mandates.mandate_follow(mandate=public, by=ally)
    person_for(member)
    mandates.mandate_follow(mandate=members_only, by=member)
    assert [m.pk for m in queries.followed_by(user=member)] == [members_only.pk]


def test_a_follower_who_is_no_longer_a_member_is_not_emailed(org, member, django_capture_on_commit_callbacks):
    followed = mandate(org)
    mo = person_for(member)
    mandates.mandate_follow(mandate=followed, by=member)
    org_actions.membership_status_change(
        person=mo, status="lapsed", effective_from=date(2025, 1, 1), reason_code="dues_unpaid", by=OPERATOR
    )
    with django_capture_on_commit_callbacks(execute=True):
        mandates.progress_post(mandate=followed, status="in_progress", text="Members only.", by=OPERATOR)
    assert mail.outbox == []
    assert MandateFollow.objects.filter(mandate=followed, ended_at__isnull=True).count() == 1
