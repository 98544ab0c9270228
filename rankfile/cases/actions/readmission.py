"""Re-admission: the third way (after an appeal and an override) past what a final decision holds (DESIGN.md
invariant 8). A member expelled by a final decision becomes a member again only by a carried vote of the body the
bylaws name (`roles.readmissions`; the convention unless they name another), on a motion about them, recorded by one
of that body's recorders. The expulsion's hold on their status ends; its bar from office, if any, stands until its
date. Flagged on the ledger, alerted to the oversight body at once, and listed for the membership."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.cases import holds, notify
from rankfile.cases import policy as case_policy
from rankfile.cases.actions.decisions import motion_about, refusal_recorded
from rankfile.cases.models import Decision, DecisionStatus, Readmission
from rankfile.errors import InvalidInput
from rankfile.governance import queries as governance_queries
from rankfile.governance.models import CaseEffect
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema
from rankfile.org import actions as org
from rankfile.org.models import MembershipStatus

READMITTED = schema.define(
    "cases.readmitted",
    label=gettext_lazy("A person was re-admitted by a vote"),
    fields={"case": schema.ID, "decision": schema.ID, "person": schema.ID, "vote": schema.ID, "body": schema.ID},
    flagged=True,
    checkpoint_after=True,
)


@refusal_recorded("readmission")
def readmission_record(*, decision: Decision, vote_reference: str, by: Any) -> Readmission:
    """Re-admit the member ``decision`` expelled, citing the carried vote ``vote_reference`` of the body the bylaws
    name, on a motion about them. Refused (and the refusal recorded, flagged) for any other vote or decision."""
    case = decision.case
    policy.require(by, "cases.readmit", case)  # a recorder of the re-admitting body; nobody else
    person = case.respondent
    if decision.status != DecisionStatus.FINAL or person is None:
        raise InvalidInput(_("Only a member expelled by a final decision is re-admitted."), code="not_final")
    if decision.overrides.exists():
        raise InvalidInput(_("This decision was overridden; there is nothing to re-admit from."), code="overridden")
    if holds.held_status(decision)[0] != MembershipStatus.EXPELLED:
        raise InvalidInput(_("This decision expelled nobody."), code="not_an_expulsion")
    if decision.readmissions.exists():
        raise InvalidInput(_("This member was already re-admitted."), code="already_readmitted")
    body = case_policy.readmitting_body()
    vote = governance_queries.carried_vote_of(
        body, vote_reference=vote_reference, power=_("re-admit an expelled member")
    )
    assert body is not None  # carried_vote_of refuses a vote of no body
    motion_about(vote, case, effect=CaseEffect.READMISSION)
    readmission = Readmission.objects.create(
        ledger_seq=ledger.next_seq(),
        decision=decision,
        person=person,
        vote_reference=vote.reference,
        body=body,
        made_by=by,
    )
    ledger.record(
        seq=readmission.ledger_seq,
        actor=by,
        action=READMITTED,
        subject=case,
        data={"case": case.pk, "decision": decision.pk, "person": person.pk, "vote": vote.pk, "body": body.pk},
    )
    # The hold ended with the row above: the status change is the re-admission's own consequence.
    org.membership_status_change(
        person=person,
        status=MembershipStatus.ACTIVE,
        effective_from=timezone.localdate(),
        reason_code="readmitted",
        decided_by_body=body,
        decided_by_reference=vote.reference,
        by=ledger.SYSTEM,
    )
    reference, name = vote.reference, person.name
    notify.oversight_of_readmission(name=name, case_reference=case.reference, vote_reference=reference)
    return readmission
