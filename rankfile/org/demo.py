"""The demo organization that `make run` loads: invented, deterministic (seeded), built through the actions.

The Riverside Workers' Federation: a national organization with a steering committee, a national committee, a
branch council, a disciplinary committee, an appeals committee, an oversight commission, a convention, six
branches and two caucuses; about 200 members; ten years of seats with two-year terms.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from rankfile.accounts import actions as account_actions
from rankfile.accounts import recovery
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions, bylaws, eligibility
from rankfile.org.models import Body, Person

ORG_NAME = "Riverside Workers' Federation"
SEED = 1917
FIRST_YEAR = date.today().year - 10

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


# The personas of the tests, as people of the demo: where each one sits.
PERSONAS = [
    ("admin", "Ada Admin", "site administrator: invites people; sees no case"),
    ("leader", "Lee Leader", "chair of the steering committee"),
    ("oversight", "Oona Oversight", "member of the oversight commission; recovery trustee"),
    ("oversight_second", "Otto Overton", "member of the oversight commission; recovery trustee"),
    ("panelist", "Pat Panelist", "member of the disciplinary committee"),
    ("recused_panelist", "Quinn Recused", "member of the disciplinary committee (shares a branch with the respondent)"),
    ("reporter", "Rae Reporter", "member of the Northside branch"),
    ("respondent", "Ray Respondent", "member of the Northside branch, formerly on the branch council"),
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
BRANCHES = ["Northside", "Eastgate", "Harbour", "Millbrook", "Westfield", "Old Town"]
CAUCUSES = ["Women and Non-binary Caucus", "Disability Caucus"]


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
def load(*, members: int = 200) -> list[DemoLogin]:
    """Build the demo organization; return the logins of its personas (random passwords)."""
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
    document = bylaws.defaults()
    document["roles"].update(
        disciplinary="disciplinary-committee",
        appeals="appeals-committee",
        oversight="oversight-commission",
        convention="convention",
    )
    document["composition_goals"] = [{"body": "steering-committee", "goal": "new_to_body", "minimum_percent": 66}]
    actions.bylaws_adopt(
        document=document,
        effective_from=date(FIRST_YEAR, 6, 1),
        adopted_by_vote=f"Convention {FIRST_YEAR}, motion 3 (carried 141-12-5)",
        by=OPERATOR,
    )
    caucuses = [
        actions.body_create(name=name, slug=f"caucus-{n}", kind="caucus", by=OPERATOR)
        for n, name in enumerate(CAUCUSES, start=1)
    ]

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
        _join(person, date(FIRST_YEAR - 2, 3, 1))
        personas[key] = person
        logins.append(DemoLogin(email=email, password=password, name=name, role=role))

    people = list(personas.values())
    for n, name in enumerate(_unique_names(rng, members - len(people)), start=len(people) + 1):
        person = actions.person_create(name=name, member_number=f"RWF-{n:05d}", by=OPERATOR)
        _join(person, date(FIRST_YEAR - 3 + rng.randrange(12), 1 + rng.randrange(12), 1))
        people.append(person)
    _history(rng, people)

    # Where the personas sit today (seats begin after the history above, so no body is over its size).
    today = date.today()
    start = today.replace(month=1, day=1)
    _seat(personas["leader"], bodies["steering-committee"], start, role="chair")
    _seat(personas["oversight"], bodies["oversight-commission"], start)
    _seat(personas["oversight_second"], bodies["oversight-commission"], start)
    _seat(personas["panelist"], bodies["disciplinary-committee"], start)
    _seat(personas["recused_panelist"], bodies["disciplinary-committee"], start)
    _seat(personas["reporter"], branches[0], date(FIRST_YEAR, 1, 1))
    _seat(personas["respondent"], branches[0], date(FIRST_YEAR, 1, 1))
    _seat(personas["recused_panelist"], branches[0], date(FIRST_YEAR, 1, 1))
    _seat(personas["member"], branches[1], date(FIRST_YEAR, 1, 1))
    council = _seat(personas["respondent"], bodies["branch-council"], date(FIRST_YEAR + 2, 1, 1))
    actions.seat_end(seat=council, ends_on=date(FIRST_YEAR + 4, 1, 1), reason="term_over", by=OPERATOR)

    # Everyone belongs to a branch; some to a caucus.
    members_only = [p for p in people if p not in personas.values()]
    for index, person in enumerate(members_only):
        joined = person.status_changes.order_by("effective_from").first()
        assert joined is not None
        branch_start = max(joined.effective_from, date(FIRST_YEAR, 1, 1))
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


def _seat(person: Person, body: Body, starts: date, *, role: str = "member", basis: str = "elected") -> Any:
    return actions.person_seat(person=person, body=body, basis=basis, role=role, starts_on=starts, by=OPERATOR)


def _history(rng: random.Random, people: list[Person]) -> None:
    """Ten years of two-year terms on the national bodies, then a few lapses and resignations."""
    sizes = {
        "national-committee": 15,
        "steering-committee": 7,
        "branch-council": 9,
        "disciplinary-committee": 5,
        "appeals-committee": 3,
        "oversight-commission": 3,
    }
    bodies = {b.slug: b for b in Body.objects.filter(slug__in=sizes)}
    pool = people[len(PERSONAS) - 1 :]  # the personas' seats are set by hand
    for year in range(FIRST_YEAR, date.today().year - 1, 2):
        start, end = date(year, 6, 1), date(year + 2, 6, 1)
        taken: set[int] = set()
        for slug, size in sizes.items():
            body = bodies[slug]
            candidates = [p for p in rng.sample(pool, len(pool)) if p.pk not in taken]
            seated = 0
            for person in candidates:
                if seated == size:
                    break
                # The demo seats only those the eligibility check lets through, as every real path does.
                if not eligibility.check(person, body, start).ok:
                    continue
                taken.add(person.pk)
                seat = _seat(person, body, start, role="chair" if seated == 0 else "member")
                actions.seat_end(seat=seat, ends_on=end, reason="term_over", by=OPERATOR)
                seated += 1
    for person in rng.sample(pool, 12):
        status = rng.choice(["lapsed", "resigned"])
        actions.membership_status_change(
            person=person,
            status=status,
            effective_from=date(date.today().year - 1, 1 + rng.randrange(12), 1),
            reason_code="dues_unpaid" if status == "lapsed" else "own_request",
            by=OPERATOR,
        )
