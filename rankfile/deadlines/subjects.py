"""What the ledger's entries about a deadline are about, for the pages that list entries (a ledger hook, registered
when this app is ready): the kind of step, in the words of its kind, never the matter."""

from typing import Any

from django.utils.translation import gettext as _

from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline
from rankfile.ledger import hooks
from rankfile.ledger.hooks import NamedSubject


def deadlines_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    named = {}
    for pk, code in Deadline.objects.filter(pk__in=ids).values_list("pk", "kind"):
        try:
            label = kinds.kind_of(code).label
        except kinds.UnknownKind:
            continue
        named[pk] = NamedSubject(words=_("the deadline for %(step)s") % {"step": label})
    return named


hooks.register_subject_namer(Deadline._meta.label_lower, deadlines_named)
