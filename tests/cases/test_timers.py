"""Every timer of the process is declared in cases/timers.py, and what a miss does names a real action."""

import ast
from pathlib import Path

from django.utils.module_loading import import_string

from rankfile.cases import timers
from rankfile.deadlines import kinds

CASES = Path(timers.__file__).parent


def test_every_kind_of_the_cases_app_is_declared_in_timers():
    declared = {value.code for value in vars(timers).values() if isinstance(value, kinds.Kind)}
    of_cases = {code for code in kinds.registered() if code.startswith("cases.")}
    assert of_cases == declared
    assert len(declared) == 11


def test_no_other_module_of_the_cases_app_registers_a_kind_or_a_job():
    registering = []
    for path in sorted(CASES.rglob("*.py")):
        if path.name == "timers.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("register", "register_periodic", "Kind")
                and isinstance(node.value, ast.Name)
                and node.value.id == "kinds"
            ):
                registering.append(f"{path.relative_to(CASES)}:{node.lineno}")
    assert registering == []


def test_what_a_miss_does_and_every_job_names_a_function_of_the_actions():
    for path in [*timers.MISSED.values(), *timers.PERIODIC.values()]:
        assert callable(import_string(f"rankfile.cases.actions.{path}")), path
    assert set(timers.MISSED) <= set(kinds.registered())
    assert {code for code, kind in kinds.registered().items() if kind.on_missed and code.startswith("cases.")} == set(
        timers.MISSED
    )
    assert set(timers.PERIODIC) <= set(kinds.periodic_jobs())
