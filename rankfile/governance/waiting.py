"""What waits for a person in governance: progress to report on each open mandate of a body they sit on, due
within the next weeks or overdue, on the mandate's page. The ten due first are listed; for the rest, one line per
body to the tracker, which shows that body's mandates a page at a time."""

from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rankfile.governance.mandates import due_at
from rankfile.governance.models import OPEN_STATUSES, Mandate
from rankfile.org import queries as org_queries
from rankfile.waiting import Item

SOON = timedelta(days=30)  # a mandate due later than this waits on nobody yet
LISTED_AT_MOST = 10  # mandates listed on the home page; beyond, a line per body to the tracker


def waiting_for(*, user: Any) -> list[Item]:
    person = org_queries.person_of(user=user)
    if person is None:
        return []
    today = timezone.localdate()
    until = today + SOON
    bodies = sorted(org_queries.bodies_sat_on(person_id=person.pk, day=today))
    if not bodies:
        return []
    due = Mandate.objects.filter(responsible_body_id__in=bodies, status__in=OPEN_STATUSES, due_on__lte=until)
    listed = list(due.select_related("responsible_body").order_by("due_on", "pk")[:LISTED_AT_MOST])
    items = [
        Item(
            _("Report progress on a mandate"),
            str(_("Mandate %(reference)s: %(title)s") % {"reference": mandate.reference, "title": mandate.title}),
            reverse("governance:mandate_detail", args=[mandate.reference]),
            due_at(mandate.due_on),
            _("Your body, the %(body)s, is responsible for it.") % {"body": mandate.responsible_body.name},
        )
        for mandate in listed
    ]
    if len(listed) == LISTED_AT_MOST:
        items += _the_rest(due, listed, until)
    return items


def _the_rest(due: Any, listed: list[Mandate], until: Any) -> list[Item]:
    """One line per body whose mandates are not all listed, to its mandates on the tracker (one query)."""
    shown = Counter(mandate.responsible_body_id for mandate in listed)
    per_body = (
        due.order_by()
        .values_list("responsible_body_id", "responsible_body__slug", "responsible_body__name")
        .annotate(number=Count("pk"))
        .order_by("responsible_body__name")
    )
    items = []
    for body_id, slug, name, number in per_body:
        rest = number - shown[body_id]
        if rest <= 0:
            continue
        what = ngettext(
            "Report progress on %(count)d more mandate", "Report progress on %(count)d more mandates", rest
        ) % {"count": rest}
        where = _("The %(body)s's mandates due by %(day)s") % {"body": name, "day": date_format(until, "j F Y")}
        url = reverse("governance:tracker") + "?" + urlencode({"body": slug, "due_until": until.isoformat()})
        items.append(Item(what, str(where), url, why=_("Only those due first are listed here.")))
    return items
