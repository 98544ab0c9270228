"""The password hasher of the test run: Argon2id, as in production, at its least cost."""

from rankfile.accounts.hashers import BoundedArgon2PasswordHasher


class LeastCostArgon2PasswordHasher(BoundedArgon2PasswordHasher):
    """Production's hasher (same algorithm, same stored format), one pass over 8 KiB: the tests check who gets in
    and what a hash looks like, not how long guessing one takes. Production's costs are Django's own."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
