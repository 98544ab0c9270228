"""Ledger: the tamper-evident record of every action."""
