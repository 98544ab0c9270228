"""What waits for a person in elections: a nomination to accept or decline, a ballot to cast while voting is open,
and, for the body that runs an election, each of its stages: nominations open, voting ahead or open, the count to
enter or publish, the winners to seat. Reads only."""

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.elections import policy as policy_rules
from rankfile.elections import timers
from rankfile.elections.models import BallotKind, Election, Elector, Nomination, NominationStatus, Seating
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
    """Each election a body the person sits on runs, at its stage: nominations open, voting ahead or open, the count
    to enter or make, the winners to seat once the term starts. One query, however many elections."""
    today = timezone.localdate()
    seated = Seating.objects.filter(election=OuterRef("pk"))
    # With its result and paper count, if any, so that asking whether it has them is not a query per election.
    running = (
        Election.objects.filter(policy_rules.runs_elections_q(user))
        .filter(
            Q(nominations_open_at__lte=now, result__isnull=True)
            | Q(result__isnull=False, term_starts_on__lte=today) & ~Exists(seated)
        )
        .select_related("result", "paper_count")
        .order_by("voting_close_at", "pk")
    )
    items: list[Item] = []
    for election in running:
        page = reverse("elections:detail", args=[election.reference])
        if hasattr(election, "result"):
            results = reverse("elections:results", args=[election.reference])
            items.append(Item(_("Seat the winners"), election.title, results, timers.end_of(election.term_starts_on)))
        elif now < election.nominations_close_at:
            until = _when(election.nominations_close_at)
            items.append(Item(_("Nominations are open until %(when)s") % {"when": until}, election.title, page))
        elif now < election.voting_open_at:
            opens = _when(election.voting_open_at)
            items.append(Item(_("Voting opens on %(when)s") % {"when": opens}, election.title, page))
        elif now < election.voting_close_at:
            until = _when(election.voting_close_at)
            items.append(Item(_("Voting is open until %(when)s") % {"when": until}, election.title, page))
        elif election.ballot_kind == BallotKind.PAPER and not hasattr(election, "paper_count"):
            counts = reverse("elections:paper_count", args=[election.reference])
            due = election.voting_close_at + timers.COUNT_WITHIN
            items.append(Item(_("Enter the tellers' count"), election.title, counts, due))
        else:
            due = election.voting_close_at + timers.COUNT_WITHIN
            items.append(Item(_("Count the election and publish the result"), election.title, page, due))
    return items


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")
