import re
from pathlib import Path
from typing import Any

import pytest

import rankfile
from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases import stages
from rankfile.errors import NotAllowed
from tests.cases import casebuilders as cb
from tests.cases.builders import member


class PowerfulUser:
    """Shaped like a Django superuser: every has_perm() says yes."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    is_site_admin = False
    pk = 1

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


PERMISSION_ASKED = re.compile(r"\b(?:require|allows)\(\s*[^()]*?,\s*\"([a-z_]+\.[a-z_]+)\"", re.S)


def test_every_permission_the_code_asks_about_is_registered():
    """An unregistered name is refused for everyone, so a check against a misspelt rule passes whatever the rules
    say: every name the code asks about, and every rule of the step table, is registered."""
    asked: set[str] = set()
    for path in Path(rankfile.__file__).parent.rglob("*.py"):
        asked |= set(PERMISSION_ASKED.findall(path.read_text()))
    asked |= {step.rule for step in stages.STEPS}
    assert len(asked) > 40
    assert sorted(name for name in asked if not policy.rule_set.rule_exists(name)) == []


def _answer(rule: str, actor: Any, target: Any) -> object:
    try:
        return bool(policy.rule_set.test_rule(rule, actor, target))
    except Exception as error:  # a target of another kind than the rule's: the same for both actors
        return type(error).__name__


@pytest.mark.django_db
def test_invariant_5_rank_alone_grants_nothing():
    """Every registered rule, on every kind of thing, answers a superuser exactly as it answers a plain member:
    being a superuser or staff adds nothing (site administration is a role of its own, tested with its pages)."""
    org = cb.full_organization()
    decision = cb.decided(org)
    case = decision.case
    plain = member("Pat Plain")
    rank = member("Sue Super")
    # Shaped like a Django superuser (a login here has no such flags; anything that asked for them would see these).
    rank.user.is_superuser = rank.user.is_staff = True
    rank.user.has_perm = lambda perm, obj=None: True
    targets = [
        None,
        case,
        case.reports.get(),
        case.panel.first(),
        case_policy.Visit(case=case, key=rank.key),
        decision,
        org.steering,
        org.convention,
        org["ray"].person,
    ]
    rules = sorted(policy.rule_set)
    assert len(rules) > 40
    for rule in rules:
        for target in targets:
            plain.user.__dict__.pop("_rankfile_person_id", None)
            assert _answer(rule, rank.user, target) == _answer(rule, plain.user, target), (rule, target)


def test_invariant_5_registered_rules_ignore_superuser_flags():
    user = PowerfulUser()
    assert policy.allows(user, "accounts.invite_person") is False


def test_invariant_11_refusal_is_the_not_found_error():
    with pytest.raises(NotAllowed) as refused:
        policy.require(None, "ledger.view_entries")
    assert refused.value.status == 404
    assert refused.value.code == "not_found"


# What a hand-written access decision looks like: a second-factor check, a comparison of a login or a key with a
# record's owner, a refusal named after a person rather than a missing thing.
HAND_WRITTEN_ACCESS = re.compile(
    r"has_mfa\(|RANKFILE_REQUIRE_MFA_FOR_CASE_ROLES|\.user_id [!=]= |keypair\.pk [!=]= |reporter_key_id [!=]= |"
    r"raise NotAllowed\(\"(not |only )"
)


def test_case_access_is_decided_only_in_cases_policy():
    found = []
    for path in sorted((Path(rankfile.__file__).parent / "cases").rglob("*.py")):
        if path.name == "policy.py" or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if HAND_WRITTEN_ACCESS.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == [], "decide access in rankfile/cases/policy.py:\n" + "\n".join(found)


def test_no_module_imports_another_modules_private_names():
    found = []
    for path in sorted(Path(rankfile.__file__).parent.rglob("*.py")):
        text = path.read_text()
        for match in re.finditer(r"^from (rankfile\.[\w.]+) import (\([^)]*\)|[^\n]*)", text, re.M):
            names = re.findall(r"\b(\w+)\b(?: as \w+)?", match.group(2))
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                found.append(f"{path.relative_to(Path(rankfile.__file__).parent)}: {match.group(1)} {private}")
    assert found == [], "make these public, or keep them in their module:\n" + "\n".join(found)
