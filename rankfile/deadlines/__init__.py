"""Deadlines: one timer mechanism for every step with a date (DESIGN.md invariant 10)."""
