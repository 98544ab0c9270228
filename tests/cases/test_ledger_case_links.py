"""The Ledger page names the case of an entry and links it for the people running it: the rule ``cases.run_case``
in its listing form, asked only of the cases a cheaper condition (``might_run_cases_q``: seated on the panel, or
sitting on the handling body) leaves, which must never leave out a case the person runs."""

import pytest
from django.db import transaction

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases.models import Case, NamedConflict, PanelRole, PanelStatus
from rankfile.cases.subjects import cases_named
from rankfile.ledger import actions as ledger
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.ledger.helpers import TEST_ACTION

pytestmark = pytest.mark.django_db


def test_running_a_case_is_within_the_cheap_condition_and_the_links_follow_the_rule(org_cases):
    org, cases = org_cases
    for name in ("dana", "dev", "dora", "dale", "olu", "oona", "rae", "ray", "lee", "abe"):
        user = org[name].user
        might = set(Case.objects.filter(case_policy.might_run_cases_q(user)).values_list("pk", flat=True))
        named = cases_named(user, {case.pk for case in cases})
        for case in cases:
            runs = policy.allows(user, "cases.run_case", case)
            assert case.pk in might or not runs, (name, case.reference)
            assert (named[case.pk].url == f"/cases/case/{case.reference}/") == runs, (name, case.reference)
            assert named[case.pk].words == f"case {case.reference}"


def test_the_oversight_body_sees_the_cases_named_on_the_ledger_page_and_linked_to_none(org_cases):
    org, cases = org_cases
    with transaction.atomic():
        for case in cases:
            ledger.record(actor=ledger.SYSTEM, action=TEST_ACTION, subject=case, data={"n": 1})
    oona = org["oona"]
    html = signed_in(oona.user, oona.key).get("/ledger/", {"action": TEST_ACTION}).content.decode()
    for case in cases:
        assert f"case {case.reference}" in html
        assert f'href="/cases/case/{case.reference}/"' not in html


@pytest.fixture
def org_cases() -> tuple[cb.Org, list[Case]]:
    org = cb.full_organization()
    seated = cb.seated(org)  # Dana investigates, Dev and Dora decide; Dale sits on the body but not the panel
    waiting = cb.opened(org, cb.formal_report(org, reporter="dale", respondent="lee"))  # Dale a party: excluded
    named = cb.formal_report(org, reporter="rae", respondent="ray")
    NamedConflict.objects.create(report=named, person=org["dora"].person)
    named_case = cb.opened(org, named)
    recused = cb.opened(org, cb.formal_report(org, reporter="rae", respondent="lee"))
    recused.panel.create(
        person=org["dev"].person, body=org.disciplinary, role=PanelRole.DECISION_MAKER, status=PanelStatus.RECUSED
    )
    return org, [seated, waiting, named_case, recused]
