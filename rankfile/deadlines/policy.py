"""Who may see the list of overdue deadlines: whoever watches the ledger, where every miss is flagged (the oversight
body, and site administrators, who never see a case's deadlines: the ledger's rules keep those from them)."""

from rankfile.ledger.policy import watches_the_ledger
from rankfile.policy import rule_set

rule_set.add_rule("deadlines.view_overdue", watches_the_ledger)
