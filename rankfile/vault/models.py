"""The vault's tables. Nothing here holds a readable secret: private keys are wrapped, content is encrypted.

Rows are written only through ``rankfile.vault`` functions, which the callers' actions run and record on the
ledger.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyHolder(models.TextChoices):
    PERSON = "person", _("person")
    RECEIPT = "receipt", _("anonymous reporter")
    RECOVERY = "recovery", _("organization recovery key")
    HOLD = "hold", _("held for someone until they accept")
    TALLY = "tally", _("the organization's tally key, for counts in aggregate")


class Keypair(models.Model):
    """An X25519 key pair. The private key is stored only wrapped (see ``keys``), sealed to the one person it is
    held for (a hold, see ``holds``) or, for the recovery key and receipts, not at all."""

    holder = models.CharField(max_length=16, choices=KeyHolder.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="vault_keypairs"
    )
    public_key = models.BinaryField(max_length=32)
    wrapped_private = models.BinaryField(blank=True, default=b"")
    salt = models.BinaryField(max_length=16, blank=True, default=b"")
    opslimit = models.PositiveIntegerField(null=True, blank=True)
    memlimit = models.PositiveBigIntegerField(null=True, blank=True)
    locator = models.CharField(max_length=64, null=True, blank=True, unique=True)  # receipts: keyed hash of the code
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)  # replaced after a password reset; a hold, once over

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(retired_at__isnull=True), name="vault_one_current_key_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.holder} key {self.pk}"


class Document(models.Model):
    """Sealed content with a history of versions (a narrative, a statement, a message, a note, a file)."""

    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Version(models.Model):
    """One version of a document, encrypted under a data key of its own; never changed once written."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    sealed = models.BinaryField()  # nonce + AES-256-GCM ciphertext (for a file: its name, type, size and stream key)
    blob = models.CharField(max_length=200, blank=True)  # a file's encrypted stream, relative to VAULT_ROOT
    sealed_hash = models.BinaryField(max_length=32)  # SHA-256 of what is stored, for ledger entries
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="vault_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class WrappedKey(models.Model):
    """A version's data key, sealed to one reader (or to the recovery key). Revoking a reader deletes theirs."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="wrapped_keys")
    keypair = models.ForeignKey(Keypair, on_delete=models.PROTECT, related_name="wrapped_keys")
    sealed = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "keypair"], name="vault_one_wrap_per_reader")]

    def __str__(self) -> str:
        return f"key of {self.version} for {self.keypair}"


class RecoveryKey(models.Model):
    """The organization's recovery key: the public half is a reader of everything; the private half exists only as
    Shamir shares, each sealed to a trustee."""

    keypair = models.OneToOneField(Keypair, on_delete=models.PROTECT, related_name="recovery_key")
    threshold = models.PositiveSmallIntegerField()
    share_count = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One active recovery key, even if two setups run at once.
            models.UniqueConstraint(
                models.Value(1), condition=models.Q(replaced_at__isnull=True), name="vault_one_active_recovery_key"
            )
        ]

    def __str__(self) -> str:
        return f"recovery key {self.pk} ({self.threshold} of {self.share_count})"


class RecoveryShare(models.Model):
    recovery_key = models.ForeignKey(RecoveryKey, on_delete=models.PROTECT, related_name="shares")
    trustee = models.ForeignKey(Keypair, on_delete=models.PROTECT, related_name="recovery_shares")
    sealed_share = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recovery_key", "trustee"], name="vault_one_share_per_trustee")]

    def __str__(self) -> str:
        return f"share of {self.recovery_key} for {self.trustee}"


class RecoveryPurpose(models.TextChoices):
    RESTORE_ACCESS = "restore_access", _("restore a person's access after a password reset")
    HAND_OVER = "hand_over", _("hand material to new readers when every reader is gone")


class Recovery(models.Model):
    """A request to use the recovery key: needs ``threshold`` trustees' approvals, then wraps the versions' data
    keys to the targets. Shares given in approval are sealed to this request's own key, whose private half is
    wrapped under a key derived from the server's secret key (not in the database)."""

    recovery_key = models.ForeignKey(RecoveryKey, on_delete=models.PROTECT, related_name="recoveries")
    purpose = models.CharField(max_length=20, choices=RecoveryPurpose.choices)
    versions = models.ManyToManyField(Version, related_name="+")
    targets = models.ManyToManyField(Keypair, related_name="recoveries_received")
    request_public = models.BinaryField(max_length=32)
    request_wrapped_private = models.BinaryField(blank=True, default=b"")  # emptied when done
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery {self.pk} ({self.purpose})"


class RecoveryApproval(models.Model):
    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="approvals")
    trustee = models.ForeignKey(Keypair, on_delete=models.PROTECT, related_name="+")
    sealed_share = models.BinaryField(blank=True, default=b"")  # the trustee's share, sealed to the request; emptied
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recovery", "trustee"], name="vault_one_approval_per_trustee")]

    def __str__(self) -> str:
        return f"approval of {self.recovery} by {self.trustee}"
