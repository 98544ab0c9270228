"""What the ledger's entries about a case are about, for the pages that list entries (a ledger hook, registered when
this app is ready): the case's reference, linked to its page only for the people running it. Who may see entries
about cases at all is decided in cases/policy.py (the oversight body's, never site administrators')."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.cases.models import Case
from rankfile.ledger import hooks
from rankfile.ledger.hooks import NamedSubject


def cases_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    named = {}
    for case in Case.objects.filter(pk__in=ids).select_related("body"):
        linked = policy.allows(reader, "cases.run_case", case)
        named[case.pk] = NamedSubject(
            words=_("case %(reference)s") % {"reference": case.reference},
            url=reverse("cases:workspace", args=[case.reference]) if linked else "",
        )
    return named


hooks.register_subject_namer(Case._meta.label_lower, cases_named)
