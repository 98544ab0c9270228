"""What the ledger's entries about meetings and mandates are about, for the pages that list entries (a ledger hook,
registered when this app is ready): the reference people cite, linked where the reader may open the page."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.governance.models import Mandate, Meeting
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
