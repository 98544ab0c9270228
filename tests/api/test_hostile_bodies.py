"""Hostile step bodies: each field of each step's body given a value of the wrong kind (a number, a bool, a number
too large for any column, a superscript digit, a lone surrogate, a NUL, deep nesting), at a stage where the step is
open to the caller. Every answer is a refusal as a problem document, never a server error, and changes nothing."""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rankfile import problems
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

HUGE = 2**80
DEPTH = 50_000  # far deeper than Python's recursion limit

# A value that fits no field of any step, as JSON text (deep nesting cannot go through json.dumps).
HOSTILE = st.one_of(
    st.sampled_from(["5", "true", "false", "null", str(HUGE), str(-HUGE), '"\u00b2"', '"\\ud800"', '"a\\u0000b"']),
    st.sampled_from(["1e400", "-0.0", "1.5", "[{}]", '{"1": []}', f"[{HUGE}]", '["\\udfff"]']),
    st.just('{"\u00b2": "responsible"}'),
    st.sampled_from(["[" * DEPTH + "]" * DEPTH, '{"a":' * DEPTH + "1" + "}" * DEPTH]),
    st.integers().map(str),
)

TEXT = {"text", "rationale"}

# A step, who takes it, where it is open, and a body it accepts: each test replaces one field.
STEPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "notice_draft": ("dana", "seated", {"allegations": cb.ALLEGATIONS}),
    "notice_delay": ("dana", "seated", {"until": "2099-01-01", "reason_code": "retaliation_risk"}),
    "review_open": ("dana", "investigating", {"items": []}),
    "investigation_report": ("dana", "investigating", {"text": "Report."}),
    "decision": (
        "dev",
        "for_decision",
        {"findings": {"1": "responsible", "2": "responsible"}, "rationale": "Reasons.", "sanctions": []},
    ),
}


def _with(body: dict[str, Any], field: str, value: str) -> str:
    """The body as JSON text, with ``field`` holding ``value`` as it is written."""
    marker = "__hostile__"
    return json.dumps({**body, field: marker}).replace(json.dumps(marker), value)


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_step_body_of_the_wrong_kind_is_refused_as_a_problem_and_changes_nothing(step: str) -> None:
    who, stage, valid = STEPS[step]
    org = cb.full_organization()
    case = getattr(cb, stage)(org)
    client = signed_in(org[who].user, org[who].key)
    url = f"/api/cases/{case.reference}/steps/{step}"
    before = Entry.objects.count()

    @given(field=st.sampled_from(sorted(valid)), value=HOSTILE)
    @settings(max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    def check(field: str, value: str) -> None:
        assume(not (field in TEXT and value == '"\u00b2"'))  # a superscript two is text
        response = client.post(url, _with(valid, field, value), content_type="application/json")
        assert 400 <= response.status_code < 500, (field, value[:40], response.content[:300])
        assert response["Content-Type"] == problems.CONTENT_TYPE
        assert response.json()["code"]

    stage_before = case.stage
    check()
    case.refresh_from_db()
    assert case.stage == stage_before
    assert Entry.objects.count() == before
