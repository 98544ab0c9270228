"""The demo organization that `make run` loads: invented, deterministic (seeded), built through the actions.

The Riverside Workers' Federation: a national organization with a steering committee, a national committee, a
branch council, a disciplinary committee, an appeals committee, an oversight commission, a convention, six
branches and two caucuses; about 200 members; ten years of seats with two-year terms.

Every date is counted from the day the demo is built, so it works on any day: the current term began some months
before (the national bodies are full today and stay so for well over a year), and five two-year terms came before it.
"""

import random
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rankfile.accounts import actions as account_actions
from rankfile.accounts import recovery
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions, bylaws, eligibility
from rankfile.org.models import Body, Person

ORG_NAME = "Riverside Workers' Federation"
SEED = 1917
TERM_YEARS = 2
PAST_TERMS = 5  # ten years of terms before the current one
CURRENT_TERM_BEGAN_DAYS_AGO = 200  # before the last convention (a hundred days ago), which the current bodies face

FIRST_NAMES = [
    "Ada",
    "Amir",
    "Ana",
    "Ari",
    "Bea",
    "Ben",
    "Cai",
    "Cleo",
    "Dana",
    "Dev",
    "Eli",
    "Ema",
    "Fay",
    "Femi",
    "Gus",
    "Gia",
    "Hana",
    "Hugo",
    "Ida",
    "Ivo",
    "Jae",
    "Jin",
    "Kai",
    "Kemi",
    "Lea",
    "Leo",
    "Mai",
    "Max",
    "Nia",
    "Noor",
    "Oda",
    "Omar",
    "Pia",
    "Pau",
    "Qin",
    "Quinn",
    "Rae",
    "Ravi",
    "Sam",
    "Sina",
    "Tae",
    "Teo",
    "Uma",
    "Ugo",
    "Val",
    "Vera",
    "Wen",
    "Wil",
    "Xia",
    "Yara",
    "Yuri",
    "Zoe",
    "Zeno",
]
LAST_NAMES = [
    "Abara",
    "Bakker",
    "Castillo",
    "Dahl",
    "Eze",
    "Fontaine",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Santos",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weiss",
    "Xu",
    "Yilmaz",
    "Zulu",
    "Moreau",
    "Nakamura",
    "Oyelaran",
    "Brandt",
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    role: str
    totp_secret: str = ""  # a second factor's secret, printed under the login


@dataclass(frozen=True)
class Term:
    starts: date
    ends: date


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (the 28th for a 29 February that year does not have)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def current_term(today: date) -> Term:
    """The term the national bodies sit in on ``today``: it began some months before and runs well beyond."""
    starts = today - timedelta(days=CURRENT_TERM_BEGAN_DAYS_AGO)
    return Term(starts=starts, ends=years_after(starts, TERM_YEARS))


def founded(today: date) -> date:
    """The first day of the first term of the demo's history, ten years before the current one."""
    return years_before(current_term(today).starts, TERM_YEARS * PAST_TERMS)


def email_for(name: str) -> str:
    """An address at example.org made from a name: "Ada Abara" is ada.abara@example.org."""
    return re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") + "@example.org"


# The personas of the tests, as people of the demo: where each one sits.
PERSONAS = [
    ("admin", "Ada Admin", "site administrator: invites people; sees no case"),
    ("leader", "Lee Leader", "chair of the steering committee"),
    (
        "oversight",
        "Oona Oversight",
        "chair of the oversight commission: records its votes, such as publishing the transparency report; "
        "recovery trustee",
    ),
    ("oversight_second", "Otto Overton", "member of the oversight commission; recovery trustee"),
    ("panelist", "Pat Panelist", "member of the disciplinary committee"),
    ("recused_panelist", "Quinn Recused", "member of the disciplinary committee (shares a branch with the respondent)"),
    ("reporter", "Rae Reporter", "member of the Northside branch"),
    (
        "respondent",
        "Ray Respondent",
        "member of the Northside branch, formerly on the branch council; has a notice to respond to",
    ),
    ("member", "Mo Member", "member of the Eastgate branch"),
]

BODIES: list[dict[str, Any]] = [
    {"slug": "convention", "name": "Convention", "kind": "convention"},
    {"slug": "national-committee", "name": "National Committee", "kind": "leadership", "max_size": 25},
    {
        "slug": "steering-committee",
        "name": "Steering Committee",
        "kind": "leadership",
        "max_size": 9,
        "max_consecutive_terms": 3,
    },
    {"slug": "branch-council", "name": "Branch Council", "kind": "committee", "max_size": 12},
    {"slug": "disciplinary-committee", "name": "Disciplinary Committee", "kind": "disciplinary", "max_size": 9},
    {"slug": "appeals-committee", "name": "Appeals Committee", "kind": "appeals", "max_size": 5},
    {"slug": "oversight-commission", "name": "Oversight Commission", "kind": "oversight", "max_size": 5},
]
# How many each term seats on the national bodies; in the current term, fewer of the invented members: the personas
# and the people of the demo cases take the other seats (steering: the chair and one the final case expels;
# disciplinary: four; appeals: the chair; oversight: four, so that a process investigation can seat a panel).
TERM_SIZES = {
    "national-committee": 15,
    "steering-committee": 7,
    "branch-council": 9,
    "disciplinary-committee": 5,
    "appeals-committee": 3,
    "oversight-commission": 3,
}
CURRENT_TERM_SIZES = TERM_SIZES | {"oversight-commission": 1}
# Lee Leader; Abe Appeals (the cases part); Oona Oversight, who records the commission's votes (publishing the
# transparency report among them).
CHAIRED_BY_A_PERSONA = {"steering-committee", "appeals-committee", "oversight-commission"}
BRANCHES = ["Northside", "Eastgate", "Harbour", "Millbrook", "Westfield", "Old Town"]
CAUCUSES = ["Women and Non-binary Caucus", "Disability Caucus"]
CAUCUS_ADDRESSES = ["women.caucus@example.org", "disability.caucus@example.org"]


def _unique_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen = {name for _, name, _ in PERSONAS}
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


@transaction.atomic
def load(*, members: int = 200, today: date | None = None) -> list[DemoLogin]:
    """Build the demo organization as it stands on ``today`` (the clock's day unless given); return the logins of
    its personas (random passwords)."""
    today = today or timezone.localdate()
    term = current_term(today)
    first_day = founded(today)
    rng = random.Random(SEED)  # noqa: S311  (invented demo data, the same on every machine)
    bodies = {spec["slug"]: actions.body_create(by=OPERATOR, **spec) for spec in BODIES}
    branches = [
        actions.body_create(
            name=f"{name} branch",
            slug=f"branch-{name.lower().replace(' ', '-')}",
            kind="branch",
            parent=bodies["national-committee"],
            by=OPERATOR,
        )
        for name in BRANCHES
    ]
    caucuses = [
        actions.body_create(name=name, slug=f"caucus-{n}", kind="caucus", by=OPERATOR)
        for n, name in enumerate(CAUCUSES, start=1)
    ]
    document = bylaws.defaults()
    document["roles"].update(
        disciplinary="disciplinary-committee",
        appeals="appeals-committee",
        oversight="oversight-commission",
        convention="convention",
    )
    document["composition_goals"] = [{"body": "steering-committee", "goal": "new_to_body", "minimum_percent": 66}]
    # How a reporter reaches each caucus, on the support card of every reporting page.
    document["support_contacts"] = [
        {"name": "Its conveners", "reach": reach, "body": caucus.slug}
        for caucus, reach in zip(caucuses, CAUCUS_ADDRESSES, strict=True)
    ]
    actions.bylaws_adopt(
        document=document,
        effective_from=first_day,
        adopted_by_vote=f"Convention {first_day.year}, motion 3 (carried 141-12-5)",
        by=OPERATOR,
    )

    logins: list[DemoLogin] = []
    personas: dict[str, Person] = {}
    for key, name, role in PERSONAS:
        password = "demo-" + secrets.token_urlsafe(9)
        email = f"{key.replace('_', '.')}@example.org"
        user = account_actions.account_create(email=email, password=password, name=name, is_site_admin=key == "admin")
        if key == "admin":
            logins.append(DemoLogin(email=email, password=password, name=name, role=role))
            continue
        person = actions.person_create(
            name=name, email=email, user=user, member_number=f"RWF-{len(personas) + 1:05d}", by=OPERATOR
        )
        _join(person, years_before(first_day, 2))
        personas[key] = person
        logins.append(DemoLogin(email=email, password=password, name=name, role=role))

    people = list(personas.values())
    for n, name in enumerate(_unique_names(rng, members - len(people)), start=len(people) + 1):
        person = actions.person_create(name=name, email=email_for(name), member_number=f"RWF-{n:05d}", by=OPERATOR)
        _join(person, date(first_day.year - 3 + rng.randrange(12), 1 + rng.randrange(12), 1))
        people.append(person)
    _history(rng, people, today=today)

    # Where the personas sit today: the current term (the history above leaves their seats free).
    _seat(personas["leader"], bodies["steering-committee"], term, role="chair")
    _seat(personas["oversight"], bodies["oversight-commission"], term, role="chair")
    _seat(personas["oversight_second"], bodies["oversight-commission"], term)
    _seat(personas["panelist"], bodies["disciplinary-committee"], term)
    _seat(personas["recused_panelist"], bodies["disciplinary-committee"], term)
    branches_from = date(first_day.year, 1, 1)
    _seat(personas["reporter"], branches[0], branches_from)
    _seat(personas["respondent"], branches[0], branches_from)
    _seat(personas["recused_panelist"], branches[0], branches_from)
    _seat(personas["member"], branches[1], branches_from)
    council = _seat(personas["respondent"], bodies["branch-council"], date(first_day.year + 2, 1, 1))
    actions.seat_end(seat=council, ends_on=date(first_day.year + 4, 1, 1), reason="term_over", by=OPERATOR)

    # Everyone belongs to a branch; some to a caucus.
    members_only = [p for p in people if p not in personas.values()]
    for index, person in enumerate(members_only):
        joined = person.status_changes.order_by("effective_from").first()
        assert joined is not None
        branch_start = max(joined.effective_from, branches_from)
        _seat(person, branches[index % len(branches)], branch_start, basis="ex_officio")
        if rng.random() < 0.15:
            _seat(person, rng.choice(caucuses), branch_start + timedelta(days=30), basis="appointed")
    # The recovery key, split between the two trustees on the oversight commission: both must approve a recovery.
    trustees = [p.user for p in (personas["oversight"], personas["oversight_second"]) if p.user is not None]
    recovery.recovery_setup(trustees=trustees, threshold=2, by=OPERATOR)
    return logins


def _join(person: Person, on: date) -> None:
    actions.membership_status_change(
        person=person, status="active", effective_from=on, reason_code="joined", by=OPERATOR
    )


def _seat(person: Person, body: Body, starts: date | Term, *, role: str = "member", basis: str = "elected") -> Any:
    """A seat from ``starts`` on; for a term, from its first day, due to end with it."""
    term_ends = starts.ends if isinstance(starts, Term) else None
    first = starts.starts if isinstance(starts, Term) else starts
    return actions.person_seat(
        person=person, body=body, basis=basis, role=role, starts_on=first, term_ends_on=term_ends, by=OPERATOR
    )


def _history(rng: random.Random, people: list[Person], *, today: date) -> None:
    """Five two-year terms on the national bodies and the current one, then a few lapses and resignations."""
    bodies = {b.slug: b for b in Body.objects.filter(slug__in=TERM_SIZES)}
    pool = people[len(PERSONAS) - 1 :]  # the personas' seats are set by hand
    current = current_term(today)
    terms = [
        Term(
            starts=years_before(current.starts, TERM_YEARS * n), ends=years_before(current.starts, TERM_YEARS * (n - 1))
        )
        for n in range(PAST_TERMS, 0, -1)
    ]
    sitting: set[int] = set()  # who sits in the current term
    for term in [*terms, current]:
        is_current = term == current
        sizes = CURRENT_TERM_SIZES if is_current else TERM_SIZES
        taken: set[int] = set()
        for slug, size in sizes.items():
            body = bodies[slug]
            candidates = [p for p in rng.sample(pool, len(pool)) if p.pk not in taken]
            seated = 0
            for person in candidates:
                if seated == size:
                    break
                # The demo seats only those the eligibility check lets through, as every real path does.
                if not eligibility.check(person, body, term.starts).ok:
                    continue
                taken.add(person.pk)
                chair = seated == 0 and not (is_current and slug in CHAIRED_BY_A_PERSONA)
                if is_current:
                    _seat(person, body, term, role="chair" if chair else "member")
                else:
                    seat = _seat(person, body, term.starts, role="chair" if chair else "member")
                    actions.seat_end(seat=seat, ends_on=term.ends, reason="term_over", by=OPERATOR)
                seated += 1
        if is_current:
            sitting = taken
    # Lapses and resignations in the months before the last convention, of members without a seat in this term.
    for person in rng.sample([p for p in pool if p.pk not in sitting], 12):
        status = rng.choice(["lapsed", "resigned"])
        actions.membership_status_change(
            person=person,
            status=status,
            effective_from=today - timedelta(days=130 + rng.randrange(230)),
            reason_code="dues_unpaid" if status == "lapsed" else "own_request",
            by=OPERATOR,
        )
