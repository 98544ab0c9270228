"""Settings for the test run: the product's own, read from the environment, with a data directory of the
run's own so that tests never touch ./var. Processes a test starts inherit the same directory."""

import os
import tempfile

if not os.environ.get("RANKFILE_DATA_DIR_FOR_TESTS"):
    os.environ["RANKFILE_DATA_DIR_FOR_TESTS"] = tempfile.mkdtemp(prefix="rankfile-test-")
os.environ["RANKFILE_DATA_DIR"] = os.environ["RANKFILE_DATA_DIR_FOR_TESTS"]

from rankfile.settings import *  # noqa: F403

# Argon2id at its least: the tests check what the vault does with the key, not how long making it takes.
VAULT_ARGON2_OPSLIMIT = 1
VAULT_ARGON2_MEMLIMIT = 8192

# Passwords likewise: Argon2id as in production, at its least cost (tests/hashers.py), and PBKDF2 still known.
PASSWORD_HASHERS = ["tests.hashers.LeastCostArgon2PasswordHasher", *PASSWORD_HASHERS[1:]]  # noqa: F405

# No commit of a test run needs to outlast a crash of the database server: on PostgreSQL, commits do not wait for the
# disk (they stay atomic and isolated; only a crash could lose the last of them).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
