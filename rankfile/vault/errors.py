"""The vault's one error: something could not be opened, or was refused before anything was stored."""

from rankfile.errors import RankfileError


class VaultError(RankfileError):
    """Wrong key, changed or truncated ciphertext, an upload too large or of a kind not accepted.

    ``code``: ``wrong_key``, ``tampered``, ``truncated``, ``too_large``, ``file_type``, ``locked`` (no key unlocked in
    this session), ``no_recovery_key``, ``recovery`` (a recovery step that cannot be taken), ``rate_limited``.
    """

    status = 400
    code = "vault"
