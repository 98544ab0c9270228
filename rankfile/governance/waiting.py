"""What waits for a person in governance: progress to report on each open mandate of a body they sit on, due
within the next weeks or overdue, on the mandate's page."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile.governance.mandates import due_at
from rankfile.governance.models import OPEN_STATUSES, Mandate
from rankfile.org import queries as org_queries
from rankfile.waiting import Item

SOON = timedelta(days=30)  # a mandate due later than this waits on nobody yet


def waiting_for(*, user: Any) -> list[Item]:
    person = org_queries.person_of(user=user)
    if person is None:
        return []
    today = timezone.localdate()
    bodies = [seat.body_id for seat in org_queries.seats_on_any_body(person=person, day=today)]
    due = Mandate.objects.filter(
        responsible_body_id__in=bodies, status__in=OPEN_STATUSES, due_on__lte=today + SOON
    ).select_related("responsible_body")
    return [
        Item(
            _("Report progress on a mandate"),
            str(_("Mandate %(reference)s: %(title)s") % {"reference": mandate.reference, "title": mandate.title}),
            reverse("governance:mandate_detail", args=[mandate.reference]),
            due_at(mandate.due_on),
            _("Your body, the %(body)s, is responsible for it.") % {"body": mandate.responsible_body.name},
        )
        for mandate in due.order_by("due_on", "pk")
    ]
