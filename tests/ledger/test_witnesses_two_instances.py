"""Two Rankfile installations witness each other over HTTP with the C2SP tlog-witness protocol: this one (served by
the test server) and another served by `rankfile serve` on a database of its own. Each cosigns the other's
checkpoints; `rankfile ledger verify` accepts them with the cosignature required, and a filing receipt checks out
against a witness-cosigned checkpoint, from the command line and on the public page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from rankfile.ledger import actions as ledger
from rankfile.ledger import cosigning, queries, receipts
from rankfile.ledger.models import Cosignature
from tests.ledger.helpers import append

pytestmark = pytest.mark.django_db(transaction=True)
RANKFILE = [sys.executable, "-m", "rankfile"]
QUIET = ["--no-access-log", "--no-collectstatic", "--tick-every", "0"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Other:
    """The other installation: its own data directory and SQLite database, commands run as its operator would."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("RANKFILE_", "DJANGO_"))}
        self.env.update(
            {
                "RANKFILE_DATA_DIR": str(data_dir),
                "RANKFILE_BASE_URL": self.url,
                "RANKFILE_LEDGER_ORIGIN": "other.example.org/rankfile",
                "RANKFILE_WITNESS_NAME": "other.example.org/witness",
            }
        )

    def run(self, *args: str, extra: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*RANKFILE, *args],
            env={**self.env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Other]:
    port = free_port()
    installation = Other(tmp_path / "other", port)
    installation.run("migrate", "--noinput", "-v0")
    server = subprocess.Popen(
        # Only the witness's endpoint is used, which renders no page: no static files to collect, no timers.
        [*RANKFILE, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", *QUIET],
        env=installation.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(installation.url + "/api/health", timeout=2):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the other installation did not start") from None
                time.sleep(0.3)
        yield installation
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_installations_cosign_each_others_checkpoints(other, live_server, settings, tmp_path, capsys):
    settings.WITNESS_KEY_FILE = tmp_path / "witness_key"
    settings.WITNESS_NAME = "this.example.org/witness"
    this_witness = cosigning.witness_key(create=True)
    assert this_witness is not None
    this_log, _ = queries.ledger_key()
    other_log = other.run("ledger", "key").stdout.strip()
    other_witness = other.run("ledger", "witness", "key").stdout.strip()
    cosigning.witness_log(other_log)
    other.run("ledger", "witness", "add", this_log.verifier)

    # The other installation cosigns ours: first from nothing, then from the size it cosigned before (our ledger
    # holds one entry more than those appended here: that it began to witness the other's).
    settings.LEDGER_COSIGNERS = [(other_witness, other.url + "/ledger/witness")]
    append(5)
    first = ledger.checkpoint_create()
    assert [answer.ok for answer in cosigning.request_cosignatures(first)] == [True]
    append(6, start=5)
    second = ledger.checkpoint_create()
    answers = cosigning.request_cosignatures(second)
    assert [(answer.ok, answer.words) for answer in answers] == [(True, "cosigned checkpoint 12")]
    assert Cosignature.objects.filter(witness="other.example.org/witness").count() == 2
    call_command("ledger", "verify", "--required", "1")
    assert "the latest checkpoint cosigned by 1 trusted witness(es) is at 12 entries" in capsys.readouterr().out

    # A receipt checks out against the witness-cosigned checkpoint, from the command line and on the public page.
    receipt = receipts.issue(seq=3)
    assert receipt is not None
    path = tmp_path / "filing-receipt-3.json"
    path.write_text(receipt.to_text())
    call_command("receipt", "check", str(path), "--required", "1", "--witness", other_witness)
    assert "Cosigned by 1 of the witnesses you trust (1 required)." in capsys.readouterr().out
    page = Client().post("/ledger/receipt/", {"receipt_text": receipt.to_text()}).content.decode()
    assert "The receipt checks out" in page
    assert "Cosigned by 1 of the witnesses you trust" in page
    checkpoint_page = Client().get("/ledger/checkpoint/").content.decode()
    assert "Cosigned by the witness other.example.org/witness" in checkpoint_page

    # And ours cosigns the other's: its operator signs a checkpoint, which asks us; its verify then accepts it.
    ask_us = {"RANKFILE_LEDGER_COSIGNERS": f"{this_witness.verifier} {live_server.url}/ledger/witness"}
    signed = other.run("ledger", "checkpoint", extra=ask_us)
    assert "witness this.example.org/witness: cosigned checkpoint" in signed.stdout
    verified = other.run("ledger", "verify", "--required", "1", extra=ask_us)
    assert "the latest checkpoint cosigned by 1 trusted witness(es)" in verified.stdout
    unwitnessed = other.run("ledger", "verify", "--required", "2", extra=ask_us, check=False)
    assert unwitnessed.returncode != 0
