"""Quorum and the right to vote at a meeting, read from the seats on the meeting's day and the bylaws.

Who may vote: the people present who hold a seat (not as an alternate) on one of the meeting's bodies that day;
invited participants and alternates do not. Quorum is counted per body: a joint meeting is quorate only when each
of its bodies is. A body's quorum is a majority of its seats filled that day (a convention's: of its seated
delegates), unless the bylaws in force set ``meetings.quorum_percent`` (then at least that share, rounded up).
"""

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from rankfile.governance.models import Attendance, Capacity, Meeting
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, SeatRole


@dataclass(frozen=True)
class BodyQuorum:
    body: Body
    seated: int  # voting seats filled on the day
    required: int
    present: int  # of those seated, how many are present

    @property
    def quorate(self) -> bool:
        return self.present >= self.required

    def as_record(self) -> dict[str, int]:
        return {"body": self.body.pk, "seated": self.seated, "required": self.required, "present": self.present}


@dataclass(frozen=True)
class Quorum:
    bodies: list[BodyQuorum]
    entitled: frozenset[int]  # person ids: present with a vote
    present: int  # everyone present, with a vote or not

    @property
    def quorate(self) -> bool:
        return bool(self.bodies) and all(b.quorate for b in self.bodies)

    @property
    def short_by(self) -> int:
        return sum(max(0, b.required - b.present) for b in self.bodies)


def required_for(*, seated: int, document: dict[str, Any]) -> int:
    """How many of ``seated`` make a quorum under the bylaws ``document``: never fewer than one."""
    percent = document.get("meetings", {}).get("quorum_percent", 0)
    if percent:
        return max(1, math.ceil(seated * percent / 100))
    return seated // 2 + 1


def voting_seat_holders(*, body: Body, day: date) -> set[int]:
    """Person ids with a vote on ``body`` on ``day``: everyone seated but alternates."""
    return set(
        org_queries.seats_on(body=body, day=day).exclude(role=SeatRole.ALTERNATE).values_list("person_id", flat=True)
    )


def voting_seats_by_body(*, bodies: Collection[Body], day: date) -> dict[int, set[int]]:
    return {body.pk: voting_seat_holders(body=body, day=day) for body in bodies}


def quorum_of(*, meeting: Meeting, day: date | None = None) -> Quorum:
    """The quorum as it stands: who is present now (not departed), against the seats on ``day`` (the meeting's
    first day unless given: a vote on a later day of a convention counts the seats of that day)."""
    day = day or meeting.held_on
    bodies = list(meeting.bodies.order_by("name", "pk"))
    seats = voting_seats_by_body(bodies=bodies, day=day)
    here = Attendance.objects.filter(meeting=meeting, departed=False)
    present_ids = set(here.values_list("person_id", flat=True))
    voting_here = set(here.filter(capacity=Capacity.SEAT).values_list("person_id", flat=True))
    document = org_queries.bylaws_document(day=day)
    per_body = []
    for body in bodies:
        seated = seats[body.pk]
        per_body.append(
            BodyQuorum(
                body=body,
                seated=len(seated),
                required=required_for(seated=len(seated), document=document),
                present=len(seated & voting_here),
            )
        )
    entitled = frozenset(voting_here & set().union(*seats.values()))
    return Quorum(bodies=per_body, entitled=entitled, present=len(present_ids))
