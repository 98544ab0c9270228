"""The people of the tests. Later parts give them memberships, seats and cases; here they are accounts.

Each persona is a fixture of its own, created only when a test asks for it (passwords are hashed with
Argon2, which is deliberately slow).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from rankfile.accounts import actions as account_actions
from rankfile.accounts.models import User

PASSWORD = "a long and careful passphrase 42"


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    site_admin: bool = False

    @property
    def email(self) -> str:
        return f"{self.key}@example.org"


PERSONAS = {
    p.key: p
    for p in [
        Persona("reporter", "Rae Reporter"),
        Persona("respondent", "Ray Respondent"),
        Persona("panelist", "Pat Panelist"),
        Persona("recused_panelist", "Quinn Recused"),
        Persona("oversight", "Oona Oversight"),
        Persona("leader", "Lee Leader"),
        Persona("member", "Mo Member"),
        Persona("admin", "Ada Admin", site_admin=True),
    ]
}


def make_person(key: str) -> User:
    persona = PERSONAS[key]
    return account_actions.account_create(
        email=persona.email, password=PASSWORD, name=persona.name, is_site_admin=persona.site_admin
    )


def _persona_fixture(key: str) -> Callable[..., User]:
    @pytest.fixture(name=key)
    def fixture(db: None) -> User:
        return make_person(key)

    fixture.__doc__ = f"The {key.replace('_', ' ')}: {PERSONAS[key].name}, {PERSONAS[key].email}."
    return fixture


reporter = _persona_fixture("reporter")
respondent = _persona_fixture("respondent")
panelist = _persona_fixture("panelist")
recused_panelist = _persona_fixture("recused_panelist")
oversight = _persona_fixture("oversight")
leader = _persona_fixture("leader")
member = _persona_fixture("member")
admin = _persona_fixture("admin")


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()
