"""The tally key: a reader of material that the system itself must count but no person may read one by one (members'
self-identification, docs/elections.md). Its private half lives in a file beside the database
(``settings.VAULT_TALLY_KEY_FILE``), never in it, so a copy of the database alone opens nothing sealed to it. Only
code that returns counts, never a person's answer to anyone but that person, unlocks it."""

import os
import secrets
from pathlib import Path

from django.conf import settings

from rankfile.vault import crypto
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import KeyHolder, Keypair


def _seed(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private file, then linked into place, so two processes starting at once agree.
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as key_file:
            key_file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def tally_key() -> UnlockedKey:
    """The tally key, unlocked from its file (made on first use), with its public half on record as a reader."""
    private = crypto.keypair_from_seed(_seed(Path(settings.VAULT_TALLY_KEY_FILE)))
    public = bytes(private.public_key)
    keypair = Keypair.objects.filter(holder=KeyHolder.TALLY, public_key=public, retired_at__isnull=True).first()
    if keypair is None:
        keypair = Keypair.objects.create(holder=KeyHolder.TALLY, public_key=public)
    return UnlockedKey(keypair=keypair, private=private)


def installed_public_key() -> bytes | None:
    """The public half of the tally key in its file, or None when the file is not there; never makes the key (a
    restore asks whether the key that opens the restored answers was put back)."""
    path = Path(settings.VAULT_TALLY_KEY_FILE)
    if not path.exists():
        return None
    return bytes(crypto.keypair_from_seed(bytes.fromhex(path.read_text(encoding="ascii").strip())).public_key)


def recorded_public_keys() -> set[bytes]:
    """The public halves of the tally keys the database names as readers (the current one, and any retired)."""
    return {bytes(key) for key in Keypair.objects.filter(holder=KeyHolder.TALLY).values_list("public_key", flat=True)}
