"""The demo works on whatever day it is built. With the clock set to several days (the day before the first of June,
when the fixed terms of old ran out; one whose current term began on a 29 February; one some years on), each built
once for a class and rolled back: every national body has its full seats that day and for a year after, the joint
meeting to come can reach its quorum and vote, the respondent's login has a notice to respond to, the process
investigation can seat its panel, and everyone has an address of their own."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

import rankfile
from rankfile.cases import demo as cases_demo
from rankfile.cases import queries as case_queries
from rankfile.cases.actions import panel, process
from rankfile.cases.models import Case, CaseKind, PanelRole, PanelStatus, Stage
from rankfile.elections import demo as elections_demo
from rankfile.governance import actions as governance_actions
from rankfile.governance import demo as governance_demo
from rankfile.governance import queries as governance_queries
from rankfile.governance.models import Mandate, Meeting
from rankfile.ledger.actions import OPERATOR
from rankfile.org import demo as org_demo
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person
from rankfile.vault import keys
from rankfile.voice import demo as voice_demo

pytestmark = pytest.mark.django_db

# Seats filled on the day the demo is built, and a year later: the bodies are full, not one short.
FULL = {
    "national-committee": 24,  # fifteen halfway through their term, nine elected at the last convention
    "steering-committee": 9,  # nine elected; the final case expelled one; the convention's by-election filled it
    "branch-council": 9,
    "disciplinary-committee": 9,
    "appeals-committee": 4,
    "oversight-commission": 5,
}


@contextmanager
def clock_set_to(day: date) -> Iterator[None]:
    """The clock moved to noon on ``day``, and running from there: every ``timezone.now()`` (the demo's dates, the
    actions' and the database defaults') reads the moved clock."""
    real_now = timezone.now
    moved_by = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone()) - real_now()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: real_now() + moved_by)
        yield


def test_the_code_reads_the_clock_only_through_django_timezone():
    """What lets the tests below move the clock for the demo and every action at once."""
    elsewhere = re.compile(r"\b(date\.today|datetime\.(now|utcnow|today))\(")
    found = [
        f"{path}:{number}"
        for path in Path(rankfile.__file__).parent.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if elsewhere.search(line)
    ]
    assert found == []


@dataclass(frozen=True)
class BuiltDemo:
    today: date
    passwords: dict[str, str]  # by email, for the logins the demo prints


@pytest.fixture(scope="class")
def built(request, django_db_setup, django_db_blocker) -> Iterator[BuiltDemo]:
    """The demo as `rankfile demo` builds it, on the class's day, once for its tests; rolled back after the last."""
    day: date = request.cls.day
    with clock_set_to(day), django_db_blocker.unblock(), transaction.atomic():
        assert timezone.localdate() == day
        logins = org_demo.load(members=120)
        governance_demo.load()
        passwords = {login.email: login.password for login in logins}
        case_logins = cases_demo.load(passwords)
        elections_demo.load()
        voice_demo.load(passwords)
        elections_demo.load_running_body()
        passwords |= {login.email: login.password for login in case_logins}
        yield BuiltDemo(today=day, passwords=passwords)
        transaction.set_rollback(True)


def unlocked(email: str, password: str) -> tuple[Person, keys.UnlockedKey]:
    person = Person.objects.select_related("user").get(user__email=email)
    key = keys.person_key_unlock(user=person.user, password=password)
    assert key is not None
    return person, key


class DemoOnADay:
    day: date

    def test_every_national_body_is_full_today_and_a_year_on(self, built):
        assert timezone.localdate() == built.today
        bodies = {body.slug: body for body in Body.objects.filter(slug__in=FULL)}
        for day in (built.today, built.today + timedelta(days=365)):
            seated = {slug: org_queries.seats_on(body=body, day=day).count() for slug, body in bodies.items()}
            assert seated == FULL, day
        chairs = org_queries.seats_on(body=bodies["steering-committee"], day=built.today).filter(role="chair")
        assert [seat.person.name for seat in chairs] == ["Lee Leader"]

    def test_past_meetings_are_past_and_the_joint_and_members_meetings_are_to_come(self, built):
        joint = Meeting.objects.get(bodies__slug="branch-council")
        assert sorted(joint.bodies.values_list("slug", flat=True)) == ["branch-council", "steering-committee"]
        assert joint.held_on > built.today
        members_meeting = Meeting.objects.get(members_meeting__isnull=False)  # the meeting of all members, to come
        assert members_meeting.held_on > built.today
        others = Meeting.objects.exclude(pk__in=[joint.pk, members_meeting.pk])
        assert others.count() == 2
        assert all(meeting.last_day < built.today for meeting in others)
        overdue = [m.title for m in Mandate.objects.all() if m.is_overdue]
        assert sorted(overdue) == ["Publish an apology", "Publish the convention's perspectives"]

    def test_the_joint_meeting_of_the_steering_committee_and_the_branch_council_can_vote(self, built):
        joint = Meeting.objects.get(bodies__slug="branch-council")
        seated = set()
        for body in joint.bodies.all():
            seated |= {seat.person for seat in org_queries.seats_on(body=body, day=joint.held_on)}
        governance_actions.attendance_record(meeting=joint, present=list(seated), by=OPERATOR)
        standing = governance_queries.quorum_of(meeting=joint)
        assert standing.quorate
        assert {quorum.body.slug: quorum.seated for quorum in standing.bodies} == {
            "branch-council": FULL["branch-council"],
            "steering-committee": FULL["steering-committee"],
        }
        motion = governance_actions.motion_make(
            meeting=joint,
            text="That the branches' comments be sent to the Affirmative Action Subcommittee.",
            mover=next(iter(seated)),
            by=OPERATOR,
        )
        assert governance_actions.vote_record(motion=motion, method="unanimous", by=OPERATOR).result == "carried"

    def test_the_respondent_login_has_a_notice_to_respond_to(self, built):
        ray, key = unlocked("respondent@example.org", built.passwords["respondent@example.org"])
        assert ray.user is not None
        waiting = list(case_queries.cases_as_party(user=ray.user, key=key))  # told of a case with its notice
        assert [case.stage for case in waiting] == [Stage.RESPONSE]
        due = [timezone.localtime(d.due_at).date() for d in case_queries.case_deadlines(case=waiting[0])]
        assert due
        assert all(day > built.today for day in due)
        process.response_file(case=waiting[0], text="I answer the notice.", key=key, by=ray.user)
        waiting[0].refresh_from_db()
        assert waiting[0].stage != Stage.RESPONSE

    def test_the_process_investigation_can_seat_its_panel(self, built):
        investigation = Case.objects.get(kind=CaseKind.PROCESS)
        assert investigation.stage == Stage.PANEL
        oona, key = unlocked("oversight@example.org", built.passwords["oversight@example.org"])
        free = [
            person
            for person in case_queries.panel_candidates(case=investigation, day=built.today)
            if panel.exclusion_reason(investigation, person, role=PanelRole.DECISION_MAKER) is None
        ]
        assert len(free) == 4  # a spare beyond the panel of three
        roles = [PanelRole.INVESTIGATOR, PanelRole.DECISION_MAKER, PanelRole.DECISION_MAKER]
        for person, role in zip(free, roles, strict=False):
            member = panel.panelist_propose(case=investigation, person=person, role=role, by=oona.user)
            panel.conflict_declare(member=member, conflict=False, by=person.user)
        assert len(panel.panel_seat(case=investigation, by=oona.user, key=key)) == 3
        assert investigation.panel.filter(status=PanelStatus.SEATED).count() == 3

    def test_everyone_has_an_address_of_their_own_made_from_their_name(self, built):
        people = list(Person.objects.select_related("user"))
        addresses = [person.email for person in people]
        assert all(address.endswith("@example.org") for address in addresses)
        assert len(set(addresses)) == len(addresses) == 120 + 17
        invented = [person for person in people if person.user is None]
        assert invented
        assert all(person.email == org_demo.email_for(person.name) for person in invented)

    def test_members_voice_has_a_concern_due_soon_a_petition_placed_and_a_meeting_next_month(self, built):
        from rankfile.voice.models import Concern, MembersMeeting, Petition

        waiting = Concern.objects.get(answered_at__isnull=True)
        assert built.today < timezone.localtime(waiting.due_at).date() <= built.today + timedelta(days=7)
        placed = Petition.objects.get(aim="agenda_item")
        assert placed.placed_on == Meeting.objects.get(bodies__slug="branch-council")  # the joint meeting to come
        held_on = MembersMeeting.objects.get().meeting.held_on
        next_month = (built.today.replace(day=1) + timedelta(days=32)).replace(day=1)
        assert (held_on.year, held_on.month) == (next_month.year, next_month.month)
        assert Petition.objects.get(aim="special_meeting").placed_on == MembersMeeting.objects.get().meeting


class TestTheDemoBuiltTheDayBeforeJune(DemoOnADay):
    day = date(2025, 5, 31)


class TestTheDemoWhoseTermBeganOnALeapDay(DemoOnADay):
    day = date(2028, 2, 29) + timedelta(days=org_demo.CURRENT_TERM_BEGAN_DAYS_AGO)  # terms of old began on a 28th


class TestTheDemoBuiltYearsOn(DemoOnADay):
    day = date(2033, 9, 15)
