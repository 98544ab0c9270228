"""What records of this part are, for the pages of parts below that show them (hooks, registered when this app is
ready): the meetings and mandates the ledger's entries are about, by the reference people cite, linked where the reader
may open the page; and the page where a mandate's deadline is dealt with, for the list of overdue deadlines."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline
from rankfile.governance.models import Mandate, Meeting, Milestone
from rankfile.ledger import hooks
from rankfile.ledger.hooks import NamedSubject


def mandates_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    named = {}
    for mandate in Mandate.objects.filter(pk__in=ids).select_related("responsible_body"):
        linked = policy.allows(reader, "governance.view_mandate", mandate)
        named[mandate.pk] = NamedSubject(
            words=_("mandate %(reference)s") % {"reference": mandate.reference},
            url=reverse("governance:mandate_detail", args=[mandate.reference]) if linked else "",
        )
    return named


def meetings_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    linked = policy.allows(reader, "governance.view_meetings")
    return {
        pk: NamedSubject(
            words=_("meeting %(reference)s") % {"reference": reference},
            url=reverse("governance:meeting_detail", args=[reference]) if linked else "",
        )
        for pk, reference in Meeting.objects.filter(pk__in=ids).values_list("pk", "reference")
    }


hooks.register_subject_namer(Mandate._meta.label_lower, mandates_named)
hooks.register_subject_namer(Meeting._meta.label_lower, meetings_named)


def page_of_mandate_deadline(deadline: Deadline, reader: Any) -> kinds.Page | None:
    """A mandate's or a milestone's deadline is dealt with on the mandate's page, for whoever may see the mandate."""
    if deadline.subject_type == Milestone._meta.label_lower:
        mandate = Mandate.objects.filter(milestones__pk=deadline.subject_id).first()
    else:
        mandate = Mandate.objects.filter(pk=deadline.subject_id).first()
    if mandate is None or not policy.allows(reader, "governance.view_mandate", mandate):
        return None
    return kinds.Page(
        url=reverse("governance:mandate_detail", args=[mandate.reference]),
        words=_("Mandate %(reference)s: %(title)s") % {"reference": mandate.reference, "title": mandate.title},
    )


kinds.register_page("governance.", page_of_mandate_deadline)
