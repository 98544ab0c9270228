"""Governance: meetings, motions and votes, mandates with deadlines."""
