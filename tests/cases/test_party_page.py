"""A party's own page of their case, as the reporter and the respondent found it on a phone: the way out and support
as on the reporting pages, words spoken to the respondent, and a response seen before it is sent."""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.cases import waiting
from rankfile.cases.actions import process
from rankfile.cases.models import Stage
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def client_of(org: cb.Org, name: str) -> Client:
    return signed_in(org[name].user, org[name].key)


def party_page(case) -> str:
    return f"/cases/mine/{case.reference}/"


@pytest.mark.parametrize("name", ["rae", "ray"])
def test_each_partys_page_has_the_quick_exit_that_leaves_no_trace_and_the_support_card(org, name, settings):
    settings.QUICK_EXIT_URL = "https://weather.example.org/"
    case = cb.noticed(org)
    html = client_of(org, name).get(party_page(case)).content.decode()
    assert 'href="https://weather.example.org/" data-quick-exit' in html
    assert '<script src="/static/cases/reporting.js" defer></script>' in html  # the exit replaces the history entry
    assert "Support, whatever happens in your case" in html
    assert "Talking to someone is not part of the case" in html


def test_the_respondents_page_speaks_to_him_and_the_reporters_of_him(org):
    case = cb.noticed(org)
    respondent = client_of(org, "ray").get(party_page(case)).content.decode()
    assert "Waiting for your response" in respondent
    assert "You have the notice and answer it in writing." in respondent
    assert "You are presumed not responsible unless the decision finds otherwise." in respondent
    assert "The respondent is presumed" not in respondent
    assert "The respondent has the notice" not in respondent
    reporter = client_of(org, "rae").get(party_page(case)).content.decode()
    assert "Waiting for the respondent&#x27;s response" in reporter
    assert "The respondent is presumed not responsible" in reporter


def test_a_response_is_shown_before_it_is_sent_and_goes_only_when_the_respondent_says_send(org):
    case = cb.noticed(org)
    ray = client_of(org, "ray")
    text = "I deny both.\nI was not at the meeting."
    checking = ray.post(party_page(case), {"step": "respond", "response-text": text})
    assert checking.status_code == 200
    html = checking.content.decode()
    assert "Check your response before you send it" in html
    assert "I deny both.<br>I was not at the meeting." in html
    assert ">Send</button>" in html
    assert ">Go back and change it</button>" in html
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE  # nothing sent yet

    changing = ray.post(party_page(case), {"step": "respond", "response-text": text, "change": "yes"})
    assert changing.status_code == 200
    assert "I deny both.\nI was not at the meeting.</textarea>" in changing.content.decode()
    assert "That step was not taken" not in changing.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE

    sent = ray.post(party_page(case), {"step": "respond", "response-text": text, "confirm": "yes"})
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_the_reporters_page_gives_the_deadline_her_step_has_as_her_home_page_does(org):
    case = cb.seated(org)
    process.notice_draft(case=case, allegations=cb.ALLEGATIONS, by=org["dana"].user)
    rae = client_of(org, "rae")
    due = next(item.due for item in waiting.waiting_for(user=org["rae"].user) if item.due is not None)
    html = rae.get(party_page(case)).content.decode()
    deadlines = html[html.index('id="deadlines-heading"') :]
    assert "No open deadlines." not in deadlines
    assert f"due by {date_format(timezone.localtime(due), 'j F Y, H:i')}" in deadlines
