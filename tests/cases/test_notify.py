"""Email about a case: one room (cases/notify.py), plain text, nothing to the respondent's side before the notice."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from rankfile.cases import notify
from tests.cases import casebuilders as cb

CASES = Path(notify.__file__).parent
pytestmark = pytest.mark.django_db


def _to(mailoutbox: list, who: cb.Member) -> list[str]:
    return [m.subject for m in mailoutbox if who.user.email in m.to]


def test_no_module_of_the_cases_app_but_notify_sends_mail():
    senders = []
    for path in sorted(CASES.rglob("*.py")):
        if path.name == "notify.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
                senders.append(f"{path.relative_to(CASES)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "rankfile" and "mail" in names:
                senders.append(f"{path.relative_to(CASES)}:{node.lineno}")
    assert senders == []


def test_before_the_notice_a_message_to_both_parties_reaches_the_reporter_alone(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = cb.full_organization()
    case = cb.seated(org)  # no notice yet
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify.parties(case, "Something happened", "Something happened in your case.")
    assert sent == 1
    assert _to(mailoutbox, org["rae"]) == [f"[{settings.ORG_NAME}] Something happened"]
    assert _to(mailoutbox, org["ray"]) == []

    cb.give_notice(org, case)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify.parties(case, "Something else", "Something else happened.")
    assert _to(mailoutbox, org["ray"]) == [f"[{settings.ORG_NAME}] Something else"]
    [message] = [m for m in mailoutbox if org["ray"].user.email in m.to]
    assert f"{settings.BASE_URL}/cases/mine/{case.reference}/" in message.body


def test_a_message_rolled_back_with_its_action_is_never_sent(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    case = cb.noticed(org)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.parties(case, "Held", "Held until the commit.")
    assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1


def test_email_is_plain_text_an_apostrophe_stays_an_apostrophe(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    case = cb.noticed(org)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify.parties(case, "The respondent's answer", "The respondent's answer & the panel's reply are in.")
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.subject == f"[{settings.ORG_NAME}] The respondent's answer"
        assert "The respondent's answer & the panel's reply are in." in message.body
        assert "&#x27;" not in message.body
        assert "&amp;" not in message.body


def test_a_date_in_an_email_reads_as_a_date(mailoutbox, django_capture_on_commit_callbacks):
    org = cb.full_organization()
    with django_capture_on_commit_callbacks(execute=True):
        notify.disciplinary_body_of_rejoin(org["ray"].person, date(2026, 12, 7))
    assert mailoutbox, "the disciplinary body is told"
    for message in mailoutbox:
        assert "from 7 December 2026." in message.body
