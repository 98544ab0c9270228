"""Rankfile: independent, survivor-centred handling of harm reports, and leadership that answers to the members."""
