"""Every email of the discussion bulletin. Each carries no content, only a sentence and a link to the page where the
person acts or reads (``rankfile.mail.send``: sent once the action's transaction commits)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rankfile import mail
from rankfile.org import queries as org_queries
from rankfile.org.models import Person
from rankfile.voice import policy
from rankfile.voice.bulletin_models import BulletinIssue, Contribution, ContributionStatus


def _addresses(people: Iterable[Person], *, but: Person | None = None) -> list[str]:
    found = []
    for person in people:
        if but is not None and person.pk == but.pk:
            continue
        login = person.user
        found.append(str(login.email) if login is not None and login.email else person.email or "")
    return found


def _link(name: str, *args: object) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def contribution_to_editors(contribution: Contribution) -> int:
    """Everyone sitting on the editors' body today learns that a contribution waits for review."""
    editors = policy.bulletin_editors()
    if editors is None:
        return 0
    seats = org_queries.seats_on(body=editors, day=timezone.localdate()).select_related("person__user")
    context = {"url": _link("voice:contribution_detail", contribution.pk)}
    people = [seat.person for seat in seats]
    return mail.send("voice/email/bulletin_to_review", context, _addresses(people, but=contribution.author))


def contribution_decided(contribution: Contribution) -> int:
    """The author learns that the editors accepted or rejected their contribution (the reason is on its page)."""
    context = {
        "accepted": contribution.status == ContributionStatus.ACCEPTED,
        "url": _link("voice:contribution_detail", contribution.pk),
    }
    return mail.send("voice/email/bulletin_decided", context, _addresses([contribution.author]))


def edit_to_author(contribution: Contribution) -> int:
    """The author is asked to accept or decline an editor's edit: nothing changes without their agreement."""
    context = {"url": _link("voice:contribution_detail", contribution.pk)}
    return mail.send("voice/email/bulletin_edit_proposed", context, _addresses([contribution.author]))


def issue_to_members(issue: BulletinIssue) -> int:
    """Every member in good standing learns that an issue is out."""
    members = org_queries.people_with_status(status="active", day=timezone.localdate()).select_related("user")
    context = {"number": issue.number, "url": _link("voice:issue_detail", issue.number)}
    return mail.send("voice/email/bulletin_issue", context, _addresses(members))
