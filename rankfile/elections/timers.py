"""Every timer of elections, in one table (DESIGN.md invariant 10), and the job that opens voting on time.

Nominations open and close at the times the election sets; the actions refuse anything outside them. Voting opens by
itself: a job on every tick of the deadline engine takes the snapshot of the electorate once the time has come (the
running body may do it from the election's page as well); another, once voting closes, writes the ballots again in
a random order (docs/elections.md, "The secret ballot"). Two steps are duties of the running body, with a timer
each: counting the ballots once voting closes, and seating the winners on the term's first day."""

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from rankfile.deadlines import kinds

# Subject: the election.
COUNT = kinds.register(kinds.Kind(code="elections.count", label=_("counting the ballots of an election")))
SEAT_WINNERS = kinds.register(kinds.Kind(code="elections.seat_winners", label=_("seating the winners of an election")))

COUNT_WITHIN = timedelta(days=2)  # after voting closes


def end_of(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _open_due(now: Any) -> int:
    opened: int = import_string("rankfile.elections.actions.voting_open_due")(now)
    return opened


kinds.register_periodic("elections opened for voting", _open_due)


def _shuffle_due(now: Any) -> int:
    shuffled: int = import_string("rankfile.elections.actions.ballots_shuffle_due")(now)
    return shuffled


kinds.register_periodic("elections whose ballots were shuffled once voting closed", _shuffle_due)


def page_of_election_deadline(deadline: Any, reader: Any) -> kinds.Page | None:
    """An election's timer is dealt with on the election's page, for whoever may see elections."""
    from django.urls import reverse

    from rankfile import policy
    from rankfile.elections.models import Election

    election = Election.objects.filter(pk=deadline.subject_id).first()
    if election is None or not policy.allows(reader, "elections.view"):
        return None
    return kinds.Page(url=reverse("elections:detail", args=[election.reference]), words=election.title)


kinds.register_page("elections.", page_of_election_deadline)
