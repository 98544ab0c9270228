"""The world the access matrix walks (tests/web/test_access_matrix.py), made through the actions: an organization;
three cases (before the notice, after it, and decided and final after an appeal), a private record, a meeting with a
carried motion, two mandates, an invitation and a recovery request waiting for the trustees; and the people who look
at it, each signed in with their key unlocked (as signing in does).

``THINGS`` says what a route's parameters name: the real things of this world (each with the personas assigned to
it, by part) and a made-up one of the same shape.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from rankfile.accounts import actions as account_actions
from rankfile.accounts import recovery
from rankfile.cases.actions import decisions, intake, panel, process
from rankfile.cases.models import (
    AppealOutcome,
    Case,
    CaseDocument,
    Decision,
    PanelRole,
    PanelStatus,
    Report,
    ReportPath,
    Stage,
)
from rankfile.elections import actions as election_actions
from rankfile.elections.models import Election, Nomination
from rankfile.governance import mandates
from rankfile.governance.models import Mandate, Meeting, Motion
from rankfile.ledger import actions as ledger
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org.models import Body, Person, Seat
from rankfile.transparency import actions as transparency_actions
from rankfile.transparency.models import ReportStatus as TransparencyStatus
from rankfile.transparency.models import TransparencyReport
from rankfile.vault import documents
from rankfile.voice import actions as voice_actions
from rankfile.voice import (
    bulletin,
    caucus_files,
    caucus_invitations,
    caucus_meetings,
    caucus_support,
    members_meetings,
    statements,
)
from rankfile.voice.bulletin_models import BulletinIssue, Contribution
from rankfile.voice.models import Caucus, Concern, MembersMeeting, Petition, PetitionAim, Statement
from tests.cases import casebuilders as cb
from tests.cases.builders import Member, member, seat
from tests.cases.helpers import signed_in
from tests.org.builders import body
from tests.vault.helpers import PDF, key_for
from tests.voice.helpers import bulletin_editors_named

# Who looks, by persona: the organization's member each one is (None: nobody signed in).
PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "leader": "lee",  # sits on the steering committee, the body responsible for the mandates
    "site_admin": "sita",  # what `createsuperuser` makes; not a member
    "member": "mo",  # a member, and nothing more
    "oversight": "olu",  # sits on the oversight commission; holds a share of the recovery key
    "panelist": "dora",  # a decision-maker seated on every case's panel, and a handler of their reports
    "excluded_panelist": "xena",  # on the disciplinary committee; sits on a branch with the respondents
    "recused_panelist": "dale",  # seated on every case's panel, then stepped down
    "appeals_hearer": "abe",  # hears the appeal of the final case
    "reporter_before_notice": "bea",
    "respondent_before_notice": "ben",
    "reporter_after_notice": "rae",
    "respondent_after_notice": "ray",
}
# The parties, by case: (reporter, respondent). Rae and Ray are the parties of the final case too (Rae's first report,
# decided with a written warning): a party to one case is an outsider to the others all the same.
PARTIES = {
    "before_notice": ("reporter_before_notice", "respondent_before_notice"),
    "after_notice": ("reporter_after_notice", "respondent_after_notice"),
    "final": ("reporter_after_notice", "respondent_after_notice"),
}
SEATED = frozenset({"panelist"})  # of the personas; Dana (the investigator) and Dev sit beside Dora
MADE_UP_NUMBER = 987654
MEMBERS_AND_ADMIN = frozenset(p for p, login in PERSONAS.items() if login is not None)
EDITORS = frozenset({"leader"})  # the bulletin's: the bylaws name the steering committee, on which Lee sits
# Cleo, the convention's chair, records its meetings and publishes its statements. She is no persona (her seat would
# make her run the elections and record overrides): she only proves that the recorders' forms change something, so
# that everyone else's refusal there, a site administrator's included, is a refusal of access.
RECORDER = "convention_chair"


@dataclass(frozen=True)
class Target:
    """A real thing a route can name: its label, the route's parameters, and who is assigned to it (persona keys, by
    part: "panel", "told", "reporter", "handlers", ...)."""

    label: str
    kwargs: dict[str, Any]
    assigned: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class World:
    org: cb.Org
    people: dict[str, Member]
    cases: dict[str, Case]
    report: Report  # the report of the case before notice, with a file of evidence
    evidence_pk: int
    record: Report  # a private record of Rae's
    decision: Decision  # the final case's
    panel_file: CaseDocument  # a file of the final case's panel
    party_file: CaseDocument  # a file of the final case's respondent
    meeting: Meeting
    motion: Motion  # carried, about Ray
    mandates: dict[str, Mandate]  # "members", "public"
    calendar_token: str
    invitation: tuple[int, str]  # its id, and the token in its address
    recovery_pk: int
    api_token_pk: int  # the leader's
    adviser_party_pk: int  # the reporter's party of the case after notice, who asked Mo to advise her
    branch: Body
    seat: Seat  # the leader's, on the steering committee
    clients: dict[str, Client] = field(default_factory=dict)
    # "nominating": nominations open, Lee has nominated Mo (who has not answered); "voting": an online ballot of the
    # members in good standing, open, with Lee standing. The convention (its chair, no persona) runs both.
    elections: dict[str, Election] = field(default_factory=dict)
    nomination: Nomination | None = None
    # Members' voice: a listed caucus that Mo, Bea and Ben founded, whose conveners approve who joins, with Ray's
    # request waiting, Dora (the panelist) invited, and on the support card; Rae's signed concern to the steering
    # committee, and Bea's private one.
    caucus: Caucus | None = None
    join_request_pk: int = 0
    caucus_file_pk: int = 0  # a file Mo added to the caucus's space
    caucus_meeting_pk: int = 0  # a meeting of the caucus, held today, that Mo scheduled
    concerns: dict[str, Concern] = field(default_factory=dict)
    # Rae's petition to the steering committee for a special meeting, signed by her alone (short of the threshold).
    petition: Petition | None = None
    # The bulletin, edited by the steering committee (Lee): Mo's contribution waiting for review, another of Mo's
    # with Lee's edit waiting for Mo's answer, Dora's published in issue 1, and Rae's accepted for the next issue.
    contributions: dict[str, Contribution] = field(default_factory=dict)
    issue: BulletinIssue | None = None
    # The convention's public apology and its members-only statement, both adopted by the world's carried vote;
    # another carried vote of the convention, for a new version; a meeting of all members today, that it called.
    statements: dict[str, Statement] = field(default_factory=dict)
    statement_vote: str = ""
    members_meeting: MembersMeeting | None = None
    # Transparency reports: "draft" (this half year's, for the oversight commission to review), "members" and
    # "public" (earlier half years', published to the members and to everyone).
    transparency: dict[str, TransparencyReport] = field(default_factory=dict)
    # A caucus of the older kind (a body of kind caucus), on which Dora (the panelist) sits: nobody by rank learns it.
    old_caucus: Body | None = None
    old_caucus_seat: Seat | None = None
    old_caucus_seated: Entry | None = None  # the ledger's entry of that seat

    def person(self, persona: str) -> Person:
        return self.people[str(PERSONAS[persona])].person

    def user(self, persona: str) -> Any:
        login = PERSONAS[persona]
        return self.people[login].user if login else AnonymousUser()

    @property
    def vote_reference(self) -> str:
        return self.motion.vote.reference


# --- the world, built through the actions ---------------------------------------------------------------------------


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _report(org: cb.Org, *, reporter: str, respondent: str, evidence: bool = False) -> Report:
    """A formal report (with a file of evidence, if asked), sent and acknowledged."""
    who = org[reporter]
    report, _code, _unlocked = intake.report_start(reporter=who.user, path=ReportPath.FORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=who.key)
    if evidence:
        intake.report_evidence_add(report=report, upload=_pdf("photo.pdf"), key=who.key)
    intake.report_send(report=report, path=ReportPath.FORMAL, key=who.key, respondent=org[respondent].person)
    intake.report_acknowledge(report=report, by=org["dana"].user)
    report.refresh_from_db()
    return report


def _seated_case(org: cb.Org, report: Report) -> Case:
    """The report's case with the standard panel seated, and Dale beside it, who then steps down; Xena, proposed,
    is excluded at once."""
    case = cb.opened(org, report)
    cb.proposed_and_declared(org, case, {**cb.STANDARD_PANEL, "dale": PanelRole.DECISION_MAKER})
    xena = panel.panelist_propose(
        case=case, person=org["xena"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert xena.status == PanelStatus.EXCLUDED, xena.reason
    panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    panel.panelist_recuse(member=case.panel.get(person=org["dale"].person), by=org["dale"].user)
    case.refresh_from_db()
    return case


def _final_case(org: cb.Org) -> tuple[Case, Decision, CaseDocument, CaseDocument]:
    """Rae's first report about Ray, through every step: a file of the panel's and one of Ray's, a decision (a
    written warning), Ray's appeal, dismissed by the appeals committee."""
    case = _seated_case(org, _report(org, reporter="rae", respondent="ray"))
    dana, ray = org["dana"], org["ray"]
    cb.give_notice(org, case)
    process.response_file(case=case, text="I deny both.", key=ray.key, by=ray.user)
    panel_file = process.document_add(case=case, kind="evidence", title="Photo", upload=_pdf("p.pdf"), by=dana.user)
    party_file = process.party_document_add(
        case=case, kind="evidence", title="Mine", upload=_pdf("r.pdf"), key=ray.key, by=ray.user
    )
    cb.for_decision(org, cb.reviewed(org, case))
    decision = cb.decided(org, sanctions=("warning",), case=case)
    appeal = decisions.appeal_lodge(
        case=case, grounds=["disproportionate_sanction"], statement="Too much.", key=ray.key, by=ray.user
    )
    decisions.appeal_record_send(appeal=appeal, by=dana.user, key=dana.key)
    decisions.appeal_decide(
        appeal=appeal, outcome=AppealOutcome.DISMISSED, rationale="The warning stands.", by=org["abe"].user
    )
    case.refresh_from_db()
    decision.refresh_from_db()
    assert case.stage == Stage.FINAL, case.stage
    return case, decision, panel_file, party_file


def _record(org: cb.Org, reporter: str) -> Report:
    """A private record: nobody but its reporter may know of it."""
    who = org[reporter]
    report, _code, _unlocked = intake.report_start(reporter=who.user, path=ReportPath.RECORD_ONLY)
    intake.report_save(report=report, content=cb.WHAT, key=who.key)
    intake.report_send(report=report, path=ReportPath.RECORD_ONLY, key=who.key)
    report.refresh_from_db()
    return report


def _site_admin() -> Member:
    user = get_user_model().objects.create_superuser(email="sita@example.org", password=None, name="Sita Admin")
    return Member(person=None, user=user, key=key_for(user))  # type: ignore[arg-type]


def _recovery_request(org: cb.Org, admin: Member) -> int:
    """The oversight commission holds the recovery key; a hand-over of something sealed to Mo waits for them."""
    trustees = [org[name].user for name in ("olu", "oren", "oona")]
    recovery.recovery_setup(trustees=trustees, threshold=2, by=admin.user)
    with transaction.atomic():
        version = documents.seal(kind="statement", content="Handed over.", readers=[org["mo"].key.keypair])
    return recovery.hand_over_request(versions=[version], targets=[org["lee"].key.keypair], by=admin.user).pk


def build() -> World:
    org = cb.full_organization()
    people = org.base.people
    people["mo"] = member("Mo Member", mfa=False)
    people["xena"] = member("Xena Excluded")
    people["bea"] = member("Bea Reporter", mfa=False)
    people["ben"] = member("Ben Respondent", mfa=False)
    seat(people["xena"], org.disciplinary)
    branch = body("east-branch", kind="branch")
    for name in ("xena", "ray", "ben"):
        seat(people[name], branch)
    admin = _site_admin()  # kept out of the organization's people: not a member
    recovery_pk = _recovery_request(org, admin)

    # The final case first: its evidence review runs the timers eleven days ahead.
    final, decision, panel_file, party_file = _final_case(org)
    report = _report(org, reporter="bea", respondent="ben", evidence=True)
    before = _seated_case(org, report)
    after = cb.noticed(org, _seated_case(org, _report(org, reporter="rae", respondent="ray")))

    motion = Motion.objects.get(vote__reference=cb.convention_vote(org, about="ray"))
    adopted = {
        visibility: mandates.mandate_adopt(
            vote=motion.vote,
            title=f"Publish the accounts ({visibility})",
            text="The steering committee publishes the accounts.",
            responsible_body=org.steering,
            due_within_days=90,
            visibility=visibility,
            by=OPERATOR,
        )
        for visibility in ("members", "public")
    }
    issued = account_actions.invitation_create(email="newcomer@example.org", name="New Comer", by=admin.user)
    world = World(
        org=org,
        people={**people, "sita": admin},
        cases={"before_notice": before, "after_notice": after, "final": final},
        report=report,
        evidence_pk=report.evidence.values_list("pk", flat=True).get(),
        record=_record(org, "rae"),
        decision=decision,
        panel_file=panel_file,
        party_file=party_file,
        meeting=motion.meeting,
        motion=motion,
        mandates=adopted,
        calendar_token=mandates.calendar_feed_renew(by=people["mo"].user).token(),
        invitation=(issued.invitation.pk, issued.url.rstrip("/").rsplit("/", 1)[1]),
        recovery_pk=recovery_pk,
        api_token_pk=account_actions.api_token_create(user=people["lee"].user, name="For the tracker").api_token.pk,
        adviser_party_pk=panel.adviser_name(
            case=after, adviser=people["mo"].person, key=people["rae"].key, by=people["rae"].user
        ).pk,
        branch=branch,
        seat=Seat.objects.get(person=people["lee"].person, body=org.steering),
    )
    world.elections, world.nomination = _elections(org, people)
    world.caucus, world.join_request_pk, world.concerns = _voice(org, people)
    world.caucus_file_pk = caucus_files.caucus_file_add(
        caucus=world.caucus,
        upload=SimpleUploadedFile("plan.txt", b"The plan."),
        by=people["mo"].user,
        key=people["mo"].key,
    ).pk
    caucus_invitations.caucus_invite(
        caucus=world.caucus, person=people["dora"].person, note="Join us.", by=people["mo"].user
    )
    caucus_support.caucus_support_card_set(caucus=world.caucus, listed=True, by=people["mo"].user)
    world.caucus_meeting_pk = caucus_meetings.caucus_meeting_schedule(
        caucus=world.caucus, held_on=timezone.localdate(), agenda="Our plans.", by=people["mo"].user
    ).pk
    world.petition = voice_actions.petition_start(
        body=org.steering,
        aim=PetitionAim.SPECIAL_MEETING,
        title="Meet about the budget",
        text="Please.",
        by=people["rae"].user,
    )
    world.contributions, world.issue = _bulletin(people)
    world.statements, world.statement_vote, world.members_meeting = _statements(org, people, world.vote_reference)
    world.transparency = _transparency()
    world.old_caucus = body("disability-caucus", kind="caucus")
    seat(people["dora"], world.old_caucus)
    world.old_caucus_seat = Seat.objects.select_related("person").get(
        person=people["dora"].person, body=world.old_caucus
    )
    world.old_caucus_seated = Entry.objects.get(action="org.person_seated", subject_id=world.old_caucus_seat.pk)
    ledger.checkpoint_create()  # as committing would: the entries' proofs are public from here
    for persona, login in PERSONAS.items():
        who = world.people[login] if login else None
        world.clients[persona] = signed_in(who.user, who.key) if who else Client()
    world.clients[RECORDER] = signed_in(world.people["cleo"].user, world.people["cleo"].key)
    return world


def _transparency() -> dict[str, TransparencyReport]:
    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    earlier = [f"{today.year - 1}H{half}", f"{today.year - 1}H{3 - half}"]
    found = {"draft": transparency_actions.report_draft(period=f"{today.year}H{half}", by=OPERATOR)}
    for key, period in zip(("members", "public"), earlier, strict=True):
        report = transparency_actions.report_draft(period=period, by=OPERATOR)
        # Published as a carried vote would publish it (the vote itself is the publishing tests' business).
        TransparencyReport.objects.filter(pk=report.pk).update(
            status=TransparencyStatus.PUBLISHED, audience=key, vote_reference="OC-2026-M1", published_at=timezone.now()
        )
        report.refresh_from_db()
        found[key] = report
    return found


def _elections(org: cb.Org, people: dict[str, Member]) -> tuple[dict[str, Election], Nomination]:
    chair = people["cleo"].user
    now = timezone.now()
    hour, day = timedelta(hours=1), timedelta(days=1)
    timetable: dict[str, Any] = {
        "nominations_open_at": now - hour,
        "nominations_close_at": now + day,
        "voting_open_at": now + 2 * day,
        "voting_close_at": now + 3 * day,
    }
    common: dict[str, Any] = {
        "body": org.steering,
        "seats": 1,
        "term_starts_on": timezone.localdate() + 30 * day,
        "method": "approval",
        "ballot_kind": "online",
        "by": chair,
    }
    nominating = election_actions.election_call(
        title="Steering committee", electorate="body", electorate_body=org.convention, **timetable, **common
    )
    nomination = election_actions.nomination_make(
        election=nominating, nominee=people["mo"].person, by=people["lee"].user
    )
    voting = election_actions.election_call(
        title="Steering committee (by-election)",
        electorate="members",
        electorate_on=timezone.localdate(),
        **timetable,
        **common,
    )
    election_actions.nomination_make(election=voting, nominee=people["lee"].person, by=people["lee"].user)
    # The world's clock moves on to the vote (a test's clock: the timetable moved back, not an action).
    Election.objects.filter(pk=voting.pk).update(**{name: at - 2 * day - hour for name, at in timetable.items()})
    voting.refresh_from_db()
    election_actions.voting_open(election=voting, by=chair)
    return {"nominating": nominating, "voting": voting}, nomination


def _voice(org: cb.Org, people: dict[str, Member]) -> tuple[Caucus, int, dict[str, Concern]]:
    mo, bea, ben = people["mo"], people["bea"], people["ben"]
    caucus = voice_actions.caucus_propose(
        name="Survivors' caucus",
        purpose="Support.",
        founding_statement="We support one another.",
        join_rule="approval",
        listed=True,
        founders=[bea.person, ben.person],
        by=mo.user,
    )
    for founder in (bea, ben):
        voice_actions.founding_sign(caucus=caucus, by=founder.user)
    voice_actions.caucus_post(caucus=caucus, text="Tuesday.", by=mo.user, key=mo.key)
    asked = voice_actions.caucus_join(caucus=caucus, by=people["ray"].user)
    concerns = {
        key: voice_actions.concern_raise(
            body=org.steering, title=f"{key} concern", text="Why?", anonymous=False, private=key == "private", by=who
        )
        for key, who in (("signed", people["rae"].user), ("private", bea.user))
    }
    return caucus, asked.pk, concerns


def _bulletin(people: dict[str, Member]) -> tuple[dict[str, Contribution], BulletinIssue]:
    bulletin_editors_named("steering-committee")
    mo, lee = people["mo"].user, people["lee"].user

    def submitted(who: Any, title: str) -> Contribution:
        return bulletin.contribution_submit(title=title, body="Dear members.", by=who)

    published = submitted(people["dora"].user, "On meetings")
    bulletin.contribution_accept(contribution=published, by=lee)
    issue = bulletin.issue_publish(by=lee)
    bulletin.contribution_accept(contribution=submitted(people["rae"].user, "On dues"), by=lee)
    edited = submitted(mo, "On the budget")
    bulletin.edit_propose(contribution=edited, title="On our budget", body="Dear comrades.", by=lee)
    return {"in review": submitted(mo, "On caucuses"), "edited": edited, "published": published}, issue


def _statements(org: cb.Org, people: dict[str, Member], vote: str) -> tuple[dict[str, Statement], str, MembersMeeting]:
    chair = people["cleo"].user
    published = {
        visibility: statements.statement_publish(
            body=org.convention,
            kind="apology" if visibility == "public" else "statement",
            visibility=visibility,
            title=f"The convention's word ({visibility})",
            text="We are sorry.",
            vote_reference=vote,
            by=chair,
        )
        for visibility in ("public", "members")
    }
    another = cb.convention_vote(org, text="That the apology be fuller.", about="", effect="")
    called = members_meetings.members_meeting_call(
        body=org.convention, held_on=timezone.localdate(), title="All members", by=chair
    )
    return published, another, called


# --- what a route's parameters name ---------------------------------------------------------------------------------


def made_up(reference: str) -> str:
    """A reference of the same shape that names nothing."""
    return re.sub(r"\d+$", "987", reference) if reference[-1:].isdigit() else f"{reference}-987"


def case_parts(world: World, key: str) -> dict[str, frozenset[str]]:
    """Who a case names: its seated panel, its parties (those already told of it), the appeals body's hearers."""
    reporter, respondent = PARTIES[key]
    told = {reporter} | ({respondent} if world.cases[key].noticed_at else set())
    return {
        "panel": SEATED,
        "parties": frozenset({reporter, respondent}),
        "told": frozenset(told),
        "appeals": frozenset({"appeals_hearer"}) if key == "final" else frozenset(),
    }


def _cases(world: World) -> list[Target]:
    return [Target(key, {"reference": c.reference}, case_parts(world, key)) for key, c in world.cases.items()]


STEP_ROUTE = "api:case_step_"  # one API route per step of the step table: api:case_step_notice_draft, …


def step_things(step: str) -> "Things":
    """One step of the API, on the case whose respondent is not told yet and on the final one (whose decision someone
    may try to set aside)."""
    return Things(
        lambda w: [
            Target(f"{t.label}, step {step}", t.kwargs, t.assigned) for t in _cases(w) if t.label != "after_notice"
        ],
        _no_case,
    )


def _reports(world: World) -> list[Target]:
    return [
        Target(
            "report of the case before notice",
            {"pk": world.report.pk},
            {"reporter": frozenset({"reporter_before_notice"}), "handlers": SEATED},
        ),
        Target("private record", {"pk": world.record.pk}, {"reporter": frozenset({"reporter_after_notice"})}),
    ]


def _report_and(world: World, name: str, value: int, label: str) -> list[Target]:
    report = _reports(world)[0]
    return [Target(label, {**report.kwargs, name: value}, report.assigned)]


def _final_and(world: World, label: str, **more: Any) -> list[Target]:
    parts = case_parts(world, "final")
    return [Target(label, {"reference": world.cases["final"].reference, **more}, parts)]


def _one(label: str, **kwargs: Any) -> list[Target]:
    return [Target(label, kwargs)]


@dataclass(frozen=True)
class Things:
    real: Callable[[World], list[Target]]
    made_up: Callable[[World], dict[str, Any]]
    varies: str = ""  # a parameter that names nothing (an API step): the page is opened once, posted to for each


def _no_case(world: World, **more: Any) -> dict[str, Any]:
    return {"reference": made_up(world.cases["final"].reference), **more}


NUMBER = MADE_UP_NUMBER
# Who reads each transparency report on the members' pages: a draft, its reviewers (the oversight commission, also
# its publisher); a published one, the members in good standing and site administrators (a signed-out visitor is
# asked to sign in). A public one is also on the public pages, for anyone.
TRANSPARENCY_READERS = {
    "draft": frozenset({"oversight"}),
    "members": frozenset(p for p, login in PERSONAS.items() if login is not None),
    "public": frozenset(p for p, login in PERSONAS.items() if login is not None),
}
CASE = Things(_cases, _no_case)
REPORT = Things(_reports, lambda w: {"pk": NUMBER})
REPORT_FILE = Things(
    lambda w: _report_and(w, "file_pk", w.evidence_pk, "evidence of the report"),
    lambda w: {"pk": NUMBER, "file_pk": NUMBER},
)
DECISION = Things(lambda w: _final_and(w, "the final decision", pk=w.decision.pk), lambda w: _no_case(w, pk=NUMBER))

# Keyed by the namespace and each parameter with the path segment before it, so that a new route naming the same
# things is filled as it is; one naming anything else fails the matrix until it is taught here.
THINGS: dict[tuple[str, tuple[tuple[str, str], ...]], Things] = {
    ("cases", (("report", "pk"),)): REPORT,
    ("cases", (("report", "pk"), ("files", "file_pk"))): REPORT_FILE,
    ("cases", (("report", "pk"), ("conflict", "person_pk"))): Things(
        lambda w: _report_and(w, "person_pk", w.people["dana"].person.pk, "a handler of the report"),
        lambda w: {"pk": NUMBER, "person_pk": NUMBER},
    ),
    ("cases", (("cases", "pk"),)): REPORT,
    ("cases", (("cases", "pk"), ("files", "file_pk"))): REPORT_FILE,
    ("cases", (("case", "reference"),)): CASE,
    ("cases", (("panel", "reference"),)): CASE,
    ("cases", (("mine", "reference"),)): CASE,
    ("cases", (("appeal", "reference"),)): CASE,
    ("cases", (("case", "reference"), ("files", "pk"))): Things(
        lambda w: _final_and(w, "a file of the panel's", pk=w.panel_file.pk), lambda w: _no_case(w, pk=NUMBER)
    ),
    ("cases", (("mine", "reference"), ("files", "pk"))): Things(
        lambda w: [
            Target(
                "a file of the respondent's",
                {"reference": w.cases["final"].reference, "pk": w.party_file.pk},
                {**case_parts(w, "final"), "readers": frozenset({"respondent_after_notice"})},
            )
        ],
        lambda w: _no_case(w, pk=NUMBER),
    ),
    ("cases", (("case", "reference"), ("reports", "report_pk"), ("files", "pk"))): Things(
        lambda w: [
            Target(
                "evidence of the case's report",
                {"reference": w.cases["before_notice"].reference, "report_pk": w.report.pk, "pk": w.evidence_pk},
                case_parts(w, "before_notice"),
            )
        ],
        lambda w: _no_case(w, report_pk=NUMBER, pk=NUMBER),
    ),
    ("cases", (("case", "reference"), ("decision", "pk"))): DECISION,
    ("cases", (("mine", "reference"), ("decision", "pk"))): DECISION,
    ("api", (("cases", "reference"),)): CASE,
    ("api", (("entries", "seq"),)): Things(lambda w: _one("the first entry", seq=1), lambda w: {"seq": NUMBER}),
    ("ledger", (("entries", "seq"),)): Things(lambda w: _one("the first entry", seq=1), lambda w: {"seq": NUMBER}),
    ("governance", (("mandates", "reference"),)): Things(
        lambda w: [
            Target(
                f"{key} mandate",
                {"reference": m.reference},
                {"public": frozenset(PERSONAS) if key == "public" else frozenset()},
            )
            for key, m in w.mandates.items()
        ],
        lambda w: {"reference": made_up(w.mandates["members"].reference)},
    ),
    ("governance", (("calendar", "token"),)): Things(
        lambda w: _one("Mo's calendar", token=w.calendar_token), lambda w: {"token": "x" * len(w.calendar_token)}
    ),
    ("governance", (("meetings", "reference"),)): Things(
        lambda w: _one("the convention", reference=w.meeting.reference),
        lambda w: {"reference": made_up(w.meeting.reference)},
    ),
    ("governance", (("meetings", "reference"), ("motions", "number"))): Things(
        lambda w: _one("its carried motion", reference=w.meeting.reference, number=w.motion.number),
        lambda w: {"reference": made_up(w.meeting.reference), "number": NUMBER},
    ),
    ("org", (("bodies", "slug"),)): Things(
        lambda w: [
            Target("the disciplinary committee", {"slug": w.org.disciplinary.slug}),
            Target("the old caucus", {"slug": w.old_caucus.slug}, {"caucus_seat": frozenset({"panelist"})}),  # type: ignore[union-attr]
        ],
        lambda w: {"slug": "no-such-body"},
    ),
    ("org", (("people", "pk"),)): Things(
        lambda w: _one("the respondent before notice", pk=w.person("respondent_before_notice").pk),
        lambda w: {"pk": NUMBER},
    ),
    ("org", (("seats", "pk"),)): Things(
        lambda w: [
            Target("the leader's seat", {"pk": w.seat.pk}, {"seat_managers": frozenset({"site_admin"})}),
            Target("Dora's seat on the old caucus", {"pk": w.old_caucus_seat.pk}),  # type: ignore[union-attr]
        ],
        lambda w: {"pk": NUMBER},
    ),
    ("org", (("bylaws", "number"),)): Things(
        lambda w: _one("the first bylaws", number=1), lambda w: {"number": NUMBER}
    ),
    ("elections", (("elections", "reference"),)): Things(
        lambda w: [
            Target("the election in nominations", {"reference": w.elections["nominating"].reference}),
            Target(
                "the election in voting",
                {"reference": w.elections["voting"].reference},
                {"electors": frozenset(p for p, login in PERSONAS.items() if login not in (None, "sita"))},
            ),
        ],
        lambda w: {"reference": made_up(w.elections["voting"].reference)},
    ),
    ("elections", (("elections", "reference"), ("nominations", "number"))): Things(
        lambda w: [
            Target(
                "Mo's nomination",
                {"reference": w.elections["nominating"].reference, "number": w.nomination.pk},  # type: ignore[union-attr]
                {"nominee": frozenset({"member"})},
            )
        ],
        lambda w: {"reference": made_up(w.elections["nominating"].reference), "number": NUMBER},
    ),
    ("accounts", (("invite", "token"),)): Things(
        lambda w: _one("an open invitation", token=w.invitation[1]), lambda w: {"token": "x" * len(w.invitation[1])}
    ),
    ("accounts", (("invitations", "pk"),)): Things(
        lambda w: _one("an open invitation", pk=w.invitation[0]), lambda w: {"pk": NUMBER}
    ),
    ("accounts", (("api-tokens", "pk"),)): Things(
        lambda w: [Target("the leader's token", {"pk": w.api_token_pk}, {"owner": frozenset({"leader"})})],
        lambda w: {"pk": NUMBER},
    ),
    ("cases", (("advise", "reference"), ("", "party_pk"))): Things(
        lambda w: [
            Target(
                "Mo asked to advise the reporter",
                {"reference": w.cases["after_notice"].reference, "party_pk": w.adviser_party_pk},
                {"adviser": frozenset({"member"})},
            )
        ],
        lambda w: {"reference": "C-1999-9", "party_pk": NUMBER},
    ),
    ("accounts", (("recovery", "pk"),)): Things(
        lambda w: [Target("a hand-over waiting", {"pk": w.recovery_pk}, {"trustees": frozenset({"oversight"})})],
        lambda w: {"pk": NUMBER},
    ),
    ("voice", (("caucuses", "pk"),)): Things(
        lambda w: [
            Target(
                "the caucus",
                {"pk": w.caucus.pk},  # type: ignore[union-attr]
                {"caucus": frozenset({"member"}), "invited": frozenset({"panelist"})},
            )
        ],
        lambda w: {"pk": NUMBER},
    ),
    ("voice", (("caucuses", "pk"), ("requests", "member_pk"))): Things(
        lambda w: [
            Target(
                "Ray's request to join",
                {"pk": w.caucus.pk, "member_pk": w.join_request_pk},  # type: ignore[union-attr]
                {"caucus": frozenset({"member"})},
            )
        ],
        lambda w: {"pk": w.caucus.pk, "member_pk": NUMBER},  # type: ignore[union-attr]
    ),
    ("voice", (("caucuses", "pk"), ("files", "file_pk"))): Things(
        lambda w: [
            Target(
                "a file of the caucus",
                {"pk": w.caucus.pk, "file_pk": w.caucus_file_pk},  # type: ignore[union-attr]
                {"caucus": frozenset({"member"})},
            )
        ],
        lambda w: {"pk": w.caucus.pk, "file_pk": NUMBER},  # type: ignore[union-attr]
    ),
    ("voice", (("caucuses", "pk"), ("meetings", "meeting_pk"))): Things(
        lambda w: [
            Target(
                "a meeting of the caucus",
                {"pk": w.caucus.pk, "meeting_pk": w.caucus_meeting_pk},  # type: ignore[union-attr]
                {"caucus": frozenset({"member"})},
            )
        ],
        lambda w: {"pk": w.caucus.pk, "meeting_pk": NUMBER},  # type: ignore[union-attr]
    ),
    ("voice", (("support", "pk"),)): Things(
        lambda w: _one("the caucus on the support card", pk=w.caucus.pk),  # type: ignore[union-attr]
        lambda w: {"pk": NUMBER},
    ),
    ("voice", (("concerns", "reference"),)): Things(
        lambda w: [
            Target(
                "a signed concern",
                {"reference": w.concerns["signed"].reference},
                {
                    "concern_readers": MEMBERS_AND_ADMIN,
                    "asked": frozenset({"leader"}),
                    "concern_author": frozenset({"reporter_after_notice"}),
                },
            ),
            Target(
                "a private concern",
                {"reference": w.concerns["private"].reference},
                {"concern_readers": frozenset({"leader", "oversight"}), "asked": frozenset({"leader"})},
            ),
        ],
        lambda w: {"reference": made_up(w.concerns["signed"].reference)},
    ),
    ("voice", (("statements", "reference"),)): Things(
        lambda w: [
            Target(
                f"a {key} statement",
                {"reference": statement.reference},
                {"public": frozenset(PERSONAS) if key == "public" else frozenset()},
            )
            for key, statement in w.statements.items()
        ],
        lambda w: {"reference": made_up(w.statements["public"].reference)},
    ),
    ("voice", (("meetings", "reference"),)): Things(
        lambda w: _one("the meeting of all members", reference=w.members_meeting.meeting.reference),  # type: ignore[union-attr]
        lambda w: {"reference": made_up(w.members_meeting.meeting.reference)},  # type: ignore[union-attr]
    ),
    ("transparency", (("transparency", "pk"),)): Things(
        lambda w: [
            Target(
                f"the transparency report ({key})",
                {"pk": report.pk},
                {
                    "report_readers": TRANSPARENCY_READERS[key],
                    "public_readers": frozenset(PERSONAS) if key == "public" else frozenset(),
                },
            )
            for key, report in w.transparency.items()
        ],
        lambda w: {"pk": NUMBER},
    ),
    ("voice", (("petitions", "reference"),)): Things(
        lambda w: [
            Target(
                "a petition collecting signatures",
                {"reference": w.petition.reference},  # type: ignore[union-attr]
                {"signers": frozenset({"reporter_after_notice"})},
            )
        ],
        lambda w: {"reference": made_up(w.petition.reference)},  # type: ignore[union-attr]
    ),
    ("voice", (("contributions", "pk"),)): Things(
        lambda w: [
            Target(
                "a contribution in review",
                {"pk": w.contributions["in review"].pk},
                {"readers": frozenset({"member", "leader"}), "author": frozenset({"member"}), "editors": EDITORS},
            ),
            Target(
                "an edit waiting for its author",
                {"pk": w.contributions["edited"].pk},
                {"readers": frozenset({"member", "leader"}), "author": frozenset({"member"}), "editors": EDITORS},
            ),
            Target(
                "a published contribution",
                {"pk": w.contributions["published"].pk},
                {"readers": MEMBERS_AND_ADMIN - {"site_admin"}, "author": frozenset({"panelist"}), "editors": EDITORS},
            ),
        ],
        lambda w: {"pk": NUMBER},
    ),
    ("voice", (("issues", "number"),)): Things(
        lambda w: _one("issue 1 of the bulletin", number=w.issue.number),  # type: ignore[union-attr]
        lambda w: {"number": NUMBER},
    ),
}
