"""The vault's one error: something could not be opened, or was refused before anything was stored."""

from django.utils.translation import gettext_lazy as _

from rankfile.errors import RankfileError


class VaultError(RankfileError):
    """Wrong key, changed or truncated ciphertext, an upload too large or of a kind not accepted.

    ``code``: ``wrong_key``, ``tampered``, ``truncated``, ``too_large``, ``file_type``, ``locked`` (no key unlocked in
    this session), ``no_recovery_key``, ``recovery`` (a recovery step that cannot be taken), ``rate_limited``.
    """

    status = 400
    code = "vault"


class FileMissing(VaultError):
    """A sealed file's content is not in the vault directory: a restore left it out, or a disk lost it. Nothing the
    reader did: said as the server's fault, with what the operator does about it."""

    status = 500
    code = "file_missing"
    title = _("This file is missing from the vault")

    def __init__(self) -> None:
        super().__init__(
            _(
                "The file's record is here but its content is not in the vault directory. Nothing you did caused "
                "this. Tell whoever runs the installation: they restore the vault directory from a backup."
            )
        )
