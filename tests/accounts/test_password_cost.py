"""The passwords' Argon2 cost comes from the settings (Django's by default); a password stored at another cost is
hashed again when its owner next signs in."""

from rankfile.accounts.hashers import BoundedArgon2PasswordHasher


def test_the_default_cost_is_djangos(settings):
    hasher = BoundedArgon2PasswordHasher()
    assert (hasher.time_cost, hasher.memory_cost) == (2, 102400)


def test_a_lower_cost_is_used_and_a_password_at_another_cost_is_hashed_again(settings):
    settings.PASSWORD_ARGON2_TIME_COST = 1
    settings.PASSWORD_ARGON2_MEMORY_KIB = 1024
    hasher = BoundedArgon2PasswordHasher()
    cheap = hasher.encode("correct horse", hasher.salt())
    assert "$m=1024,t=1," in cheap
    assert hasher.verify("correct horse", cheap)
    assert not hasher.must_update(cheap)
    settings.PASSWORD_ARGON2_TIME_COST = 2
    assert hasher.must_update(cheap)
