"""An organization with the bodies a report can reach, and people who can read reports (keys, second factors)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org.models import Body, Person, SeatBasis, SeatRole
from rankfile.vault.keys import UnlockedKey
from tests.org.builders import body, enrolled
from tests.vault.helpers import key_for


@dataclass
class Member:
    person: Person
    user: Any
    key: UnlockedKey


def member(name: str, *, mfa: bool = True) -> Member:
    first = name.split()[0].lower()
    user = get_user_model().objects.create_user(email=f"{first}@example.org", password=None, name=name)
    person = enrolled(name, email=f"{first}@example.org", user=user)
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return Member(person=person, user=user, key=key_for(user))


def seat(who: Member, on: Body) -> None:
    org_actions.person_seat(
        person=who.person,
        body=on,
        basis=SeatBasis.ELECTED,
        role=SeatRole.MEMBER,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )


@dataclass
class Organization:
    disciplinary: Body
    oversight: Body
    support: Body
    steering: Body
    people: dict[str, Member]


def organization() -> Organization:
    bodies = {
        "disciplinary": body("disciplinary-committee", kind="disciplinary"),
        "oversight": body("oversight-commission", kind="oversight"),
        "support": body("support-team", kind="committee"),
        "steering": body("steering-committee", kind="leadership"),
    }
    people = {
        "dana": member("Dana Discipline"),
        "dev": member("Dev Discipline"),
        "dora": member("Dora Discipline"),
        "dale": member("Dale Discipline"),
        "olu": member("Olu Oversight"),
        "oren": member("Oren Oversight"),
        "oona": member("Oona Oversight"),
        "sam": member("Sam Support"),
        "lee": member("Lee Leader"),
        "rae": member("Rae Reporter", mfa=False),
        "ray": member("Ray Respondent", mfa=False),
    }
    for key in ("dana", "dev", "dora", "dale"):
        seat(people[key], bodies["disciplinary"])
    for key in ("olu", "oren", "oona"):
        seat(people[key], bodies["oversight"])
    seat(people["sam"], bodies["support"])
    seat(people["lee"], bodies["steering"])
    document = bylaws.defaults()
    document["roles"].update(
        disciplinary="disciplinary-committee", oversight="oversight-commission", support_team="support-team"
    )
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2020, 1, 1), adopted_by_vote="Convention 2019, motion 1", by=OPERATOR
    )
    return Organization(people=people, **bodies)
