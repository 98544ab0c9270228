"""The ledger's periodic job on the timers: ask witnesses that have not yet cosigned the latest checkpoint (the
ledger cannot register it itself: it sits below the timers)."""

from rankfile.deadlines import kinds
from rankfile.ledger import cosigning

kinds.register_periodic("checkpoints cosigned", cosigning.cosign_latest_if_missing)
