"""API: JSON endpoints over the same actions and queries."""
