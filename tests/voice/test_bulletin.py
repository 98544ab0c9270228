"""The discussion bulletin's rules, through its actions: members in good standing contribute; the editors the bylaws
name accept or reject with a reason; an edit becomes the text only with the author's agreement, every version kept;
issues collect the accepted contributions, by an editor's hand or on the bylaws' schedule; everything is ledgered."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from rankfile import policy
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.org import bylaws
from rankfile.voice import bulletin, waiting
from rankfile.voice.bulletin_models import BulletinIssue, Contribution, ContributionStatus, VersionStatus
from tests.cases import casebuilders as cb
from tests.voice.helpers import bulletin_editors_named, site_admin

pytestmark = pytest.mark.django_db


def _submitted(org: cb.Org, name: str = "rae", title: str = "On our budget") -> Contribution:
    return bulletin.contribution_submit(title=title, body="We should *publish* it.", by=org[name].user)


def test_the_bylaws_name_the_editors_by_a_body_that_exists():
    document = bylaws.defaults()
    document["voice"]["bulletin_editors"] = "no-such-body"
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(document, body_slugs={"steering-committee"})
    assert "voice.bulletin_editors: 'no-such-body' is not a body" in refused.value.field_errors["document"]
    document["voice"].update(bulletin_editors="steering-committee", bulletin_every_days=0)
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(document, body_slugs={"steering-committee"})
    assert refused.value.field_errors["document"] == ["voice.bulletin_every_days: a whole number from 1 to 365"]
    assert bylaws.defaults()["voice"]["bulletin_editors"] == ""


def test_nobody_edits_until_the_bylaws_name_the_editors():
    org = cb.full_organization()
    contribution = _submitted(org)
    assert not policy.allows(org["lee"].user, "voice.review_contribution", contribution)
    with pytest.raises(NotAllowed):
        bulletin.contribution_accept(contribution=contribution, by=org["lee"].user)
    bulletin_editors_named()
    assert policy.allows(org["lee"].user, "voice.review_contribution", contribution)


def test_an_accepted_contribution_goes_into_the_next_issue_and_every_step_is_ledgered():
    org = cb.full_organization()
    bulletin_editors_named()
    contribution = _submitted(org)
    assert not policy.allows(org["dora"].user, "voice.see_contribution", contribution)  # not published yet
    bulletin.contribution_accept(contribution=contribution, by=org["lee"].user)
    issue = bulletin.issue_publish(by=org["lee"].user)
    contribution.refresh_from_db()
    assert (issue.number, contribution.issue, contribution.status) == (1, issue, ContributionStatus.ACCEPTED)
    assert policy.allows(org["dora"].user, "voice.see_contribution", contribution)
    assert list(Entry.objects.filter(action__startswith="voice.").values_list("action", flat=True)) == [
        "voice.contribution_submitted",
        "voice.contribution_accepted",
        "voice.bulletin_issue_published",
    ]
    with pytest.raises(Conflict):  # nothing waits for the next one
        bulletin.issue_publish(by=org["lee"].user)
    with pytest.raises(NotAllowed):  # a published contribution is not reviewed again
        bulletin.contribution_reject(contribution=contribution, reason="Late.", by=org["lee"].user)


def test_an_edit_becomes_the_text_only_when_the_author_accepts_it():
    org = cb.full_organization()
    bulletin_editors_named()
    contribution = _submitted(org)
    bulletin.edit_propose(
        contribution=contribution, title="On the budget", body="We should publish it.", by=org["lee"].user
    )
    contribution.refresh_from_db()
    assert (contribution.title, contribution.body) == ("On our budget", "We should *publish* it.")
    with pytest.raises(Conflict):  # not while the author has not answered
        bulletin.contribution_accept(contribution=contribution, by=org["lee"].user)
    with pytest.raises(NotAllowed):  # only the author answers
        bulletin.edit_answer(contribution=contribution, agree=True, by=org["lee"].user)
    bulletin.edit_answer(contribution=contribution, agree=False, by=org["rae"].user)
    contribution.refresh_from_db()
    assert contribution.title == "On our budget"
    bulletin.edit_propose(contribution=contribution, title="On the budget", body="Publish it.", by=org["lee"].user)
    bulletin.edit_answer(contribution=contribution, agree=True, by=org["rae"].user)
    contribution.refresh_from_db()
    assert (contribution.title, contribution.body) == ("On the budget", "Publish it.")
    assert [(v.number, v.status) for v in contribution.versions.all()] == [
        (1, VersionStatus.ORIGINAL),
        (2, VersionStatus.DECLINED),
        (3, VersionStatus.AGREED),
    ]
    with pytest.raises(InvalidInput):  # an edit that changes nothing is no edit
        bulletin.edit_propose(contribution=contribution, title="On the budget", body="Publish it.", by=org["lee"].user)


def test_a_rejection_needs_a_reason_read_by_the_author_and_the_oversight_body_only():
    org = cb.full_organization()
    bulletin_editors_named()
    contribution = _submitted(org)
    bulletin.edit_propose(contribution=contribution, title="Shorter", body="Shorter.", by=org["lee"].user)
    with pytest.raises(InvalidInput):
        bulletin.contribution_reject(contribution=contribution, reason="  ", by=org["lee"].user)
    bulletin.contribution_reject(contribution=contribution, reason="It names a survivor.", by=org["lee"].user)
    contribution.refresh_from_db()
    assert (contribution.status, contribution.reason) == (ContributionStatus.REJECTED, "It names a survivor.")
    assert contribution.versions.get(number=2).status == VersionStatus.LAPSED  # the unanswered edit lapses
    for name, sees in (("rae", True), ("olu", True), ("lee", True), ("dora", False), ("ray", False)):
        assert policy.allows(org[name].user, "voice.see_contribution", contribution) is sees, name
    assert "survivor" not in "".join(Entry.objects.values_list("data", flat=True))


def test_an_editor_does_not_review_their_own_contribution():
    org = cb.full_organization()
    bulletin_editors_named()
    own = _submitted(org, "lee")
    with pytest.raises(NotAllowed):
        bulletin.contribution_accept(contribution=own, by=org["lee"].user)
    with pytest.raises(NotAllowed):
        bulletin.edit_propose(contribution=own, title="Mine", body="Mine.", by=org["lee"].user)


def test_only_members_in_good_standing_contribute_and_read_never_a_site_administrator_by_rank():
    org = cb.full_organization()
    admin = site_admin()
    with pytest.raises(NotAllowed):
        bulletin.contribution_submit(title="Hello", body="Hello.", by=admin.user)
    assert not policy.allows(admin.user, "voice.read_bulletin")
    assert policy.allows(org["ray"].user, "voice.read_bulletin")


def test_the_schedule_publishes_an_issue_when_the_bylaws_days_have_passed():
    org = cb.full_organization()
    bulletin_editors_named()
    first = _submitted(org)
    bulletin.contribution_accept(contribution=first, by=org["lee"].user)
    assert bulletin.issues_publish_due() == 1  # the first issue: as soon as a contribution is accepted
    issue = BulletinIssue.objects.get()
    assert issue.published_by is None
    second = _submitted(org, "dora", "On meetings")
    bulletin.contribution_accept(contribution=second, by=org["lee"].user)
    assert bulletin.issues_publish_due() == 0  # 30 days after the last, by default
    assert bulletin.issues_publish_due(now=timezone.now() + timedelta(days=30, minutes=1)) == 1
    assert list(BulletinIssue.objects.values_list("number", flat=True)) == [2, 1]
    published = Entry.objects.filter(action="voice.bulletin_issue_published").values_list("data", flat=True)
    assert [json.loads(data)["on_schedule"] for data in published] == [True, True]


def test_the_editors_find_what_to_review_and_the_author_the_edit_to_answer():
    org = cb.full_organization()
    bulletin_editors_named()
    contribution = _submitted(org)
    assert [str(i.what) for i in waiting.waiting_for(user=org["lee"].user)] == ["Review a contribution to the bulletin"]
    assert waiting.waiting_for(user=org["rae"].user) == []
    bulletin.edit_propose(contribution=contribution, title="Shorter", body="Shorter.", by=org["lee"].user)
    [item] = waiting.waiting_for(user=org["rae"].user)
    assert str(item.what) == "Answer an editor's edit to your contribution"
    assert item.url == f"/voice/bulletin/contributions/{contribution.pk}/"


def test_the_emails_name_no_content_and_link_the_page(django_capture_on_commit_callbacks):
    org = cb.full_organization()
    bulletin_editors_named()
    with django_capture_on_commit_callbacks(execute=True):
        contribution = _submitted(org)
    [to_editor] = mail.outbox
    assert to_editor.to == [org["lee"].user.email]
    assert "On our budget" not in to_editor.body
    assert f"/voice/bulletin/contributions/{contribution.pk}/" in to_editor.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bulletin.contribution_reject(contribution=contribution, reason="Off topic.", by=org["lee"].user)
    [to_author] = mail.outbox
    assert to_author.to == [org["rae"].user.email]
    assert "Off topic." not in to_author.body
