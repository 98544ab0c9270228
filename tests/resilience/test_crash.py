"""Nothing a person was told is kept is lost when the server dies: reports submitted through the pages of the
production server (gunicorn), anonymously and signed in, some with files, while the whole server is killed with
SIGKILL part-way and started again.

Proven afterwards, in the database the server wrote: every report whose receipt code or confirmation was shown
exists and opens with what was sent (text and file); every report has its ledger entries and every sealed file its
row (the files of writes cut short are swept by `rankfile vault sweep`); no report was sent twice; the ledger
verifies. CI runs 40 reports and one kill; `make soak` runs more (RANKFILE_SOAK_REPORTS, RANKFILE_SOAK_KILLS)."""

import io
import os
import re
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from rankfile.cases.actions import intake
from rankfile.cases.models import Report, ReportStatus
from rankfile.ledger import actions as ledger
from rankfile.ledger.models import Entry
from rankfile.vault import keys
from rankfile.vault.models import Version
from tests.cases.builders import Member, member, organization
from tests.personas import PASSWORD
from tests.resilience.server import ProductionServer, Visitor, envint
from tests.vault.helpers import PNG

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS = envint("RANKFILE_SOAK_REPORTS", 40)
KILLS = envint("RANKFILE_SOAK_KILLS", 1)
AT_ONCE = envint("RANKFILE_SOAK_AT_ONCE", 8)
ATTEMPTS = 4  # a person whose page failed starts again, up to this often
RECEIPT_CODE = re.compile(r'<code id="receipt-code">([\d-]+)</code>')
DRAFT_LINK = re.compile(r'href="/report/(\d+)/" data-leave-ok')
SENT = "Your report was sent to the"

# What a dropped connection or a server that is not there looks like to the person's browser.
CUT_OFF = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass
class Sent:
    text: str
    file: bytes | None
    code: str | None  # the receipt code, for a report made without an account
    reporter: Member | None


@dataclass
class Outcome:
    receipts: dict[int, str] = field(default_factory=dict)  # report -> code, for every receipt code shown
    confirmed: dict[int, Sent] = field(default_factory=dict)
    cut_off: int = 0
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class CutOff(Exception):
    """The page did not come: the person will try again."""


class TryAgain(Exception):
    """The site said it was busy (503, Retry-After): the person will try again."""


def expect(response: requests.Response, status: int, what: str) -> requests.Response:
    if response.status_code == 503 and "Retry-After" in response.headers:
        raise TryAgain(what)
    if response.status_code != status:
        raise AssertionError(f"{what}: {response.status_code} {response.text[:300]}")
    return response


def submit(server: ProductionServer, number: int, attempt: int, reporter: Member | None, outcome: Outcome) -> None:
    """One person makes a report from start to confirmation, as the pages lead them."""
    visitor = Visitor(server.url, address=f"10.{attempt}.{number // 250}.{number % 250 + 1}")
    text = f"Report {number}, attempt {attempt}: at the branch meeting R. followed me to the car park."
    file = PNG + f"photo of report {number}".encode() if number % 2 == 0 else None
    code = None
    if reporter is not None:
        expect(visitor.get("/accounts/login/"), 200, "the sign-in page")
        signing_in = {"login": reporter.user.email, "password": PASSWORD}
        expect(visitor.post("/accounts/login/", signing_in), 302, "signing in")
    expect(visitor.get("/report/"), 200, "the reporting page")
    started = visitor.post("/report/", {})
    if reporter is None:
        page = expect(started, 200, "starting without an account").text
        found_code, found_pk = RECEIPT_CODE.search(page), DRAFT_LINK.search(page)
        assert found_code, "the receipt page shows the code"
        assert found_pk, "the receipt page leads to the draft"
        code, pk = found_code.group(1), int(found_pk.group(1))
        with outcome.lock:
            outcome.receipts[pk] = code
    else:
        pk = int(expect(started, 302, "starting signed in").headers["Location"].strip("/").split("/")[-1])
    expect(visitor.get(f"/report/{pk}/"), 200, "the draft")
    expect(visitor.post(f"/report/{pk}/", {"what_happened": text}), 302, "saving")
    if file is not None:
        expect(visitor.get(f"/report/{pk}/"), 200, "the draft")
        added = visitor.post(f"/report/{pk}/", {"step": "evidence"}, files={"file": ("photo.png", file, "image/png")})
        expect(added, 302, "adding a file")
    expect(visitor.get(f"/report/{pk}/send/"), 200, "the sending page")
    expect(visitor.post(f"/report/{pk}/send/", {"path": "formal"}), 302, "sending")
    if SENT in expect(visitor.get(f"/report/{pk}/"), 200, "the report's page").text:
        with outcome.lock:
            outcome.confirmed[pk] = Sent(text=text, file=file, code=code, reporter=reporter)


def person(server: ProductionServer, number: int, reporter: Member | None, outcome: Outcome) -> None:
    for attempt in range(ATTEMPTS):
        try:
            submit(server, number, attempt, reporter, outcome)
            return
        except (*CUT_OFF, TryAgain):
            with outcome.lock:
                outcome.cut_off += 1
            server.answers()  # the person reloads until the site is back, and starts again
        except AssertionError as error:
            with outcome.lock:
                outcome.unexpected.append(f"report {number}: {error}")
            return


@pytest.fixture
def server(tmp_path: Path, settings) -> Iterator[ProductionServer]:
    settings.VAULT_ROOT = tmp_path / "vault"
    (tmp_path / "logs").mkdir()
    served = ProductionServer(log_dir=tmp_path / "logs", vault_root=settings.VAULT_ROOT)
    try:
        yield served
    finally:
        served.stop()


def reports_submitted(server: ProductionServer, *, interrupt: Callable[[], None], times: int) -> Outcome:
    """REPORTS people make a report each, AT_ONCE at a time, and ``interrupt`` strikes ``times`` times part-way."""
    organization()
    signed_in = [member(name, mfa=False) for name in ("Ria One", "Rob Two", "Rue Three", "Ren Four")]
    for someone in signed_in:
        someone.user.set_password(PASSWORD)
        someone.user.save()
    ledger.checkpoint_create()  # the signing key, in the data directory the server shares
    server.start()
    outcome = Outcome()
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        for number in range(REPORTS):
            reporter: Member | None = None if number % 3 == 0 else signed_in[number % len(signed_in)]
            pool.submit(person, server, number, reporter, outcome)
        for strike in range(1, times + 1):
            deadline = time.monotonic() + 120
            while len(outcome.confirmed) < REPORTS * strike // (times + 2) and time.monotonic() < deadline:
                if outcome.unexpected:
                    break
                time.sleep(0.05)
            interrupt()
    server.stop()
    assert not outcome.unexpected, "\n".join(outcome.unexpected)
    assert len(outcome.confirmed) == REPORTS  # each person got there in the end, starting again where cut off
    return outcome


def server_killed_and_started(server: ProductionServer) -> Callable[[], None]:
    def interrupt() -> None:
        server.kill()
        time.sleep(0.5)
        server.start()

    return interrupt


def test_every_report_confirmed_before_a_kill_exists_complete_and_the_ledger_verifies(server, say):
    began = time.monotonic()
    outcome = reports_submitted(server, interrupt=server_killed_and_started(server), times=KILLS)
    assert not server.errors_logged(), server.log()
    assert server.starts == KILLS + 1
    swept = everything_sent_is_complete(outcome, vault=Path(server.env["RANKFILE_VAULT_ROOT"]))
    say(
        f"crash: {REPORTS} reports confirmed, {KILLS} kill(s), a person cut off and starting again "
        f"{outcome.cut_off} times, in {time.monotonic() - began:.1f} s. Vault sweep: {swept}"
    )


@pytest.mark.skipif(
    not (os.environ.get("RANKFILE_SOAK_DATABASE_RESTART") and os.environ.get("RANKFILE_DATABASE_URL")),
    reason="restarts the PostgreSQL server: only in `make soak`, given the command (RANKFILE_SOAK_DATABASE_RESTART) "
    "for a cluster the run owns",
)
def test_every_report_confirmed_while_the_database_restarts_exists_complete(server, say):
    command = shlex.split(os.environ["RANKFILE_SOAK_DATABASE_RESTART"])

    def restart() -> None:
        subprocess.run(command, check=True, timeout=120)
        connection.close()  # this process's own connection did not outlive the restart either

    outcome = reports_submitted(server, interrupt=restart, times=KILLS)
    # A request the restart cut off is a 503 that says when to try again, never a server error.
    assert "Internal Server Error" not in server.log()
    swept = everything_sent_is_complete(outcome, vault=Path(server.env["RANKFILE_VAULT_ROOT"]))
    say(
        f"database restart: {REPORTS} reports confirmed, {KILLS} restart(s), {outcome.cut_off} times tried again. "
        f"Vault sweep: {swept}"
    )


def everything_sent_is_complete(outcome: Outcome, *, vault: Path) -> str:
    """Checks every report, the vault and the ledger; returns what `rankfile vault sweep` said it removed."""
    for pk, code in outcome.receipts.items():  # a draft whose receipt was shown opens with that code
        assert Report.objects.get(pk=pk).reporter_key_id == keys.receipt_key_unlock(code=code).keypair.pk
    for pk, sent in outcome.confirmed.items():
        report = Report.objects.get(pk=pk)
        assert report.status == ReportStatus.SUBMITTED
        key = keys.receipt_key_unlock(code=str(sent.code)) if sent.reporter is None else sent.reporter.key
        content = intake.report_content(report=report, key=key, actor=intake.REPORTER, capacity="reporter")
        assert content["what_happened"] == sent.text
        files = [
            b"".join(
                intake.report_file_open(
                    report=report, document_pk=document.pk, key=key, actor=intake.REPORTER, capacity="reporter"
                ).chunks
            )
            for document in report.evidence.all()
        ]
        assert files == ([sent.file] if sent.file else [])

    entries = Entry.objects.filter(subject_type="cases.report")
    for report in Report.objects.all():  # none half-written: each report, confirmed or not, has its entries
        actions = list(entries.filter(subject_id=report.pk).values_list("action", flat=True))
        assert actions.count("cases.report_started") == 1
        assert actions.count("cases.report_sent") == (0 if report.status == ReportStatus.DRAFT else 1)
        assert actions.count("cases.evidence_added") == report.evidence.count()

    swept = io.StringIO()
    call_command("vault", "sweep", "--older-than-minutes", "0", stdout=swept)
    on_disk = {path.relative_to(vault).as_posix() for path in vault.rglob("*") if path.is_file()}
    assert on_disk == set(Version.objects.exclude(blob="").values_list("blob", flat=True))
    call_command("ledger", "verify", stdout=io.StringIO())
    return swept.getvalue().strip()
