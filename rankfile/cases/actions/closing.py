"""When the reporter withdraws a report that has an open case: the body decides whether to go on without them.

A withdrawal does not end a case by itself. The panel (or, before there is one, the people who run the case) either
closes it — its timers are cancelled and its interim measures end — or goes on, with a reason code, where others
are at risk; the reporter is told either way, and the decision is on the ledger.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.cases import meanings, notify
from rankfile.cases.actions.decisions import lift_interim_measures
from rankfile.cases.actions.panel import move, require_manager
from rankfile.cases.models import Case, ReportStatus, Stage
from rankfile.deadlines import actions as deadlines
from rankfile.errors import InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.transactions import action

AFTER_WITHDRAWAL = schema.define(
    "cases.after_withdrawal",
    label=gettext_lazy("The panel decided how a case goes on after a withdrawal"),
    fields={"case": schema.ID, "proceeds": schema.BOOL, "reason": schema.CODE},
)
# Why a body goes on after the reporter withdrew: the risk to others, never the reporter's wishes overridden lightly.
PROCEED_REASONS = meanings.labels("proceed_reason")


@action
def case_after_withdrawal(*, case: Case, proceeds: bool, by: Any, reason_code: str = "") -> Case:
    require_manager(case, by)
    if not case.is_open:
        raise InvalidInput(_("This case is closed."), code="closed")
    if not case.reports.filter(status=ReportStatus.WITHDRAWN).exists():
        raise InvalidInput(_("The reporter has not withdrawn; the case goes on as it is."), code="not_withdrawn")
    if case.proceeds_without_reporter:
        raise InvalidInput(_("The body already decided to go on."), code="decided")
    if proceeds:
        if reason_code not in PROCEED_REASONS:
            message = _("Choose why the case goes on: %(reasons)s.") % {
                "reasons": ", ".join(str(r) for r in PROCEED_REASONS.values())
            }
            raise InvalidInput(message, code="reason", field_errors={"reason_code": [message]})
        case.proceeds_without_reporter = True
        case.save(update_fields=["proceeds_without_reporter"])
    else:
        reason_code = "withdrawn"
        for deadline in deadlines.open_deadlines_for(case):
            deadlines.deadline_cancel(deadline=deadline, by=by)
        lift_interim_measures(case, by=ledger.SYSTEM)
        case.closed_at, case.close_reason = timezone.now(), reason_code
        case.save(update_fields=["closed_at", "close_reason"])
        move(case, Stage.CLOSED, by=by)
    ledger.record(
        actor=by,
        action=AFTER_WITHDRAWAL,
        subject=case,
        data={"case": case.pk, "proceeds": proceeds, "reason": reason_code},
    )
    notify.parties(
        case,
        _("Case %(case)s after the withdrawal") % {"case": case.reference},
        (
            _("After the report was withdrawn, the body decided to go on with case %(case)s.")
            if proceeds
            else _("After the report was withdrawn, case %(case)s was closed.")
        )
        % {"case": case.reference},
    )
    return case
