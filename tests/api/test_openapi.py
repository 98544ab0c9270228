"""The OpenAPI document: served at /api/openapi.json, committed as docs/openapi.json, made from the step table."""

import json
from io import StringIO
from pathlib import Path
from typing import get_args

import pytest
from django.core.management import call_command

from rankfile.api import schemas
from rankfile.cases import stages
from rankfile.cases.actions import process
from rankfile.cases.models import AppealGround, AppealOutcome, FindingOutcome

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = "docs/openapi.json is not the document the API serves: run `rankfile openapi > docs/openapi.json`"


def test_the_committed_openapi_document_is_the_one_the_api_serves(client, db):
    served = client.get("/api/openapi.json")
    assert served.status_code == 200
    printed = StringIO()
    call_command("openapi", stdout=printed)
    assert json.loads(COMMITTED.read_text()) == served.json(), REGENERATE
    assert COMMITTED.read_text() == printed.getvalue(), REGENERATE


def test_every_step_the_table_offers_to_the_api_is_one_operation_and_set_aside_is_one_more(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    offered = {p.rsplit("/", 1)[1] for p in paths if "/steps/" in p}
    assert offered == {step.name for step in stages.STEPS if step.api} | {"set_aside"}
    for name in offered:
        operation = paths[f"/api/cases/{{reference}}/steps/{name}"]["post"]
        assert {"400", "404"} <= set(operation["responses"]), name
        assert operation["responses"]["404"]["content"].keys() == {"application/problem+json"}


@pytest.mark.parametrize(
    ("offered", "choices"),
    [
        (schemas.FindingOutcome, FindingOutcome.values),
        (schemas.AppealGround, AppealGround.values),
        (schemas.AppealOutcome, AppealOutcome.values),
        (schemas.NoticeReason, process.NOTICE_REASONS),
    ],
)
def test_the_api_offers_exactly_the_choices_the_models_take(offered, choices):
    assert set(get_args(offered)) == set(choices)
