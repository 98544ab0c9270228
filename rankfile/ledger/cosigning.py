"""Witness cosignatures in the C2SP tlog-cosignature format (cosignature/v1, Ed25519), both ways.

As a **log**, this installation asks the witnesses named in ``RANKFILE_LEDGER_COSIGNERS`` to cosign its checkpoints
with the C2SP tlog-witness protocol (``request_cosignatures``): it sends ``old <size>``, a consistency proof from the
last checkpoint that witness cosigned, a blank line and the signed checkpoint, and keeps each cosignature line it
gets back once it verifies.

As a **witness**, it cosigns the checkpoints of the logs it was told to witness (``WitnessedLog``, added with
``rankfile ledger witness add``) at ``POST /ledger/witness/add-checkpoint`` (``add_checkpoint``), keeping for each
log only the latest checkpoint it cosigned, and refusing anything that does not extend it.

A cosignature line is ``— <witness name> base64(key ID || timestamp || signature)``: the key ID is
SHA-256(name || "\\n" || 0x04 || public key)[:4], the timestamp 8 bytes big-endian (POSIX seconds), and the Ed25519
signature is over ``cosignature/v1\\ntime <timestamp>\\n`` followed by the checkpoint's body.
"""

import base64
import binascii
import hashlib
import logging
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from rankfile.ledger import actions, hooks, merkle, queries, schema, signing
from rankfile.ledger.models import Checkpoint, Cosignature, WitnessedLog

log = logging.getLogger(__name__)

WITNESSING_STARTED = schema.define(
    "ledger.witnessing_started",
    label=gettext_lazy("This installation began to witness another organization's ledger"),
    fields={"key": schema.HASH},
)

COSIGNATURE_V1 = b"\x04"
HEADER = "cosignature/v1\n"
MAX_PROOF_LINES = 63
MAX_REQUEST = 64 * 1024
TIMEOUT = 10  # seconds for one witness to answer


class WitnessKeyError(ValueError):
    """A witness key that cannot be read; the message says why."""


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + COSIGNATURE_V1 + public_key).digest()[:4]


@dataclass(frozen=True)
class WitnessKey:
    name: str
    signing_key: SigningKey

    @property
    def public_key(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    @property
    def verifier(self) -> str:
        """The witness's public key as a C2SP vkey: name+keyID+base64(0x04 || key)."""
        encoded = base64.b64encode(COSIGNATURE_V1 + self.public_key).decode()
        return f"{self.name}+{key_id(self.name, self.public_key).hex()}+{encoded}"

    def private_text(self) -> str:
        seed = base64.b64encode(COSIGNATURE_V1 + bytes(self.signing_key)).decode()
        return f"PRIVATE+KEY+{self.name}+{key_id(self.name, self.public_key).hex()}+{seed}"

    @classmethod
    def from_private_text(cls, text: str) -> "WitnessKey":
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise WitnessKeyError("the witness key file does not hold a PRIVATE+KEY+name+hash+key line")
        name, hash_hex, seed_b64 = parts[2:]
        try:
            raw = base64.b64decode(seed_b64, validate=True)
        except binascii.Error:
            raise WitnessKeyError("the witness key is not valid base64") from None
        if len(raw) != 33 or raw[:1] != COSIGNATURE_V1:
            raise WitnessKeyError("the witness key is not an Ed25519 cosigning key")
        key = cls(name=name, signing_key=SigningKey(raw[1:]))
        if key_id(name, key.public_key).hex() != hash_hex:
            raise WitnessKeyError("the witness key's hash does not match its name and key")
        return key


def parse_verifier(verifier: str) -> tuple[str, bytes]:
    """(name, public key) of a witness's vkey; WitnessKeyError when it is not a cosignature/v1 Ed25519 key."""
    parts = verifier.strip().split("+", 2)
    if len(parts) != 3 or not parts[0]:
        raise WitnessKeyError("a witness key reads name+hash+key")
    name, hash_hex, key_b64 = parts
    try:
        raw = base64.b64decode(key_b64, validate=True)
    except binascii.Error:
        raise WitnessKeyError("the witness key is not valid base64") from None
    if len(raw) != 33 or raw[:1] != COSIGNATURE_V1:
        raise WitnessKeyError("the witness key is not an Ed25519 cosignature key (type 0x04)")
    if key_id(name, raw[1:]).hex() != hash_hex:
        raise WitnessKeyError("the witness key's hash does not match its name and key")
    return name, raw[1:]


def signed_message(body: str, timestamp: int) -> bytes:
    return f"{HEADER}time {timestamp}\n{body}".encode()


def cosign(note: str, key: WitnessKey, *, timestamp: int | None = None) -> str:
    """The cosignature line (ending in a newline) of ``key`` on the checkpoint ``note``."""
    body, _ = signing.split_note(note)
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = key.signing_key.sign(signed_message(body, timestamp)).signature
    blob = key_id(key.name, key.public_key) + timestamp.to_bytes(8, "big") + signature
    return f"{signing.SIGNATURE_PREFIX}{key.name} {base64.b64encode(blob).decode()}\n"


def cosignature_time(note: str, *, verifier: str) -> int | None:
    """When the witness of ``verifier`` cosigned ``note`` (POSIX seconds), or None if no line of it verifies."""
    try:
        name, public_key = parse_verifier(verifier)
        body, lines = signing.split_note(note)
    except (WitnessKeyError, signing.CheckpointError):
        return None
    expected = key_id(name, public_key)
    for line in lines:
        signer, _, blob_text = line[len(signing.SIGNATURE_PREFIX) :].partition(" ")
        if signer != name:
            continue
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except binascii.Error:
            continue
        if len(blob) != 76 or blob[:4] != expected:
            continue
        timestamp = int.from_bytes(blob[4:12], "big")
        if timestamp >= 2**63:
            continue
        try:
            VerifyKey(public_key).verify(signed_message(body, timestamp), blob[12:])
        except BadSignatureError:
            continue
        return timestamp
    return None


def valid_cosignatures(note: str, *, witnesses: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
    """(name, time) of each trusted witness whose cosignature on ``note`` verifies, once each."""
    found: dict[str, int] = {}
    for verifier in witnesses:
        timestamp = cosignature_time(note, verifier=verifier)
        if timestamp is not None:
            found.setdefault(verifier.split("+", 1)[0], timestamp)
    return sorted(found.items())


def trusted_witnesses() -> list[str]:
    """The witness keys this installation trusts by default: those it asks to cosign."""
    return [verifier for verifier, _ in settings.LEDGER_COSIGNERS]


def required() -> int:
    return hooks.cosignatures_required()


def lines_of(checkpoint: Checkpoint) -> str:
    """The cosignature lines kept for ``checkpoint``, to append to its note."""
    return "".join(checkpoint.cosignatures.order_by("witness", "pk").values_list("line", flat=True))


def with_cosignatures(checkpoint: Checkpoint) -> str:
    return checkpoint.note + lines_of(checkpoint)


# --- as a log: asking the witnesses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    witness: str
    ok: bool
    words: str


def _post(url: str, body: bytes) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (an address the operator gave)
    request.add_header("Content-Type", "text/plain; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status, response.headers.get("Content-Type", ""), response.read(MAX_REQUEST)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(MAX_REQUEST)


def request_body(*, old_size: int, proof: list[bytes], note: str) -> bytes:
    lines = [f"old {old_size}\n", *(base64.b64encode(element).decode() + "\n" for element in proof), "\n"]
    return ("".join(lines) + note).encode("utf-8")


def _ask_one(checkpoint: Checkpoint, verifier: str, url: str) -> Asked:
    name, _ = parse_verifier(verifier)
    if not url:
        return Asked(name, False, "no address is set for this witness")
    endpoint = url.rstrip("/") + "/add-checkpoint"
    last = checkpoint.__class__.objects.filter(cosignatures__witness=name, size__lte=checkpoint.size).order_by("-size")
    old_size = last.values_list("size", flat=True).first() or 0
    for _attempt in range(2):
        if old_size == checkpoint.size:
            proof: list[bytes] = []
        else:
            proof = (
                merkle.tree_consistency_proof(queries.DatabaseNodes(), old_size, checkpoint.size) if old_size else []
            )
        try:
            status, content_type, answer = _post(
                endpoint, request_body(old_size=old_size, proof=proof, note=checkpoint.note)
            )
        except (OSError, ValueError) as error:
            return Asked(name, False, f"could not reach {endpoint}: {error}")
        text = answer.decode("utf-8", "replace")
        if status == 409 and content_type.startswith("text/x.tlog.size") and text.strip().isdigit():
            known = int(text.strip())
            if known > checkpoint.size or known == old_size:
                return Asked(name, False, f"the witness knows a checkpoint at {known}, which this one does not extend")
            old_size = known
            continue
        if status != 200:
            return Asked(name, False, f"the witness answered {status}: {text.strip()[:200]}")
        kept = 0
        for line in text.splitlines(keepends=True):
            if not line.endswith("\n"):
                line += "\n"
            timestamp = cosignature_time(checkpoint.note + line, verifier=verifier)
            if timestamp is None:
                continue
            Cosignature.objects.get_or_create(
                checkpoint=checkpoint, witness=name, defaults={"line": line, "cosigned_at": timestamp}
            )
            kept += 1
        if not kept:
            return Asked(name, False, "the witness's answer holds no cosignature that verifies with its key")
        return Asked(name, True, f"cosigned checkpoint {checkpoint.size}")
    return Asked(name, False, "the witness kept answering with another size")


def request_cosignatures(checkpoint: Checkpoint | None = None, *, only_missing: bool = False) -> list[Asked]:
    """Ask every witness with an address to cosign ``checkpoint`` (default: the latest), or with ``only_missing``
    those that have not cosigned it yet. Never raises for a witness that cannot be reached: each answer says what
    happened."""
    checkpoint = checkpoint or Checkpoint.objects.order_by("-size").first()
    if checkpoint is None:
        return []
    have = set(checkpoint.cosignatures.values_list("witness", flat=True)) if only_missing else set()
    answers = []
    for verifier, url in settings.LEDGER_COSIGNERS:
        name = verifier.split("+", 1)[0]
        if only_missing and (not url or name in have):
            continue
        try:
            answer = _ask_one(checkpoint, verifier, url)
        except WitnessKeyError as error:
            answer = Asked(name, False, str(error))
        (log.info if answer.ok else log.warning)("witness %s: %s", answer.witness, answer.words)
        answers.append(answer)
    return answers


# --- as a witness: cosigning others' checkpoints ------------------------------------------------------------------


def witness_key(*, create: bool = False) -> WitnessKey | None:
    """This installation's cosigning key, from ``settings.WITNESS_KEY_FILE``; made there (mode 0600) if ``create``."""
    path = Path(settings.WITNESS_KEY_FILE)
    if path.exists():
        return WitnessKey.from_private_text(path.read_text(encoding="utf-8"))
    if not create:
        return None
    signing._check_name(settings.WITNESS_NAME)
    key = WitnessKey(name=settings.WITNESS_NAME, signing_key=SigningKey.generate())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as key_file:
        key_file.write(key.private_text() + "\n")
    return key


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


def _parse_request(body: bytes) -> tuple[int, list[bytes], str] | Answer:
    if len(body) > MAX_REQUEST:
        return Answer(400, "the request is too large\n")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Answer(400, "the request is not UTF-8 text\n")
    head, separator, note = text.partition("\n\n")
    if not separator:
        return Answer(400, "no blank line before the checkpoint\n")
    lines = head.split("\n")
    first = lines[0]
    size_text = first[4:] if first.startswith("old ") else ""
    if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0") or len(size_text) > 19:
        return Answer(400, "the first line is not `old <size>`\n")
    if len(lines) - 1 > MAX_PROOF_LINES:
        return Answer(400, "more than 63 consistency proof lines\n")
    proof = []
    for line in lines[1:]:
        try:
            element = base64.b64decode(line, validate=True)
        except binascii.Error:
            return Answer(400, "a consistency proof line is not base64\n")
        if len(element) != 32:
            return Answer(400, "a consistency proof line is not a hash\n")
        proof.append(element)
    return int(size_text), proof, note


def add_checkpoint(body: bytes) -> Answer:
    """The witness's side of ``add-checkpoint``, with the status codes of the C2SP tlog-witness protocol."""
    parsed = _parse_request(body)
    if isinstance(parsed, Answer):
        return parsed
    old_size, proof, note = parsed
    try:
        head = signing.read_body(note)
    except signing.CheckpointError as error:
        return Answer(400, f"the checkpoint cannot be read: {error}\n")
    key = witness_key()
    if key is None:
        return Answer(404, "this installation is not a witness\n")
    with transaction.atomic():
        witnessed = WitnessedLog.objects.select_for_update().filter(origin=head.origin).first()
        if witnessed is None:
            return Answer(404, "unknown log\n")
        try:
            signing.open_note(note, verifier=witnessed.verifier)
        except signing.CheckpointError:
            return Answer(403, "no signature by the log's key verifies\n")
        if old_size > head.size:
            return Answer(400, "the old size is larger than the checkpoint's\n")
        if old_size != witnessed.size:
            return Answer(409, f"{witnessed.size}\n", "text/x.tlog.size")
        if old_size == 0:
            if proof:
                return Answer(422, "the consistency proof must be empty from size 0\n")
        elif old_size == head.size:
            if head.root != bytes(witnessed.root):
                return Answer(409, "the same size with another root hash\n")
        elif not merkle.verify_consistency(old_size, head.size, bytes(witnessed.root), head.root, proof):
            return Answer(422, "the consistency proof does not verify\n")
        witnessed.size = head.size
        witnessed.root = head.root
        witnessed.save(update_fields=["size", "root", "updated_at"])
    return Answer(200, cosign(note, key))


@transaction.atomic
def witness_log(verifier: str, *, by: Any = None) -> WitnessedLog:
    """Start witnessing the log whose checkpoints ``verifier`` (name+hash+key) signs; its name is its origin."""
    name, _ = signing.parse_verifier(verifier)
    witnessed, _ = WitnessedLog.objects.update_or_create(origin=name, defaults={"verifier": verifier.strip()})
    actions.record(
        actor=by or actions.OPERATOR,
        action=WITNESSING_STARTED,
        subject=witnessed,
        data={"key": hashlib.sha256(verifier.strip().encode()).hexdigest()},
    )
    return witnessed


def latest_accepted(*, witnesses: list[str], required: int, look_back: int = 200) -> tuple[Checkpoint | None, int]:
    """The newest stored checkpoint ``required`` of ``witnesses`` cosigned, and how many newer ones are not (yet)."""
    later = 0
    for checkpoint in Checkpoint.objects.order_by("-size").prefetch_related("cosignatures")[:look_back]:
        note = checkpoint.note + "".join(c.line for c in checkpoint.cosignatures.all())
        if len(valid_cosignatures(note, witnesses=witnesses)) >= required:
            return checkpoint, later
        later += 1
    return None, later


def cosign_latest_if_missing(_now: Any = None) -> int:
    """Ask each witness with an address that has not yet cosigned the latest checkpoint to do so (a periodic job of
    the timers: a witness that was down is asked again on the next tick). How many cosignatures came back."""
    if not settings.LEDGER_COSIGNERS:
        return 0
    return sum(answer.ok for answer in request_cosignatures(only_missing=True))
