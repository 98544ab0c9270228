"""What records of this part are, for the pages of parts below that show them (hooks, registered when this app is
ready): the case a ledger entry is about, by its reference, linked to its page only for the people running it; and
where a case's overdue deadline is dealt with. Who may see entries or deadlines of cases at all is decided in
cases/policy.py (the oversight body, never site administrators by their role)."""

from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases.models import Case
from rankfile.deadlines import kinds
from rankfile.deadlines.models import Deadline
from rankfile.ledger import hooks
from rankfile.ledger.hooks import NamedSubject


def cases_named(reader: Any, ids: set[int]) -> dict[int, NamedSubject]:
    """The cases by their references, in one query for a page of entries, and one more when the reader might run
    some of them: those the reader runs linked (the rule ``cases.run_case`` in its query form)."""
    might_run = Exists(Case.objects.filter(case_policy.might_run_cases_q(reader), pk=OuterRef("pk")))
    cases = list(
        Case.objects.filter(pk__in=ids).annotate(might_run=might_run).values_list("pk", "reference", "might_run")
    )
    # The full rule only for the cases the reader might run: none, for most readers (the oversight body's members).
    candidates = {pk for pk, _reference, might in cases if might}
    run = (
        set(Case.objects.filter(case_policy.runs_cases_q(reader), pk__in=candidates).values_list("pk", flat=True))
        if candidates
        else set()
    )
    return {
        pk: NamedSubject(
            words=_("case %(reference)s") % {"reference": reference},
            url=reverse("cases:workspace", args=[reference]) if pk in run else "",
        )
        for pk, reference, _might in cases
    }


hooks.register_subject_namer(Case._meta.label_lower, cases_named)


def page_of_case_deadline(deadline: Deadline, reader: Any) -> kinds.Page | None:
    """A case's deadline is dealt with on the case's page by the people running it; the oversight body deals with a
    missed one by opening a process investigation. Nobody else has a page for it."""
    if deadline.subject_type == Case._meta.label_lower:
        case = Case.objects.filter(pk=deadline.subject_id).select_related("body").first()
        if case is not None and policy.allows(reader, "cases.run_case", case):
            return kinds.Page(url=reverse("cases:workspace", args=[case.reference]), words=_("Open the case"))
    if policy.allows(reader, "cases.oversee"):
        return kinds.Page(url=reverse("cases:investigation_new"), words=_("Open a process investigation"))
    return None


kinds.register_page("cases.", page_of_case_deadline)
