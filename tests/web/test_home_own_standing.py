"""A member expelled by a final decision is told so on his home page, and his menu offers only pages he can open."""

import pytest
from django.utils import timezone

from rankfile.cases.actions import decisions
from rankfile.ledger import actions as ledger
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
    assert f"You were expelled on {today:%-d %B %Y}." in html
    assert f"Both parties gave up their right to appeal, and the decision became final on {today:%-d %B %Y}" in html
    assert "The members' pages (their mandates" in html  # for good: no "meanwhile", no "until"
    assert "Meanwhile" not in html
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
    assert f"You are suspended from {today:%-d %B %Y} until {until:%-d %B %Y}." in html
    assert f"Until {until:%-d %B %Y}, the members' pages" in html
    assert "appeal" not in html.split('id="standing-heading"')[1].split("</section>")[0]


def test_the_respondent_expelled_when_the_window_closed_reads_the_day_it_closed():
    org = cb.full_organization()
    decision = cb.decided(org, sanctions=("expulsion",))
    decisions.finalize(decision=decision, by=ledger.SYSTEM)  # as the appeal window's timer does
    html = signed_in(org["ray"].user, org["ray"].key).get("/").content.decode()
    today = timezone.localdate()
    assert f"You were expelled on {today:%-d %B %Y}." in html
    assert f"The time to appeal closed on {today:%-d %B %Y} with no appeal" in html
    assert "Both parties gave up" not in html
