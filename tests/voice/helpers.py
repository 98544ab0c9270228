"""An organization for members' voice: the bodies and people of the cases' tests, and a site administrator."""

from typing import Any

from django.contrib.auth import get_user_model

from rankfile.voice import actions
from rankfile.voice.models import Caucus, JoinRule
from tests.cases import casebuilders as cb
from tests.cases.builders import Member
from tests.vault.helpers import key_for


def site_admin() -> Member:
    user = get_user_model().objects.create_superuser(email="sita@example.org", password=None, name="Sita Admin")
    return Member(person=None, user=user, key=key_for(user))  # type: ignore[arg-type]


def formed_caucus(org: cb.Org, *, listed: bool = False, join_rule: str = JoinRule.OPEN, **more: Any) -> Caucus:
    """Rae, Dora and Sam found a caucus; the two others sign, and it forms (the bylaws' minimum is 3)."""
    caucus = actions.caucus_propose(
        name="Survivors' caucus",
        purpose="Support for survivors, and a voice for them in the organization.",
        founding_statement="We found this caucus to support one another.",
        join_rule=join_rule,
        listed=listed,
        founders=[org["dora"].person, org["sam"].person],
        by=org["rae"].user,
        **more,
    )
    for name in ("dora", "sam"):
        actions.founding_sign(caucus=caucus, by=org[name].user)
    caucus.refresh_from_db()
    return caucus


def bulletin_editors_named(slug: str = "steering-committee") -> None:
    """The bylaws name ``slug`` the bulletin's editors (in the cases' organization, Lee sits on the steering
    committee)."""
    from datetime import date

    from django.utils import timezone

    from rankfile.ledger.actions import OPERATOR
    from rankfile.org import actions as org_actions
    from rankfile.org import queries as org_queries

    document = org_queries.bylaws_document(day=timezone.localdate())
    document["voice"]["bulletin_editors"] = slug
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2020, 1, 3), adopted_by_vote="Convention 2019, motion 3", by=OPERATOR
    )
