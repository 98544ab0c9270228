"""Many people at once on the production server: reading their pages while writing (a report's autosave, a message
to the people handling a report, a mandate's progress, motions and their votes at a meeting). Nobody meets a server
error or the words "database is locked": SQLite's writers queue for the lock (BEGIN IMMEDIATE, a busy timeout).
The latencies are printed. CI: 10 people for 10 seconds; `make soak`: RANKFILE_SOAK_USERS, RANKFILE_SOAK_SECONDS."""

import random
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import timezone

from rankfile.cases.actions import intake
from rankfile.cases.models import Message, ReportPath
from rankfile.governance import actions, mandates
from rankfile.governance.models import Mandate, Meeting, ProgressUpdate, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.org.models import Body
from tests.cases.builders import Member, member, organization, seat
from tests.governance.builders import carried
from tests.governance.builders import seat as seat_as
from tests.org.builders import body
from tests.personas import PASSWORD
from tests.resilience.server import ProductionServer, Visitor, envint

pytestmark = pytest.mark.django_db(transaction=True)

USERS = envint("RANKFILE_SOAK_USERS", 10)
SECONDS = envint("RANKFILE_SOAK_SECONDS", 10)
ERROR_SAID = re.compile(r'<li>(?:<a href="#[^"]*">)?([^<]+)</')
VOTE_LINK = re.compile(r'/motions/(\d+)/vote/"')


@dataclass
class Person:
    member: Member
    draft: int
    sent: int


@dataclass
class World:
    people: list[Person]
    mandate: Mandate
    meeting: Meeting


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, seconds: float, response: requests.Response, expected: tuple[int, ...]) -> None:
        with self.lock:
            self.latencies.setdefault(what, []).append(seconds)
            if response.status_code not in expected or "database is locked" in response.text:
                said = ERROR_SAID.findall(response.text) or [response.text[:200]]
                self.problems.append(f"{what}: {response.status_code} {said}")


def world() -> World:
    org = organization()
    convention = body("convention", kind="convention")
    delegates = [member(f"Del{n} Delegate", mfa=False) for n in range(3)]
    for delegate in delegates:
        seat(delegate, convention)
    meeting = actions.meeting_create(bodies=[convention], held_on=timezone.localdate(), title="Convention", by=OPERATOR)
    actions.attendance_record(meeting=meeting, present=[d.person for d in delegates], by=OPERATOR)
    mandate = mandates.mandate_adopt(
        vote=carried(meeting, mover=delegates[0].person),
        title="Publish an apology",
        text="The steering committee publishes an apology to the members.",
        responsible_body=org.steering,
        due_within_days=90,
        visibility="members",
        by=OPERATOR,
    )
    held = actions.meeting_create(bodies=[org.steering], held_on=timezone.localdate(), title="Steering", by=OPERATOR)
    people = [person(f"User{n} Steward", org.steering) for n in range(USERS)]
    actions.attendance_record(meeting=held, present=[p.member.person for p in people], by=OPERATOR)
    return World(people=people, mandate=mandate, meeting=held)


def person(name: str, steering: Body) -> Person:
    """A member of the steering committee (its secretary, so that they record its meetings) with a draft report and
    a report sent to the disciplinary committee."""
    who = member(name, mfa=False)
    who.user.set_password(PASSWORD)
    who.user.save()
    seat_as(who.person, steering, role="secretary")
    draft, _code, _key = intake.report_start(reporter=who.user)
    sent, _code, _key = intake.report_start(reporter=who.user)
    intake.report_save(report=sent, content={"what_happened": "At the meeting."}, key=who.key)
    intake.report_send(report=sent, path=ReportPath.FORMAL, key=who.key)
    return Person(member=who, draft=draft.pk, sent=sent.pk)


def timed(
    tally: Tally,
    what: str,
    expected: tuple[int, ...],
    call: Callable[..., requests.Response],
    *args: Any,
    **kwargs: Any,
) -> str:
    began = time.monotonic()
    response = call(*args, **kwargs)
    tally.add(what, time.monotonic() - began, response, expected)
    return response.text


def use(server: ProductionServer, w: World, number: int, until: float, tally: Tally) -> None:
    """One person for the length of the run: a page, then a write, and so on, at random, as fast as answered."""
    me = w.people[number]
    visitor = Visitor(server.url, address=f"10.1.0.{number + 1}")
    visitor.sign_in(str(me.member.user.email), PASSWORD)
    chance = random.Random(number)
    mandate, meeting = f"/mandates/{w.mandate.reference}/", f"/meetings/{w.meeting.reference}/"
    draft, sent = f"/report/{me.draft}/", f"/report/{me.sent}/"
    n = 0
    while time.monotonic() < until:
        n += 1
        step = chance.choice(["home", "report", "mandate", "autosave", "message", "progress", "vote"])
        if step == "home":
            timed(tally, "read: home page", (200,), visitor.get, "/")
        elif step == "report":
            timed(tally, "read: a sent report", (200,), visitor.get, sent)
        elif step == "mandate":
            timed(tally, "read: a mandate", (200,), visitor.get, mandate)
        elif step == "autosave":
            visitor.get(draft)
            typed = {"what_happened": f"Typed so far, {n}."}
            timed(tally, "write: autosave", (200,), visitor.post, draft + "save/", typed, headers={"HX-Request": "1"})
        elif step == "message":
            visitor.get(sent)
            timed(tally, "write: a message", (302,), visitor.post, sent, {"step": "message", "text": f"Message {n}."})
        elif step == "progress":
            visitor.get(mandate)
            update = {"status": "in_progress", "percent": str(n % 100), "text": f"Update {n}."}
            timed(tally, "write: mandate progress", (302,), visitor.post, mandate, update)
        else:
            visitor.get(meeting)
            motion = {
                "motion-text": f"That we meet {n} times.",
                "motion-mover": me.member.person.pk,
                "motion-threshold": "majority",
            }
            timed(tally, "write: a motion", (302,), visitor.post, meeting + "motions/", motion)
            pending = VOTE_LINK.findall(visitor.get(meeting).text)
            if pending:  # another secretary may record it first: then this one is refused in words
                vote = f"{meeting}motions/{chance.choice(pending)}/vote/"
                visitor.get(vote)
                timed(tally, "write: a vote", (302, 400), visitor.post, vote, {"method": "unanimous"})


@pytest.fixture
def server(tmp_path: Path, settings) -> Iterator[ProductionServer]:
    settings.VAULT_ROOT = tmp_path / "vault"
    (tmp_path / "logs").mkdir()
    served = ProductionServer(log_dir=tmp_path / "logs", vault_root=settings.VAULT_ROOT)
    try:
        yield served
    finally:
        served.stop()


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * share))]


def test_many_people_at_once_meet_no_server_error_and_no_locked_database(server, say):
    w = world()
    votes_before = Vote.objects.count()
    server.start()
    tally = Tally()
    until = time.monotonic() + SECONDS
    threads = [threading.Thread(target=use, args=(server, w, n, until, tally)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.stop()

    everything = [seconds for values in tally.latencies.values() for seconds in values]
    lines = [f"{USERS} people for {SECONDS} s on {server.env['RANKFILE_DATABASE_URL'].split(':')[0]}: "]
    for what, values in sorted(tally.latencies.items()):
        lines.append(
            f"  {what:<26} {len(values):>5} requests  p50 {statistics.median(values) * 1000:>6.0f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:>6.0f} ms"
        )
    lines.append(f"  {'all':<26} {len(everything):>5} requests  p95 {percentile(everything, 0.95) * 1000:.0f} ms")
    say("\n".join(lines))
    assert not tally.problems, "\n".join(tally.problems[:20])
    assert not server.errors_logged(), server.log()
    writes = {what for what in tally.latencies if what.startswith("write")}
    assert writes >= {"write: autosave", "write: a message", "write: mandate progress", "write: a motion"}
    assert Message.objects.count() == len(tally.latencies["write: a message"])
    assert ProgressUpdate.objects.count() == len(tally.latencies["write: mandate progress"])
    assert Vote.objects.count() > votes_before
