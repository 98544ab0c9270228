from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryQuerySet(models.QuerySet["Entry"]):
    def count(self) -> int:
        """All the entries count as the last one's seq (the ledger has no gaps): COUNT(*) reads every row, some 150 ms
        on PostgreSQL at a million entries, for the Ledger page's page links. Any filter counts as usual."""
        query = self.query
        whole = not (query.where or query.is_sliced or query.distinct or query.combinator or query.annotations)
        if self._result_cache is None and whole:
            return int(self.aggregate(last=models.Max("seq"))["last"] or 0)
        return super().count()


class Entry(models.Model):
    """One action, as a leaf of the ledger's Merkle tree. Rows are never updated or deleted (triggers refuse it).

    The row's columns are exactly what is hashed: ``recorded_at`` and ``data`` are stored in their canonical
    text form, so verification recomputes each leaf from the row without re-encoding anything.
    """

    seq = models.PositiveBigIntegerField(primary_key=True, help_text=_("1 for the first entry; no gaps."))
    recorded_at = models.CharField(max_length=27, db_index=True, help_text=_("UTC, e.g. 2026-11-25T12:00:00.000000Z"))
    actor_type = models.CharField(max_length=16)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=80)
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    data = models.TextField(help_text=_("Canonical JSON object: ids, codes, dates and hashes only."))
    schema_version = models.PositiveSmallIntegerField()
    leaf_hash = models.BinaryField(max_length=32)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            # The Ledger page's filters, each with the entry's number: the newest entries of one kind of action, of
            # one kind of subject or of one actor are read from the index in order, without sorting every match.
            models.Index(fields=["action", "seq"], name="ledger_entry_action_seq"),
            models.Index(fields=["subject_type", "seq"], name="ledger_entry_subject_seq"),
            models.Index(fields=["actor_type", "actor_id", "seq"], name="ledger_entry_actor_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def recorded_at_time(self) -> datetime:
        """The time as a datetime (UTC), for pages that show it in the organization's time zone."""
        return datetime.strptime(self.recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)

    @property
    def recorded_at_display(self) -> str:
        """To the second, for people: 2026-11-25 12:00:00."""
        return self.recorded_at[:19].replace("T", " ")


class Node(models.Model):
    """Hash of a complete subtree of 2**level leaves starting at leaf position * 2**level (level >= 1).

    Stored as entries are appended, so that roots and proofs need O(log n) lookups, not the whole tree.
    """

    pk = models.CompositePrimaryKey("level", "position")
    level = models.PositiveSmallIntegerField()
    position = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("tree node")

    def __str__(self) -> str:
        return f"node {self.level}/{self.position}"


class Checkpoint(models.Model):
    """A signed tree head in the C2SP signed-note format, as sent to the witnesses."""

    size = models.PositiveBigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField(help_text=_("The signed note, byte for byte as signed and sent."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size"]
        get_latest_by = "size"

    def __str__(self) -> str:
        return f"checkpoint at {self.size}"


class Cosignature(models.Model):
    """A witness's cosignature on one of our checkpoints (C2SP tlog-cosignature): the note signature line, as
    received and verified. Appended to the checkpoint's note, it makes the cosigned note a witness returns."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.CharField(max_length=200, help_text=_("The witness's key name."))
    line = models.TextField(help_text=_("The signature line, byte for byte."))
    cosigned_at = models.BigIntegerField(help_text=_("When the witness cosigned, in seconds since 1970 (its claim)."))

    class Meta:
        verbose_name = _("cosignature")
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="one_cosignature_per_witness")]

    def __str__(self) -> str:
        return f"{self.witness} on {self.checkpoint_id}"


class WitnessedLog(models.Model):
    """Another organization's ledger this installation witnesses: its key and the latest checkpoint cosigned."""

    origin = models.CharField(max_length=200, unique=True)
    verifier = models.TextField(help_text=_("The log's verifier key: name+hash+key."))
    size = models.PositiveBigIntegerField(default=0)
    root = models.BinaryField(max_length=32, default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("witnessed ledger")

    def __str__(self) -> str:
        return f"{self.origin} at {self.size}"
