"""Vault: envelope encryption of case material, user keys, recovery by trustees."""
