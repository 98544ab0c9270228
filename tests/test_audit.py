"""`make check`'s audit of the locks (requirements/audit.py): a known vulnerability fails the build; a vulnerability
service that cannot answer, or knows none of the pinned versions, is said plainly and does not."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def audit_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lock_audit", ROOT / "requirements" / "audit.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# pip-audit's JSON report (--format json), as it prints it.
CLEAN = {"dependencies": [{"name": "django", "version": "5.2.9", "vulns": []}], "fixes": []}
UNKNOWN = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}]}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
        {"name": "rules", "version": "3.5", "vulns": []},
    ],
    "fixes": [],
}


def test_a_known_vulnerability_fails_and_is_named():
    ok, said = audit_module().verdict(lock="base.lock", stdout=json.dumps(VULNERABLE), stderr="")
    assert not ok
    assert said == "base.lock: known vulnerabilities:\n  - django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)"


def test_a_clean_lock_passes():
    assert audit_module().verdict(lock="base.lock", stdout=json.dumps(CLEAN), stderr="") == (
        True,
        "base.lock: 1 dependencies audited, no known vulnerability.",
    )


def test_a_service_that_cannot_be_reached_is_said_and_does_not_fail_the_build():
    ok, said = audit_module().verdict(
        lock="base.lock", stdout="", stderr="Traceback …\nrequests.exceptions.ConnectionError: no route to host\n"
    )
    assert ok
    assert said == (
        "base.lock: NOT audited: the vulnerability service could not be reached "
        "(requests.exceptions.ConnectionError: no route to host)."
    )


def test_a_lock_the_service_knows_nothing_of_is_said_not_audited():
    ok, said = audit_module().verdict(lock="base.lock", stdout=json.dumps(UNKNOWN), stderr="")
    assert ok
    assert said.startswith("base.lock: NOT audited: the vulnerability service knows none of its 1 pinned versions")
