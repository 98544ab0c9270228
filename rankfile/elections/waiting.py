"""What waits for a person in elections: a nomination to accept or decline, a ballot to cast while voting is open,
and, for the body that runs an election, the count to enter or publish and the winners to seat. Reads only."""

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile import policy
from rankfile.elections import timers
from rankfile.elections.models import BallotKind, Election, Elector, Nomination, NominationStatus, PaperCount
from rankfile.waiting import Item


def waiting_for(*, user: Any) -> list[Item]:
    if not getattr(user, "is_authenticated", False) or not policy.allows(user, "elections.view"):
        return []
    now = timezone.now()
    items: list[Item] = []
    to_answer = Nomination.objects.filter(
        nominee__user_id=user.pk,
        status=NominationStatus.AWAITING_ACCEPTANCE,
        election__nominations_close_at__gt=now,
    ).select_related("election")
    for nomination in to_answer:
        election = nomination.election
        items.append(
            Item(
                _("Accept or decline your nomination"),
                election.title,
                reverse("elections:detail", args=[election.reference]),
                election.nominations_close_at,
                _("Someone nominated you; you stand only if you accept before nominations close."),
            )
        )
    to_vote = Elector.objects.filter(
        person__user_id=user.pk,
        voted=False,
        election__ballot_kind=BallotKind.ONLINE,
        election__voting_opened_at__isnull=False,
        election__voting_close_at__gt=now,
    ).select_related("election")
    for elector in to_vote:
        election = elector.election
        items.append(
            Item(
                _("Cast your ballot"),
                election.title,
                reverse("elections:vote", args=[election.reference]),
                election.voting_close_at,
            )
        )
    items.extend(_for_the_running_body(user, now))
    return items


def _for_the_running_body(user: Any, now: Any) -> list[Item]:
    today = timezone.localdate()
    # With its result, if any, so that asking whether it has one is not a query per election.
    unfinished = (
        Election.objects.filter(
            Q(voting_close_at__lte=now, result__isnull=True)
            | Q(result__isnull=False, seatings__isnull=True, term_starts_on__lte=today)
        )
        .distinct()
        .select_related("result")
    )
    items: list[Item] = []
    for election in unfinished:
        if not policy.allows(user, "elections.run", election):
            continue
        page = reverse("elections:detail", args=[election.reference])
        if hasattr(election, "result"):
            results = reverse("elections:results", args=[election.reference])
            items.append(Item(_("Seat the winners"), election.title, results, timers.end_of(election.term_starts_on)))
        elif election.ballot_kind == BallotKind.PAPER and not PaperCount.objects.filter(election=election).exists():
            counts = reverse("elections:paper_count", args=[election.reference])
            due = election.voting_close_at + timers.COUNT_WITHIN
            items.append(Item(_("Enter the tellers' count"), election.title, counts, due))
        else:
            due = election.voting_close_at + timers.COUNT_WITHIN
            items.append(Item(_("Count the election and publish the result"), election.title, page, due))
    return items
