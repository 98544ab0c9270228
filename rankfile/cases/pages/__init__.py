"""The case pages, one module per page: the reporting pages and the handlers' (``reports``), the panel's workspace
(``panel``), a candidate's declaration, a party's page and an adviser's answer (``party``), the appeals body's page,
the decision letter, the members' list of overrides, and the oversight body's page to open a process investigation.
What they share is in ``common``.

Thin, like every view: who may open a page is the policy's to say (rankfile/cases/policy.py; anyone else finds
nothing, exactly as for a case that does not exist: DESIGN.md invariant 11); which steps a page offers is the step
table's (rankfile/cases/stages.py); every step is an action. Case documents open with the key unlocked in this
browser, and every opening is a read on the ledger (invariant 6).
"""
