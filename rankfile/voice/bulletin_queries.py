"""Every read of the discussion bulletin used by pages: each filtered by policy, so that what a person may not see
is exactly what does not exist."""

from typing import Any

from django.db.models import QuerySet

from rankfile import policy
from rankfile.errors import NotAllowed
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.voice import policy as voice_policy
from rankfile.voice.bulletin_models import (
    BulletinIssue,
    Contribution,
    ContributionStatus,
    ContributionVersion,
    VersionStatus,
)


def issues(*, user: Any) -> QuerySet[BulletinIssue]:
    """The published issues, newest first, for those who read the bulletin."""
    policy.require(user, "voice.read_bulletin")
    return BulletinIssue.objects.all()


def issue_for(*, user: Any, number: int) -> BulletinIssue:
    issue = BulletinIssue.objects.filter(number=number).first()
    if issue is None or not policy.allows(user, "voice.read_bulletin"):
        raise NotAllowed("no such issue")
    return issue


def contents(*, issue: BulletinIssue) -> QuerySet[Contribution]:
    """An issue's contributions in the order they were accepted."""
    return issue.contributions.select_related("author").order_by("decided_at", "pk")


def latest_contributions(*, user: Any, most: int = 50) -> QuerySet[Contribution]:
    """The published contributions, newest issue first: what the feed carries."""
    policy.require(user, "voice.read_bulletin")
    return (
        Contribution.objects.filter(issue__isnull=False)
        .select_related("author", "issue")
        .order_by("-issue__number", "decided_at", "pk")[:most]
    )


def contribution_for(*, user: Any, pk: int) -> Contribution:
    contribution = Contribution.objects.select_related("author", "decided_by", "issue").filter(pk=pk).first()
    if contribution is None or not policy.allows(user, "voice.see_contribution", contribution):
        raise NotAllowed("no such contribution")
    return contribution


def versions(*, contribution: Contribution) -> QuerySet[ContributionVersion]:
    return contribution.versions.select_related("by")


def edit_waiting(*, contribution: Contribution) -> ContributionVersion | None:
    return contribution.versions.select_related("by").filter(status=VersionStatus.PROPOSED).first()


def my_contributions(*, user: Any) -> QuerySet[Contribution]:
    person = org_queries.person_of(user=user) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return Contribution.objects.none()
    return Contribution.objects.filter(author=person).select_related("issue")


def to_review(*, user: Any) -> list[Contribution]:
    """For an editor: the contributions waiting for the editors that are not their own, oldest first."""
    if not policy.allows(user, "voice.edit_bulletin"):
        return []
    found = Contribution.objects.filter(status=ContributionStatus.SUBMITTED).select_related("author")
    return [c for c in found.order_by("submitted_at", "pk") if policy.allows(user, "voice.review_contribution", c)]


def accepted_waiting(*, user: Any) -> QuerySet[Contribution]:
    """For an editor: the accepted contributions the next issue will carry."""
    if not policy.allows(user, "voice.edit_bulletin"):
        return Contribution.objects.none()
    return (
        Contribution.objects.filter(status=ContributionStatus.ACCEPTED, issue__isnull=True)
        .select_related("author")
        .order_by("decided_at", "pk")
    )


def rejected_for_oversight(*, user: Any) -> list[Contribution]:
    """For the oversight body and the editors: every rejected contribution, with its reason on its page."""
    found = Contribution.objects.filter(status=ContributionStatus.REJECTED).select_related("author")
    return [c for c in found if c.author_id != _person_pk(user) and policy.allows(user, "voice.see_contribution", c)]


def _person_pk(user: Any) -> int | None:
    person = org_queries.person_of(user=user) if getattr(user, "is_authenticated", False) else None
    return person.pk if person is not None else None


def editors() -> Body | None:
    """The body the bylaws name to edit the bulletin; None while they name none."""
    return voice_policy.bulletin_editors()
