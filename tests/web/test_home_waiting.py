"""The home page lists what waits for each person, the overdue first, each linking to the page where it is done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.cases.actions import panel, process
from rankfile.cases.models import PanelRole
from rankfile.deadlines.models import Deadline
from rankfile.waiting import Item, in_order
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


def _home(who: cb.Member) -> str:
    response = signed_in(who.user, who.key).get("/")
    assert response.status_code == 200
    return response.content.decode()


def _waiting(page: str) -> str:
    """The "Waiting for you" section alone."""
    start = page.index('id="waiting-heading"')
    return page[start : page.index("</section>", start)]


def test_the_overdue_come_first_then_the_soonest_then_what_has_no_date():
    now = timezone.now()
    later = Item("later", "", "/b/", now + timedelta(days=5))
    soon = Item("soon", "", "/a/", now + timedelta(days=1))
    late = Item("late", "", "/c/", now - timedelta(days=2))
    undated = Item("undated", "", "/d/")
    assert [i.what for i in in_order([undated, later, late, soon])] == ["late", "soon", "later", "undated"]
    assert late.overdue
    assert not soon.overdue


def test_a_member_with_nothing_to_do_is_told_so():
    org = cb.full_organization()
    assert "Nothing waits for you now" in _waiting(_home(org["one"]))


def test_a_proposed_panelist_is_asked_to_declare_and_the_reporter_to_agree_to_the_draft_notice():
    org = cb.full_organization()
    case = cb.opened(org)
    panel.panelist_propose(case=case, person=org["dev"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    waiting = _waiting(_home(org["dev"]))
    assert "Say whether you have a conflict of interest" in waiting
    assert f'href="/cases/panel/{case.reference}/"' in waiting

    seated = cb.seated(org)  # another case, with its standard panel
    process.notice_draft(case=seated, allegations=cb.ALLEGATIONS, by=org["dana"].user)
    waiting = _waiting(_home(org["rae"]))
    assert "Read the draft notice and agree to it" in waiting
    assert f'href="/cases/mine/{seated.reference}/"' in waiting
    # The respondent is told nothing before the notice: no item, no case reference.
    assert seated.reference not in _home(org["ray"])


def test_after_the_notice_the_respondent_is_asked_to_respond_by_a_date():
    org = cb.full_organization()
    case = cb.noticed(org)
    waiting = _waiting(_home(org["ray"]))
    assert "Send your response to the notice" in waiting
    assert "Due by" in waiting
    assert f'href="/cases/mine/{case.reference}/"' in waiting
    # The reporter has nothing to do at this stage; the panel waits on the respondent too.
    assert case.reference not in _waiting(_home(org["rae"]))


def test_only_the_decision_makers_are_asked_to_decide():
    org = cb.full_organization()
    case = cb.for_decision(org)
    for name in ("dev", "dora"):
        waiting = _waiting(_home(org[name]))
        assert "Decide and issue the decision" in waiting
        assert f'href="/cases/case/{case.reference}/"' in waiting
    assert "Decide and issue the decision" not in _waiting(_home(org["dana"]))  # the investigator


def test_a_step_past_its_date_shows_as_overdue():
    org = cb.full_organization()
    case = cb.for_decision(org)
    target = Deadline.objects.get(subject_id=case.pk, kind="cases.decision_target", met_at__isnull=True)
    Deadline.objects.filter(pk=target.pk).update(due_at=timezone.now() - timedelta(days=3))
    waiting = _waiting(_home(org["dev"]))
    assert "Overdue: it was due on" in waiting
    assert 'class="card waiting overdue"' in waiting


def test_the_menu_offers_the_case_lists_only_to_those_who_have_a_part():
    org = cb.full_organization()
    cb.noticed(org)
    handler, party, member = _home(org["dana"]), _home(org["ray"]), _home(org["one"])
    assert 'href="/cases/"' in handler
    assert 'href="/cases/mine/"' not in handler
    assert 'href="/cases/mine/"' in party
    assert 'href="/cases/"' not in party
    assert 'href="/cases/"' not in member
    assert 'href="/cases/mine/"' not in member
