"""A member expelled by a final decision is told so on his home page, and his menu offers only pages he can open."""

import pytest
from django.utils import timezone

from rankfile.cases.actions import decisions
from rankfile.org import actions as org_actions
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.org.builders import OPERATOR

pytestmark = pytest.mark.django_db

MEMBERS_ONLY = ('href="/mandates/"', 'href="/elections/"', 'href="/voice/"')


def _menu(html: str) -> str:
    start = html.index('<nav aria-label="Main">')
    return html[start : html.index("</nav>", start)]


def test_the_expelled_respondent_reads_his_status_his_bar_and_that_appeals_are_closed_and_no_members_link():
    org = cb.full_organization()
    decision = cb.decided(org, sanctions=("expulsion", "bar_from_office"))
    decisions.appeal_waive(case=decision.case, key=org["ray"].key, by=org["ray"].user)
    decisions.appeal_waive(case=decision.case, key=org["rae"].key, by=org["rae"].user)
    ray = signed_in(org["ray"].user, org["ray"].key)
    html = ray.get("/").content.decode()
    today = timezone.localdate()
    assert f"Your membership is expelled since {today:%-d %B %Y}." in html
    assert "the time to appeal is over" in html
    assert f"You are barred from office until {today.replace(year=today.year + 3):%-d %B %Y}." in html
    menu = _menu(html)
    for link in MEMBERS_ONLY:
        assert link not in menu
    # What he is offered instead opens for him.
    assert 'href="/public/mandates/"' in menu
    assert ray.get("/public/mandates/").status_code == 200
    assert 'href="/voice/public/statements/"' in menu
    assert ray.get("/voice/public/statements/").status_code == 200
    assert ray.get("/voice/").status_code == 404  # the page the menu no longer offers him


def test_an_active_member_is_shown_no_membership_card_and_every_members_link():
    org = cb.full_organization()
    html = signed_in(org["rae"].user, org["rae"].key).get("/").content.decode()
    assert 'id="standing-heading"' not in html
    menu = _menu(html)
    for link in MEMBERS_ONLY:
        assert link in menu


def test_a_suspension_for_a_time_says_until_when():
    org = cb.full_organization()
    today = timezone.localdate()
    until = today.replace(year=today.year + 1)
    org_actions.membership_status_change(
        person=org["lee"].person,
        status="suspended",
        effective_from=today,
        until=until,
        reason_code="dues_unpaid",
        by=OPERATOR,
    )
    html = signed_in(org["lee"].user, org["lee"].key).get("/").content.decode()
    assert f"Your membership is suspended from {today:%-d %B %Y} until {until:%-d %B %Y}." in html
    assert "the time to appeal is over" not in html
