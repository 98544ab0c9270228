"""Filing receipts: proof, checkable by anyone, that one ledger entry has been in the log since a signed checkpoint.

A receipt names an entry by its number and leaf hash, and carries the first signed checkpoint that includes it with
the inclusion proof against that checkpoint. It holds nothing the entry says: the leaf hash is a SHA-256 of the
entry, and the entry itself holds only ids, codes and hashes. To check a receipt against a later checkpoint (the
current one, or a witness's copy), a consistency proof from the receipt's checkpoint to the later one shows that the
log only grew in between, so the entry is still where it was.

The check is pure (``check``): it needs the receipt, the later checkpoint, the consistency proof, the log's
verifier key and, where witnesses are trusted, their keys. ``check_here`` builds the consistency proof from this
installation's own tree.
"""

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from rankfile.ledger import cosigning, merkle, queries, schema, signing
from rankfile.ledger.models import Checkpoint, Entry

FORMAT = "rankfile-filing-receipt/1"
MAX_TEXT = 64 * 1024  # a receipt is a few kilobytes; anything much larger is not one


class ReceiptError(ValueError):
    """Not a receipt, or one that cannot be read; the message says what is wrong, in words."""


@dataclass(frozen=True)
class Receipt:
    entry: int
    leaf_hash: bytes
    checkpoint: str  # the signed note, as signed (with any cosignatures it had when the receipt was made)
    inclusion_proof: tuple[bytes, ...]
    log_key: str  # the log's verifier key when the receipt was made; a checker trusts its own copy, not this
    recorded_at: str = ""
    signed_at: str = ""
    action: str = ""  # what the entry records, by its action's name ("cases.report_sent"); checked against the entry

    def to_text(self) -> str:
        document = {
            "format": FORMAT,
            "entry": self.entry,
            "leaf_hash": self.leaf_hash.hex(),
            "recorded_at": self.recorded_at,
            "action": self.action,
            "checkpoint": self.checkpoint,
            "checkpoint_signed_at": self.signed_at,
            "inclusion_proof": [element.hex() for element in self.inclusion_proof],
            "log_key": self.log_key,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @property
    def head(self) -> signing.TreeHead:
        return signing.read_body(self.checkpoint)


def _hex_hash(value: Any, *, what: str) -> bytes:
    if not isinstance(value, str):
        raise ReceiptError(_("The receipt's %(what)s is missing.") % {"what": what})
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise ReceiptError(_("The receipt's %(what)s is not a hash.") % {"what": what}) from None
    if len(raw) != 32:
        raise ReceiptError(_("The receipt's %(what)s is not a hash.") % {"what": what})
    return raw


def parse(text: str | bytes) -> Receipt:
    """A receipt from its file's text; ReceiptError saying what is wrong otherwise."""
    if isinstance(text, bytes):
        if len(text) > MAX_TEXT:
            raise ReceiptError(_("This file is too large to be a filing receipt."))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ReceiptError(_("This is not a filing receipt: it is not text.")) from None
    if len(text) > MAX_TEXT:
        raise ReceiptError(_("This text is too long to be a filing receipt."))
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise ReceiptError(_("This is not a filing receipt: it is not the receipt's file.")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReceiptError(_("This is not a filing receipt of this kind (%(format)s).") % {"format": FORMAT})
    entry = document.get("entry")
    if not isinstance(entry, int) or isinstance(entry, bool) or not 1 <= entry < 2**63:
        raise ReceiptError(_("The receipt's entry number is missing or not a number."))
    proof = document.get("inclusion_proof")
    if not isinstance(proof, list) or len(proof) > 64:
        raise ReceiptError(_("The receipt's inclusion proof is missing."))
    note = document.get("checkpoint")
    if not isinstance(note, str):
        raise ReceiptError(_("The receipt carries no signed checkpoint."))
    receipt = Receipt(
        entry=entry,
        leaf_hash=_hex_hash(document.get("leaf_hash"), what=_("leaf hash")),
        checkpoint=note,
        inclusion_proof=tuple(_hex_hash(element, what=_("inclusion proof")) for element in proof),
        log_key=str(document.get("log_key") or ""),
        recorded_at=str(document.get("recorded_at") or "")[:40],
        action=str(document.get("action") or "")[:80],
        signed_at=str(document.get("checkpoint_signed_at") or ""),
    )
    try:
        receipt.head  # noqa: B018 (read the checkpoint now, so that a broken one is named here)
    except signing.CheckpointError as error:
        raise ReceiptError(_("The receipt's checkpoint cannot be read: %(why)s") % {"why": error}) from None
    return receipt


def issue(*, seq: int) -> Receipt | None:
    """The receipt for entry ``seq``: against the first signed checkpoint that includes it (None until one does)."""
    entry = Entry.objects.filter(seq=seq).first()
    checkpoint = Checkpoint.objects.filter(size__gte=seq).order_by("size").first()
    if entry is None or checkpoint is None:
        return None
    proof = merkle.tree_inclusion_proof(queries.DatabaseNodes(), seq - 1, checkpoint.size)
    key = queries.existing_ledger_key()
    return Receipt(
        entry=seq,
        leaf_hash=bytes(entry.leaf_hash),
        checkpoint=checkpoint.note + cosigning.lines_of(checkpoint),
        inclusion_proof=tuple(proof),
        log_key=key.verifier if key else "",
        recorded_at=entry.recorded_at,
        action=entry.action,
        signed_at=checkpoint.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


@dataclass
class Check:
    """What a check found, step by step, in words; ``ok`` only when every step held."""

    steps: list[tuple[bool, str]] = field(default_factory=list)
    cosigned_by: list[tuple[str, int]] = field(default_factory=list)  # (witness name, POSIX time it cosigned)
    current_size: int = 0
    consistency_proof: tuple[bytes, ...] = ()
    what: str = ""  # the entry's label, once the stored entry confirmed the receipt's claim
    when: datetime | None = None  # when it was recorded, likewise

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(passed for passed, _ in self.steps)

    def step(self, passed: bool, words: str) -> bool:
        self.steps.append((passed, words))
        return passed


def check(
    receipt: Receipt,
    *,
    current_note: str,
    verifier: str,
    consistency_proof: tuple[bytes, ...] | list[bytes],
    witnesses: tuple[str, ...] | list[str] = (),
    required: int = 0,
) -> Check:
    """Does ``receipt`` prove its entry was in the log at its checkpoint, and is it still there at ``current_note``?

    ``verifier`` is the log's key the checker trusts; ``witnesses`` the witness keys the checker trusts, of which
    ``required`` must have cosigned the current checkpoint (or the receipt's).
    """
    result = Check(consistency_proof=tuple(consistency_proof))
    try:
        old = signing.open_note(receipt.checkpoint, verifier=verifier)
    except signing.CheckpointError as error:
        result.step(False, _("The receipt's checkpoint is not signed by this ledger's key: %(why)s") % {"why": error})
        return result
    result.step(
        True, _("The receipt's checkpoint (%(size)s entries) is signed by this ledger's key.") % {"size": old.size}
    )
    included = 1 <= receipt.entry <= old.size and merkle.verify_inclusion(
        receipt.leaf_hash, receipt.entry - 1, old.size, list(receipt.inclusion_proof), old.root
    )
    words = (
        _("Entry %(entry)s is in the ledger signed at %(size)s entries.")
        if included
        else _("The inclusion proof does not hold: entry %(entry)s is not in the checkpoint at %(size)s entries.")
    )
    if not result.step(included, words % {"entry": receipt.entry, "size": old.size}):
        return result
    try:
        new = signing.open_note(current_note, verifier=verifier)
    except signing.CheckpointError as error:
        result.step(False, _("The later checkpoint is not signed by this ledger's key: %(why)s") % {"why": error})
        return result
    result.current_size = new.size
    if new.origin != old.origin:
        result.step(False, _("The later checkpoint is of another ledger (%(origin)s).") % {"origin": new.origin})
        return result
    consistent = new.size >= old.size and (
        (new.size == old.size and new.root == old.root and not consistency_proof)
        or (
            new.size > old.size
            and merkle.verify_consistency(old.size, new.size, old.root, new.root, list(consistency_proof))
        )
    )
    if new.size == old.size:
        words = (
            _("The latest checkpoint is the receipt's own (%(new)s entries): entry %(entry)s is where it was.")
            if consistent
            else _("Another checkpoint of the same size (%(new)s entries) has another root: the ledger was rewritten.")
        )
    else:
        words = (
            _("The ledger only grew from %(old)s to %(new)s entries: entry %(entry)s is still where it was.")
            if consistent
            else _("The consistency proof from %(old)s to %(new)s entries does not hold: the ledger was rewritten.")
        )
    if not result.step(consistent, words % {"old": old.size, "new": new.size, "entry": receipt.entry}):
        return result
    for note in (current_note, receipt.checkpoint):
        result.cosigned_by = cosigning.valid_cosignatures(note, witnesses=witnesses)
        if len(result.cosigned_by) >= required:
            break
    if required or witnesses:
        result.step(
            len(result.cosigned_by) >= required,
            _("Cosigned by %(count)s of the witnesses you trust (%(required)s required).")
            % {"count": len(result.cosigned_by), "required": required},
        )
    return result


def later_note(*, against: str = "") -> tuple[str, int]:
    """The checkpoint a receipt is checked against here: a witness's copy (``against``), or the latest stored one
    with its cosignatures. Its size, too (0 when there is none)."""
    if against:
        try:
            return against, signing.read_body(against).size
        except signing.CheckpointError as error:
            raise ReceiptError(_("The later checkpoint cannot be read: %(why)s") % {"why": error}) from None
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is None:
        raise ReceiptError(_("This ledger has no signed checkpoint yet."))
    return latest.note + cosigning.lines_of(latest), latest.size


def check_here(
    receipt: Receipt,
    *,
    against: str = "",
    verifier: str = "",
    witnesses: tuple[str, ...] | list[str] | None = None,
    required: int | None = None,
) -> Check:
    """``check`` with this installation's tree: the consistency proof from the receipt's checkpoint to the later one
    (a witness's copy, or the latest stored), and the entry's leaf as stored now."""
    key = queries.existing_ledger_key()
    verifier = verifier or (key.verifier if key else "")
    if not verifier:
        raise ReceiptError(_("This installation has no ledger key to check signatures with; give the verifier key."))
    note, size = later_note(against=against)
    old_size = receipt.head.size
    proof: list[bytes] = []
    if size > old_size:
        try:
            proof = merkle.tree_consistency_proof(queries.DatabaseNodes(), old_size, size)
        except (LookupError, ValueError):
            raise ReceiptError(
                _("This ledger has no tree of %(size)s entries to check against.") % {"size": size}
            ) from None
    stored = Entry.objects.filter(seq=receipt.entry).first()
    trusted = cosigning.trusted_witnesses() if witnesses is None else witnesses
    result = check(
        receipt,
        current_note=note,
        verifier=verifier,
        consistency_proof=proof,
        witnesses=trusted,
        required=cosigning.required() if required is None else required,
    )
    still = stored is not None and bytes(stored.leaf_hash) == receipt.leaf_hash
    words = (
        _("The entry stored as number %(entry)s today is the one the receipt names.")
        if still
        else _("The entry stored as number %(entry)s today is not the one the receipt names.")
    )
    result.step(still, words % {"entry": receipt.entry})
    # What the entry records and when: only confirmed, never told. The receipt must state both (its time to the
    # microsecond, which no public page shows), so that nobody learns what an entry is by guessing at this page.
    if still and stored is not None and receipt.action and receipt.recorded_at:
        if (receipt.action, receipt.recorded_at) != (stored.action, stored.recorded_at):
            result.step(False, _("The receipt says it records something else, or another time, than its entry does."))
        else:
            result.what = str(schema.label_of(stored.action))
            result.when = datetime.strptime(stored.recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return result


def b64(hashes: tuple[bytes, ...] | list[bytes]) -> list[str]:
    return [base64.b64encode(element).decode() for element in hashes]
