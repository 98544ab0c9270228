"""Every write of cases, one module per part of the process: a report's intake and handling (``intake``), the
panel and its case (``panel``), notice to report (``process``), the informal track, interim measures, decisions and
appeals, re-admissions, process investigations, supportive measures, what follows a withdrawal (``closing``) and
retention. Each write is one action in one transaction with its ledger entry (rankfile.transactions.action)."""
