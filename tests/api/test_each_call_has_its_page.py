"""docs/api.md "Each call and its page": every operation of the API, every step the step table offers it and every
`rankfile` command has a row there, and each page and template a row names exists."""

import re
from pathlib import Path

from django.core.management import get_commands
from django.template.loader import get_template
from django.urls import Resolver404, resolve

from rankfile.api.endpoints import api
from rankfile.cases import stages
from rankfile.cases.pages.appeals import APPEAL_HANDLERS
from rankfile.cases.pages.panel import PANEL_HANDLERS
from rankfile.cases.pages.party import PARTY_HANDLERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
SAMPLE = {"reference": "C-2026-3", "seq": "1", "number": "1", "pk": "1"}  # what each {part} of an address stands for


def _rows() -> list[tuple[str, str]]:
    """(first cell, last cell) of each row of the section's tables."""
    section = DOC.read_text(encoding="utf-8").split("## Each call and its page", 1)[1]
    cells = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return [(row[0], row[-1]) for row in cells]


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def test_each_operation_of_the_api_has_a_row():
    listed = {span for first, _ in _rows() for span in _code_spans(first)}
    operations = {
        f"{method} {path}"  # the paths start with /api/ already
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in (m.upper() for m in methods)
    }
    operations |= {"GET /api/openapi.json", "GET /api/docs"}
    assert operations - listed == set()


def test_each_step_of_the_api_is_taken_on_a_page_of_the_same_people():
    on_pages = {
        stages.PANEL: set(PANEL_HANDLERS),
        stages.PARTY: set(PARTY_HANDLERS),
        stages.APPEALS: set(APPEAL_HANDLERS),
        stages.EMPOWERED: {"override"},  # the overrides page's own form (cases/pages/overrides.py)
    }
    missing = [step.name for step in stages.STEPS if step.api and step.name not in on_pages[step.by]]
    assert missing == []


def test_each_command_of_rankfile_has_a_row():
    ours = {name for name, app in get_commands().items() if app.startswith("rankfile.")}
    doc = DOC.read_text(encoding="utf-8").split("## Each call and its page", 1)[1]
    operator_only = doc.split("### The command line", 1)[1].split("|", 1)[0]
    named = {span.split()[1] for first, _ in _rows() for span in _code_spans(first) if span.startswith("rankfile ")}
    missing = {name for name in ours if name.replace("_", "-") not in named and f"`{name}`" not in operator_only}
    assert missing == set()


def test_each_page_and_template_a_row_names_exists():
    for _, page in _rows():
        for span in _code_spans(page):
            if span.endswith(".html"):
                get_template(span)
            elif span.startswith("/"):
                address = re.sub(r"\{(\w+)\}", lambda part: SAMPLE[part.group(1)], span)
                try:
                    resolve(address)
                except Resolver404:
                    raise AssertionError(f"docs/api.md names {span}, which is no page") from None
