"""What waits for a person in members' voice: for whoever sits on a body, each concern to it not answered yet; for a
named founder, a caucus's founding statement to sign; for a member a convener invited, the invitation. Reads only."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.org import queries as org_queries
from rankfile.voice.models import Caucus, CaucusMember, Concern, MemberStatus
from rankfile.waiting import Item


def waiting_for(*, user: Any) -> list[Item]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[Item] = []
    for concern in Concern.objects.filter(answered_at__isnull=True, closed_at__isnull=True).select_related("body"):
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
    person = org_queries.person_of(user=user)
    if person is not None:
        named = CaucusMember.objects.filter(person=person, status=MemberStatus.NAMED, caucus__formed_at__isnull=True)
        for caucus in Caucus.objects.filter(pk__in=named.values("caucus_id")):
            if policy.allows(user, "voice.sign_founding", caucus):
                items.append(
                    Item(
                        _("Sign a caucus's founding statement"),
                        caucus.name,
                        reverse("voice:caucus_detail", args=[caucus.pk]),
                    )
                )
        invited = CaucusMember.objects.filter(person=person, status=MemberStatus.INVITED)
        for caucus in Caucus.objects.filter(pk__in=invited.values("caucus_id")):
            if policy.allows(user, "voice.answer_invitation", caucus):
                items.append(
                    Item(
                        _("Answer an invitation to a caucus"),
                        caucus.name,
                        reverse("voice:caucus_detail", args=[caucus.pk]),
                    )
                )
    return items
