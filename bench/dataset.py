"""A large organization, generated deterministically, for measuring the pages people use most (bench/pages.py).

    .venv/bin/python -m bench.dataset [--scale 0.01]

Into the empty database that RANKFILE_DATABASE_URL names (SQLite in RANKFILE_DATA_DIR by default), at scale 1:

- 1,000,000 ledger entries first, built and bulk-loaded with their tree nodes as bench/ledger.py does (the same
  synthetic entries in every run);
- the demo organization on top, through its actions (`rankfile demo`): the people whose pages are measured, with
  their logins, cases at every stage, the last convention's mandates, an election;
- 100,000 members on 1,000 branches (a status change and a seat each) and 3,000 decided cases (final, open to
  appeal, under appeal, replaced on appeal), bulk-created with their ledger entries recorded in one batch
  (bench/ledger.py's ``load_organization``): the ledger stays whole and these records reconcile;
- 7,000 more cases at the stages before a decision, each from a report (a copy of a demo report's sealed
  content) that the demo's panelist handles, with that panelist seated on every panel: the worst case of the
  handlers' inbox;
- 5,000 mandates of the convention's votes with 50,000 progress updates between them.

The cases before a decision and the mandates are written straight to their tables, without ledger entries: what
`rankfile ledger verify` reconciles of them is not what this measures. The entries themselves verify
(``verification.verify_all`` runs at the end and the run stops if it does not find the ledger intact).

``--sessions FILE`` then signs in the people of bench/pages.py (a session each, the vault key unlocked where a page
opens case material) and writes the cookies and the addresses of the pages to FILE as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

SEED = 100_000
ENTRIES = 1_000_000
MEMBERS = 100_000
BODIES = 1_000
CASES = 10_000
DECIDED_SHARE = 0.3  # of the cases: decided (bench/ledger.py's organization); the rest at the earlier stages
MANDATES = 5_000
UPDATES = 50_000
BATCH = 5_000

# The people whose pages are measured: the demo's logins.
ROLES = ("member", "leader", "panelist", "oversight", "admin", "reporter")


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def sizes(scale: float) -> dict[str, int]:
    return {
        "entries": max(1, round(ENTRIES * scale)),
        "members": max(10, round(MEMBERS * scale)),
        "bodies": max(2, round(BODIES * scale)),
        "cases": max(10, round(CASES * scale)),
        "mandates": max(1, round(MANDATES * scale)),
        "updates": max(1, round(UPDATES * scale)),
    }


def generate(scale: float, logins_file: Path) -> dict[str, int]:
    """The whole organization into the empty, migrated database (Django set up)."""
    from django.core.management import call_command
    from django.db import connection

    from bench.ledger import load_entries, load_organization

    size = sizes(scale)
    started = time.perf_counter()
    load_entries(size["entries"])
    say(f"{size['entries']:,} ledger entries loaded ({time.perf_counter() - started:.0f} s)")
    call_command("demo", members=200, logins_file=str(logins_file), stdout=open_null())
    say(f"the demo organization loaded ({time.perf_counter() - started:.0f} s)")
    decided = round(size["cases"] * DECIDED_SHARE)
    load_organization(size["members"], decided, branches=size["bodies"], beside_demo=True)
    say(f"{size['members']:,} members on {size['bodies']:,} branches, {decided:,} decided cases loaded")
    load_open_cases(size["cases"] - decided)
    load_mandates(size["mandates"], size["updates"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from rankfile.ledger import actions, queries, verification

    actions.checkpoint_create()
    report, _tree = verification.verify_all(verifier=queries.ledger_key()[0].verifier)
    if not report.ok:
        raise SystemExit(f"the generated ledger does not verify: {report.problems[:3]}")
    say(f"generated and verified in {time.perf_counter() - started:.0f} s")
    return counts()


def open_null() -> Any:
    import io

    return io.StringIO()


def load_open_cases(count: int) -> None:
    """Cases at every stage before a decision, each from a report the demo's panelist handles, on every panel."""
    from django.db import transaction
    from django.utils import timezone

    from rankfile.cases.models import (
        Case,
        Handler,
        PanelMember,
        PanelRole,
        PanelStatus,
        Party,
        PartyRole,
        Report,
        ReportStatus,
        Stage,
    )
    from rankfile.org.models import Body, Person

    rng = random.Random(SEED)  # noqa: S311 (invented benchmark data, the same in every run)
    panelist = Person.objects.get(user__email="panelist@example.org")
    disciplinary = Body.objects.get(slug="disciplinary-committee")
    template = Report.objects.filter(handlers__person=panelist).order_by("pk").first()
    assert template is not None, "the demo's panelist handles a report"
    members = list(Person.objects.filter(member_number__startswith="bench-").values_list("pk", flat=True))
    stages = [Stage.PANEL, Stage.RESPONSE, Stage.EVIDENCE_REVIEW, Stage.REPORT, Stage.DECISION, Stage.CLOSED]
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, count, BATCH):
            chunk = range(start, min(count, start + BATCH))
            reports = Report.objects.bulk_create(
                Report(
                    reporter_key_id=template.reporter_key_id,
                    path=template.path,
                    status=ReportStatus.CLOSED
                    if stages[i % len(stages)] == Stage.CLOSED
                    else ReportStatus.ACKNOWLEDGED,
                    respondent_id=members[(i * 7) % len(members)],
                    handling_body=disciplinary,
                    content_id=template.content_id,
                    sent_at=now - timedelta(minutes=rng.randrange(1, 5 * 365 * 24 * 60)),
                    acknowledged_at=now,
                )
                for i in chunk
            )
            Handler.objects.bulk_create(Handler(report=r, person=panelist, body=disciplinary) for r in reports)
            cases = Case.objects.bulk_create(
                Case(
                    reference=f"C-OPEN-{i + 1}",
                    body=disciplinary,
                    respondent_id=members[(i * 7) % len(members)],
                    stage=stages[i % len(stages)],
                    noticed_at=None if stages[i % len(stages)] == Stage.PANEL else now,
                )
                for i in chunk
            )
            Case.reports.through.objects.bulk_create(
                Case.reports.through(case_id=c.pk, report_id=r.pk) for c, r in zip(cases, reports, strict=True)
            )
            Party.objects.bulk_create(
                Party(case=c, role=PartyRole.RESPONDENT, person_id=c.respondent_id, report=r)
                for c, r in zip(cases, reports, strict=True)
            )
            PanelMember.objects.bulk_create(
                PanelMember(
                    case=c,
                    person=panelist,
                    body=disciplinary,
                    role=PanelRole.DECISION_MAKER,
                    status=PanelStatus.SEATED,
                    declared_at=now,
                    seated_at=now,
                )
                for c in cases
                if c.stage != Stage.PANEL
            )
    say(f"{count:,} cases before a decision loaded")


def load_mandates(mandates: int, updates: int) -> None:
    """Mandates of the convention's votes (open, overdue, done, rescinded; public and members only) and their
    progress updates."""
    from django.db import transaction
    from django.utils import timezone

    from rankfile.governance.models import Mandate, MandateStatus, ProgressUpdate, Visibility, Vote
    from rankfile.org.models import Body

    rng = random.Random(SEED + 1)  # noqa: S311 (invented benchmark data, the same in every run)
    today = timezone.localdate()
    votes = list(Vote.objects.order_by("pk"))
    bodies = list(Body.objects.exclude(slug__startswith="bench-").order_by("pk"))
    statuses = [MandateStatus.NOT_STARTED, MandateStatus.IN_PROGRESS, MandateStatus.BLOCKED, MandateStatus.DONE]
    statuses += [MandateStatus.RESCINDED]
    with transaction.atomic():
        planned = []
        for n in range(mandates):
            status = rng.choices(statuses, weights=[20, 40, 10, 25, 5])[0]
            adopted_on = today - timedelta(days=rng.randrange(30, 3_000))
            due_on = adopted_on + timedelta(days=rng.randrange(14, 400))
            planned.append(
                Mandate(
                    reference=f"BENCH-{n + 1}",
                    adopted_by_vote=rng.choice(votes),
                    adopting_body=bodies[0],
                    adopted_on=adopted_on,
                    title=f"Mandate {n + 1}: carry out the decision",
                    text="The body carries out what the convention decided.",
                    responsible_body=rng.choice(bodies),
                    due_on=due_on,
                    visibility=rng.choice([Visibility.PUBLIC, Visibility.MEMBERS]),
                    status=status,
                    percent=100 if status == MandateStatus.DONE else rng.randrange(0, 100),
                    done_on=due_on if status == MandateStatus.DONE else None,
                )
            )
        Mandate.objects.bulk_create(planned, batch_size=BATCH)
        loaded = list(Mandate.objects.filter(reference__startswith="BENCH-").values_list("pk", "adopted_on"))
        per_mandate = max(1, updates // max(1, len(loaded)))
        rows = [
            ProgressUpdate(
                mandate_id=pk,
                number=number,
                status=MandateStatus.IN_PROGRESS,
                percent=min(99, number * 10),
                text="Progress.",
                posted_on=adopted_on + timedelta(days=number),
            )
            for pk, adopted_on in loaded
            for number in range(1, per_mandate + 1)
        ]
        ProgressUpdate.objects.bulk_create(rows, batch_size=BATCH)
    say(f"{len(loaded):,} mandates with {len(rows):,} progress updates loaded")


def counts() -> dict[str, int]:
    from rankfile.cases.models import Case, Report
    from rankfile.governance.models import Mandate, ProgressUpdate
    from rankfile.ledger.models import Entry
    from rankfile.org.models import Body, Person

    return {
        "members": Person.objects.count(),
        "bodies": Body.objects.count(),
        "reports": Report.objects.count(),
        "cases": Case.objects.count(),
        "mandates": Mandate.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
        "ledger entries": Entry.objects.count(),
    }


def passwords(logins_file: Path) -> dict[str, str]:
    """The demo's printed logins: email to password."""
    found = {}
    for line in logins_file.read_text(encoding="utf-8").splitlines():
        if "password:" in line:
            email = line.split()[0]
            found[email] = line.split("password:")[1].split()[0]
    return found


def sessions(logins_file: Path) -> dict[str, Any]:
    """A signed-in session for each person of bench/pages.py (their vault key unlocked in it), and the addresses
    of the pages they use most."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.http import HttpResponse
    from django.test import Client, RequestFactory

    from rankfile.cases.models import Case, PanelStatus, PartyRole
    from rankfile.ledger.models import Entry
    from rankfile.org.models import Body
    from rankfile.vault import keys
    from rankfile.vault import sessions as vault_sessions

    known = passwords(logins_file)
    cookies: dict[str, dict[str, str]] = {}
    for role in ROLES:
        email = f"{role}@example.org"
        user = get_user_model().objects.get(email=email)
        client = Client()
        client.force_login(user)
        jar = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
        unlocked = keys.person_key_unlock(user=user, password=known[email])
        if unlocked is not None:
            request = RequestFactory().get("/")
            request.session = client.session
            response = HttpResponse()
            vault_sessions.session_unlock(request, response, unlocked)
            request.session.save()
            jar[settings.VAULT_COOKIE_NAME] = response.cookies[settings.VAULT_COOKIE_NAME].value
        cookies[role] = jar
    seated = (
        Case.objects.filter(panel__person__user__email="panelist@example.org", panel__status=PanelStatus.SEATED)
        .exclude(reference__startswith="C-OPEN-")
        .order_by("pk")
        .first()
    )
    party_case = Case.objects.filter(
        parties__person__user__email="reporter@example.org", parties__role=PartyRole.REPORTER
    ).first()
    roster = Body.objects.filter(slug__startswith="bench-branch-").order_by("pk").first()
    assert seated is not None, "the demo's panelist sits on a case"
    assert party_case is not None, "the demo's reporter is a party"
    assert roster is not None, "the branches are loaded"
    middle = max(1, Entry.objects.count() // 2)
    return {
        "cookies": cookies,
        "pages": [
            ["home (member)", "member", "/"],
            ["home (leader)", "leader", "/"],
            ["home (panelist)", "panelist", "/"],
            ["home (oversight)", "oversight", "/"],
            ["home (site admin)", "admin", "/"],
            ["handlers' inbox (panelist on every panel)", "panelist", "/cases/"],
            ["a case's workspace (panelist)", "panelist", f"/cases/case/{seated.reference}/"],
            ["a party's page (reporter)", "reporter", f"/cases/mine/{party_case.reference}/"],
            ["ledger page (oversight)", "oversight", "/ledger/"],
            ["tracker (member)", "member", "/mandates/"],
            ["a branch's roster (member)", "member", f"/org/bodies/{roster.slug}/"],
            ["API: where a case stands (panelist)", "panelist", f"/api/cases/{seated.reference}"],
            ["API: an entry's proof (anyone)", "", f"/api/ledger/entries/{middle}/proof"],
            # The floors beside health: a signed-in request through every middleware (its session loaded), and the
            # layout alone (a signed-in page with almost nothing else: the menu, its questions, the base template).
            ["signed-in health: GET /api/health with a session (member)", "member", "/api/health"],
            ["the layout alone: API tokens page (member)", "member", "/account/api-tokens/"],
            ["the layout alone: API tokens page (oversight)", "oversight", "/account/api-tokens/"],
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="of the sizes above (default %(default)s)")
    parser.add_argument("--sessions", type=Path, help="also sign in the people of bench/pages.py; write them here")
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logins_file = settings.DATA_DIR / "demo-logins.txt"
    made = generate(args.scale, logins_file)
    for name, number in made.items():
        say(f"{name}: {number:,}")
    if args.sessions is not None:
        args.sessions.write_text(json.dumps({"counts": made, **sessions(logins_file)}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rankfile.settings")
    raise SystemExit(main())
