"""Benchmarks: `python -m bench.ledger` measures the ledger against its targets and prints one table."""
