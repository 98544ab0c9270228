"""Backup and restore: one consistent archive of the database, the vault's sealed files and the ledger's public key
and checkpoints (docs/operations.md). At the top of the layers: it reads the ledger and the vault; nothing imports
it."""
