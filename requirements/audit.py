"""`make check`'s audit of the locked dependencies (requirements/base.lock and test.lock) for known vulnerabilities.

pip-audit reads each lock as it is, hashes and all, without installing anything (``--disable-pip``), and asks the
vulnerability service (PyPI's) about each pinned version. A known vulnerability fails the check. When the service
cannot be reached, or knows none of the pinned versions, the check says plainly that the locks were not audited and
does not fail: a build must not depend on a remote service being up.
"""

import json
import subprocess
import sys
from pathlib import Path

LOCKS = ["requirements/base.lock", "requirements/test.lock"]


def audit(lock: str) -> tuple[bool, str]:
    """Whether the lock is free of known vulnerabilities as far as the service knows, and a sentence saying so."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    arguments = [str(pip_audit), "-r", lock, "--require-hashes", "--disable-pip", "--progress-spinner", "off"]
    try:
        result = subprocess.run(  # noqa: S603 (our own arguments)
            [*arguments, "--format", "json", "--timeout", "15"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return True, f"{lock}: NOT audited: the vulnerability service did not answer in time."
    return verdict(lock=lock, stdout=result.stdout, stderr=result.stderr)


def verdict(*, lock: str, stdout: str, stderr: str) -> tuple[bool, str]:
    """What pip-audit's JSON report on ``lock`` means for the build: False only for a known vulnerability."""
    try:
        dependencies = json.loads(stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = (stderr.strip().splitlines() or ["no answer"])[-1]
        return True, f"{lock}: NOT audited: the vulnerability service could not be reached ({reason})."
    vulnerable = [
        f"{dependency['name']} {dependency['version']}: {vuln['id']} "
        f"(fixed in {', '.join(vuln['fix_versions']) or 'no version yet'})"
        for dependency in dependencies
        for vuln in dependency.get("vulns", [])
    ]
    if vulnerable:
        return False, f"{lock}: known vulnerabilities:\n" + "\n".join(f"  - {line}" for line in vulnerable)
    skipped = [dependency["name"] for dependency in dependencies if "skip_reason" in dependency]
    audited = len(dependencies) - len(skipped)
    if not audited:
        return True, (
            f"{lock}: NOT audited: the vulnerability service knows none of its {len(dependencies)} pinned versions "
            "(a private package index?)."
        )
    unknown = f"; {len(skipped)} not known to the service: {', '.join(skipped)}" if skipped else ""
    return True, f"{lock}: {audited} dependencies audited, no known vulnerability{unknown}."


def main() -> int:
    clean = True
    for lock in LOCKS:
        ok, said = audit(lock)
        sys.stdout.write(said + "\n")
        clean = clean and ok
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
