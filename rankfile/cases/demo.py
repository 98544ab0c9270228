"""Cases of the demo organization, one at each stage of the formal process, so that a new user can click through
them: seating the panel, waiting for the response, the evidence review (with an interim suspension from leadership),
the decision open to appeal, an appeal before the appeals committee, and a final expulsion that has taken effect;
an informal agreement with obligations on timers; a process investigation of how a leader handled a case, whose
panel the oversight commission can seat; and a notice the demo respondent has to answer.

Everything goes through the actions, with real keys and real second factors: the people who handle cases have
two-factor authentication set up, and their secrets are printed with their logins. Respondents and other reporters
are invented members with accounts whose passwords are not printed.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone

from rankfile.accounts import actions as account_actions
from rankfile.cases.actions import decisions, informal, intake, interim, investigations, panel, process
from rankfile.cases.models import Case, FindingOutcome, InterimKind, PanelRole, Report, ReportPath
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import demo as org_demo
from rankfile.org.models import Body, Person
from rankfile.vault import keys
from rankfile.vault.keys import UnlockedKey


@dataclass(frozen=True)
class CaseLogin:
    email: str
    password: str
    name: str
    role: str
    totp_secret: str = ""


@dataclass
class Someone:
    person: Person
    user: Any
    key: UnlockedKey


ALLEGATIONS = [
    {
        "text": "At the branch social on a Friday in spring, touched the reporter without consent after being asked "
        "to stop.",
        "provisions": "Code of conduct 2.1 (sexual harassment)",
    },
    {
        "text": "In the following week, sent the reporter messages pressing them not to tell anyone.",
        "provisions": "Code of conduct 2.4 (intimidation)",
    },
]
RATIONALE = (
    "The panel heard the reporter, the respondent and two witnesses, and read the messages. On the balance of "
    "probabilities the first allegation is proven; the second is not."
)


def _someone(
    email: str, name: str, *, today: date, password: str | None = None, mfa: bool = False
) -> tuple[Someone, str, str]:
    password = password or "demo-" + secrets.token_urlsafe(9)
    user = account_actions.account_create(email=email, password=password, name=name)
    person = org_actions.person_create(name=name, email=email, user=user, by=OPERATOR)
    joined = org_demo.years_before(org_demo.founded(today), 1)
    org_actions.membership_status_change(
        person=person, status="active", effective_from=joined, reason_code="joined", by=OPERATOR
    )
    unlocked = keys.person_key_unlock(user=user, password=password)
    assert unlocked is not None
    secret = ""
    if mfa:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return Someone(person=person, user=user, key=unlocked), password, secret


def _existing(email: str, password: str, *, mfa: bool) -> tuple[Someone, str]:
    user = get_user_model().objects.get(email=email)
    person = Person.objects.get(user=user)
    unlocked = keys.person_key_unlock(user=user, password=password)
    assert unlocked is not None
    secret = ""
    if mfa:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return Someone(person=person, user=user, key=unlocked), secret


def _seat(who: Someone, body: Body, *, today: date, role: str = "member") -> None:
    """A seat for the current term of the demo organization, as the personas have."""
    term = org_demo.current_term(today)
    org_actions.person_seat(
        person=who.person,
        body=body,
        basis="elected",
        role=role,
        starts_on=term.starts,
        term_ends_on=term.ends,
        by=OPERATOR,
    )


def _report(
    reporter: Someone | None, respondent: Someone, handler: Someone, *, path: str = ReportPath.FORMAL
) -> Report:
    return _report_and_key(reporter, respondent, handler, path=path)[0]


def _report_and_key(
    reporter: Someone | None, respondent: Someone, handler: Someone, *, path: str = ReportPath.FORMAL
) -> tuple[Report, UnlockedKey]:
    """A report sent and acknowledged, and the reporter's key (a receipt's, for ``reporter`` None)."""
    if reporter is None:
        report, _code, key = intake.report_start(reporter=None, path=path)
        assert key is not None
    else:
        report, _code, _unused = intake.report_start(reporter=reporter.user, path=path)
        key = reporter.key
    intake.report_save(
        report=report,
        content={"what_happened": "What happened, in the reporter's own words.", "when": "In the spring"},
        key=key,
    )
    intake.report_send(report=report, path=path, key=key, respondent=respondent.person)
    intake.report_acknowledge(report=report, by=handler.user)
    report.refresh_from_db()
    return report, key


def load(passwords: dict[str, str], *, today: date | None = None) -> list[CaseLogin]:
    """Build the cases; ``passwords`` are the demo personas' (by email); ``today`` is the clock's day (the actions
    date what they do by the clock). Returns the logins to print: the personas who handle cases now have a second
    factor, and five new people sit on the committees."""
    bodies = {body.slug: body for body in Body.objects.all()}
    logins: list[CaseLogin] = []
    today = today or timezone.localdate()

    pat, pat_secret = _existing("panelist@example.org", passwords["panelist@example.org"], mfa=True)
    rae, _unused = _existing("reporter@example.org", passwords["reporter@example.org"], mfa=False)
    ray, _unused = _existing("respondent@example.org", passwords["respondent@example.org"], mfa=False)
    logins.append(
        CaseLogin(
            "panelist@example.org",
            passwords["panelist@example.org"],
            pat.person.name,
            "disciplinary committee: decides cases",
            pat_secret,
        )
    )
    ivy, ivy_password, ivy_secret = _someone("investigator@example.org", "Ivy Investigator", today=today, mfa=True)
    paz, paz_password, paz_secret = _someone("panelist.second@example.org", "Paz Second", today=today, mfa=True)
    abe, abe_password, abe_secret = _someone("appeals@example.org", "Abe Appeals", today=today, mfa=True)
    _seat(ivy, bodies["disciplinary-committee"], today=today)
    _seat(paz, bodies["disciplinary-committee"], today=today)
    _seat(abe, bodies["appeals-committee"], today=today, role="chair")
    logins += [
        CaseLogin(ivy.user.email, ivy_password, ivy.person.name, "disciplinary committee: investigates", ivy_secret),
        CaseLogin(paz.user.email, paz_password, paz.person.name, "disciplinary committee: decides cases", paz_secret),
        CaseLogin(abe.user.email, abe_password, abe.person.name, "chair of the appeals committee", abe_secret),
    ]

    def respondent(n: int, name: str) -> Someone:
        return _someone(f"respondent.{n}@example.org", name, today=today)[0]

    def reporter(n: int, name: str) -> Someone:
        return _someone(f"reporter.{n}@example.org", name, today=today)[0]

    quinn = Person.objects.get(name="Quinn Recused")

    # 1. Choosing the panel: Rae's complaint about Ray. Quinn shares a branch with Ray and is excluded at once;
    #    Ivy and Paz have declared no conflict; Pat has yet to declare (sign in as panelist to do it).
    first = panel.case_open(report=_report(rae, ray, ivy), by=ivy.user, key=ivy.key)
    panel.panelist_propose(case=first, person=quinn, role=PanelRole.DECISION_MAKER, by=ivy.user)
    _declared(first, ivy, PanelRole.INVESTIGATOR, by=ivy)
    _declared(first, paz, PanelRole.DECISION_MAKER, by=ivy)
    panel.panelist_propose(case=first, person=pat.person, role=PanelRole.DECISION_MAKER, by=ivy.user)

    # 2. Waiting for the response: an anonymous complaint; notice given.
    second_report, second_key = _report_and_key(None, respondent(1, "Rory Dunmore"), ivy)
    second = _seated(second_report, ivy, paz, pat)
    process.notice_draft(case=second, allegations=ALLEGATIONS, by=ivy.user)
    process.notice_agree(case=second, key=second_key, by=None)
    process.notice_give(case=second, by=ivy.user, key=ivy.key)

    # 3. The evidence review.
    third_respondent = respondent(2, "Sol Marchetti")
    third_reporter = reporter(1, "Tess Albright")
    third = _seated(_report(third_reporter, third_respondent, ivy), ivy, paz, pat)
    _to_review(third, third_reporter, third_respondent, ivy)

    # 4. Decided, open to appeal: a suspension.
    fourth_reporter, fourth_respondent = reporter(2, "Uma Castell"), respondent(3, "Vic Hollis")
    fourth = _seated(_report(fourth_reporter, fourth_respondent, ivy), ivy, paz, pat)
    _decided(fourth, fourth_reporter, fourth_respondent, ivy, paz, pat, sanctions=["suspension"])

    # 5. Under appeal: an expulsion, appealed as disproportionate; the appeals committee hears it.
    fifth_reporter, fifth_respondent = reporter(3, "Wren Okafor"), respondent(4, "Xan Petrov")
    fifth = _seated(_report(fifth_reporter, fifth_respondent, ivy), ivy, paz, pat)
    _decided(fifth, fifth_reporter, fifth_respondent, ivy, paz, pat, sanctions=["expulsion"])
    decisions.appeal_lodge(
        case=fifth,
        grounds=["disproportionate_sanction"],
        statement="Expulsion is out of proportion to what was found.",
        key=fifth_respondent.key,
        by=fifth_respondent.user,
    )

    # 6. Final: an expulsion with a bar from office. The respondent sat on the steering committee; the decision
    #    ended his seat and expelled him by itself, and the eligibility check refuses him from now on.
    sixth_reporter, sixth_respondent = reporter(4, "Yara Lindqvist"), respondent(5, "Zeke Mallory")
    _seat(sixth_respondent, bodies["steering-committee"], today=today)
    sixth = _seated(_report(sixth_reporter, sixth_respondent, ivy), ivy, paz, pat)
    _decided(sixth, sixth_reporter, sixth_respondent, ivy, paz, pat, sanctions=["expulsion", "bar_from_office"])
    for party in (sixth_reporter, sixth_respondent):
        decisions.appeal_waive(case=sixth, key=party.key, by=party.user)

    # An interim measure in the third case: the respondent is suspended from leadership seats until a review.
    interim.interim_measure_impose(
        case=third,
        kind=InterimKind.SUSPENDED_FROM_LEADERSHIP,
        reason_code="risk_to_others",
        reasons="The respondent chairs meetings the reporter attends.",
        review_on=today + timedelta(days=30),
        by=ivy.user,
    )

    # 7. The informal track: both parties agreed to a facilitated agreement, with obligations on timers.
    seventh_reporter, seventh_respondent = reporter(5, "Ana Brightwater"), respondent(6, "Ben Oduya")
    seventh = _seated(_report(seventh_reporter, seventh_respondent, ivy, path=ReportPath.INFORMAL), ivy, paz, pat)
    for party in (seventh_reporter, seventh_respondent):
        informal.informal_consent_give(case=seventh, key=party.key, by=party.user)
    informal.agreement_record(
        case=seventh,
        obligations=[
            {"by_role": "respondent", "what": "Attend the consent workshop.", "due_on": today + timedelta(days=30)},
            {"by_role": "respondent", "what": "Send a written apology.", "due_on": today + timedelta(days=14)},
        ],
        summary="The parties agreed on a workshop and an apology.",
        by=ivy.user,
    )

    # 8. A process investigation, opened by the oversight commission: how the steering committee's chair handled
    #    the appealed case. He is kept out of both cases. Four on the commission have a login and a second factor,
    #    so that its panel of three can be seated (sign in as each to declare, then as oversight to seat it).
    oona, oona_secret = _existing("oversight@example.org", passwords["oversight@example.org"], mfa=True)
    otto, otto_secret = _existing("oversight.second@example.org", passwords["oversight.second@example.org"], mfa=True)
    olu, olu_password, olu_secret = _someone("oversight.third@example.org", "Olu Obi", today=today, mfa=True)
    orla, orla_password, orla_secret = _someone("oversight.fourth@example.org", "Orla Ostrom", today=today, mfa=True)
    _seat(olu, bodies["oversight-commission"], today=today)
    _seat(orla, bodies["oversight-commission"], today=today)
    sits = "oversight commission: sits on process investigations"
    logins += [
        CaseLogin(
            oona.user.email,
            passwords["oversight@example.org"],
            oona.person.name,
            "chair of the oversight commission: watches deadlines and overrides; opens process investigations; "
            "records the commission's votes, such as the one that publishes the transparency report",
            oona_secret,
        ),
        CaseLogin(otto.user.email, passwords["oversight.second@example.org"], otto.person.name, sits, otto_secret),
        CaseLogin(olu.user.email, olu_password, olu.person.name, sits, olu_secret),
        CaseLogin(orla.user.email, orla_password, orla.person.name, sits, orla_secret),
    ]
    investigations.investigation_open(by=oona.user, officials=[Person.objects.get(name="Lee Leader")], examines=fifth)

    # 9. A notice for Ray Respondent (the demo's respondent login) to answer: a second complaint about him, from
    #    another member; the panel is seated and the notice given.
    ninth_reporter = reporter(6, "Cy Haldane")
    ninth = _seated(_report(ninth_reporter, ray, ivy), ivy, paz, pat)
    process.notice_draft(case=ninth, allegations=ALLEGATIONS, by=ivy.user)
    process.notice_agree(case=ninth, key=ninth_reporter.key, by=ninth_reporter.user)
    process.notice_give(case=ninth, by=ivy.user, key=ivy.key)
    return logins


def _declared(case: Case, who: Someone, role: str, *, by: Someone) -> None:
    member = panel.panelist_propose(case=case, person=who.person, role=role, by=by.user)
    panel.conflict_declare(member=member, conflict=False, by=who.user)


def _seated(report: Report, investigator: Someone, *deciders: Someone) -> Case:
    case = panel.case_open(report=report, by=investigator.user, key=investigator.key)
    _declared(case, investigator, PanelRole.INVESTIGATOR, by=investigator)
    for decider in deciders:
        _declared(case, decider, PanelRole.DECISION_MAKER, by=investigator)
    panel.panel_seat(case=case, by=investigator.user, key=investigator.key)
    case.refresh_from_db()
    return case


def _to_review(case: Case, reporter: Someone, respondent: Someone, investigator: Someone) -> None:
    process.notice_draft(case=case, allegations=ALLEGATIONS, by=investigator.user)
    process.notice_agree(case=case, key=reporter.key, by=reporter.user)
    process.notice_give(case=case, by=investigator.user, key=investigator.key)
    process.response_file(
        case=case,
        text="I accept that I was at the social. I deny the rest.",
        key=respondent.key,
        by=respondent.user,
    )
    statement = process.document_add(
        case=case,
        kind="statement",
        title="Statement of a witness",
        text="I saw the respondent follow the reporter out.",
        by=investigator.user,
    )
    process.evidence_review_open(case=case, items=[statement], by=investigator.user, key=investigator.key)


def _decided(
    case: Case,
    reporter: Someone,
    respondent: Someone,
    investigator: Someone,
    decider: Someone,
    *agreeing: Someone,
    sanctions: list[str],
) -> None:
    """The decision ``decider`` proposed, issued once each other decision-maker (``agreeing``) agreed to it."""
    _to_review(case, reporter, respondent, investigator)
    for party in (reporter, respondent):
        process.evidence_review_finish(case=case, key=party.key, by=party.user)
    process.investigation_report_file(
        case=case, text="The investigation report: what was heard, read and found.", by=investigator.user
    )
    decisions.decision_issue(
        case=case,
        findings={1: FindingOutcome.RESPONSIBLE, 2: FindingOutcome.NOT_RESPONSIBLE},
        rationale=RATIONALE,
        sanctions=sanctions,
        by=decider.user,
    )
    for other in agreeing:
        decisions.decision_agree(case=case, key=other.key, by=other.user)
