"""What waits for a person in members' voice: for whoever sits on a body, each concern to it not answered yet; for a
named founder, a caucus's founding statement to sign; for a member a convener invited, the invitation; for an editor
of the bulletin, each contribution to review; for an author, an editor's edit to accept or decline. Reads only."""

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.org import queries as org_queries
from rankfile.voice import bulletin_queries
from rankfile.voice.bulletin_models import Contribution, VersionStatus
from rankfile.voice.models import CaucusMember, Concern, MemberStatus
from rankfile.waiting import Item


def waiting_for(*, user: Any) -> list[Item]:
    person = org_queries.person_of(user=user) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []  # each item below is for a person: on a body, in a caucus, an editor, an author
    items: list[Item] = []
    # Only a body's people answer for it: its open concerns are asked about, not every body's.
    today = timezone.localdate()
    bodies = sorted(org_queries.bodies_sat_on(person_id=person.pk, day=today))
    open_concerns = Concern.objects.filter(answered_at__isnull=True, closed_at__isnull=True, body_id__in=bodies)
    for concern in open_concerns.select_related("body") if bodies else []:
        if policy.allows(user, "voice.answer_concern", concern):
            items.append(
                Item(
                    _("Answer a member's concern"),
                    concern.title,
                    reverse("voice:concern_detail", args=[concern.reference]),
                    concern.due_at,
                    _("The %(body)s must answer it; the oversight body is told if it is not answered in time.")
                    % {"body": concern.body.name},
                )
            )
    # A founding statement to sign, or an invitation to answer: one query for both.
    places = (
        CaucusMember.objects.filter(person=person)
        .filter(Q(status=MemberStatus.NAMED, caucus__formed_at__isnull=True) | Q(status=MemberStatus.INVITED))
        .select_related("caucus")
    )
    for place in places:
        caucus = place.caucus
        if place.status == MemberStatus.NAMED and policy.allows(user, "voice.sign_founding", caucus):
            title = _("Sign a caucus's founding statement")
        elif place.status == MemberStatus.INVITED and policy.allows(user, "voice.answer_invitation", caucus):
            title = _("Answer an invitation to a caucus")
        else:
            continue
        items.append(Item(title, caucus.name, reverse("voice:caucus_detail", args=[caucus.pk])))
    return items + _bulletin(user)


def _bulletin(user: Any) -> list[Item]:
    items = [
        Item(
            _("Review a contribution to the bulletin"),
            contribution.title,
            reverse("voice:contribution_detail", args=[contribution.pk]),
            None,
            _("Accept it for the next issue, reject it with a reason, or propose an edit to its author."),
        )
        for contribution in bulletin_queries.to_review(user=user)
    ]
    person = org_queries.person_of(user=user)
    if person is None:
        return items
    edited = Contribution.objects.filter(author=person, versions__status=VersionStatus.PROPOSED).distinct()
    for contribution in edited:
        if policy.allows(user, "voice.answer_edit", contribution):
            items.append(
                Item(
                    _("Answer an editor's edit to your contribution"),
                    contribution.title,
                    reverse("voice:contribution_detail", args=[contribution.pk]),
                    None,
                    _("Nothing changes unless you accept it."),
                )
            )
    return items
