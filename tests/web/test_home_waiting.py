"""The home page lists what waits for each person, the overdue first, each linking to the page where it is done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.cases import stages
from rankfile.cases import waiting as case_waiting
from rankfile.cases.actions import decisions, intake, panel, process
from rankfile.cases.models import PanelRole, Report, ReportPath
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


def test_the_same_step_of_the_same_matter_is_listed_once():
    due = timezone.now() + timedelta(days=2)
    twice = [
        Item("Decide", "Case C-1", "/c/1/", due),
        Item("Decide", "Case C-1", "/c/1/"),
        Item("Decide", "Case C-2", "/c/2/"),
    ]
    assert [(i.where, i.due) for i in in_order(twice)] == [("Case C-1", due), ("Case C-2", None)]


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


def test_each_report_to_acknowledge_is_named_by_its_path_when_it_came_and_how_long_it_has_waited():
    org = cb.full_organization()
    sent = []
    for days_ago, reporter in ((3, "rae"), (1, "one")):
        report, _code, _key = intake.report_start(reporter=org[reporter].user, path=ReportPath.FORMAL)
        intake.report_save(report=report, content=cb.WHAT, key=org[reporter].key)
        intake.report_send(report=report, path=ReportPath.FORMAL, key=org[reporter].key)
        Report.objects.filter(pk=report.pk).update(sent_at=timezone.now() - timedelta(days=days_ago))
        sent.append(report)
    waiting = _waiting(_home(org["dana"]))
    cards = waiting.split('<li class="card waiting')[1:]
    acknowledge = [card for card in cards if "Acknowledge a report" in card]
    assert len(acknowledge) == 2
    assert len(set(acknowledge)) == 2  # each card can be told from the other
    assert "Formal complaint received" in acknowledge[0]
    assert "waiting for 3\xa0days" in waiting
    assert "waiting for 1\xa0day" in waiting
    for reporter in ("Rae", "One Delegate"):  # the handler is not told who sent it before opening it
        assert reporter not in waiting


def test_a_proposed_panelist_who_may_also_run_the_case_has_one_card_for_it():
    org = cb.full_organization()
    case = cb.opened(org)
    panel.panelist_propose(case=case, person=org["dev"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    waiting = _waiting(_home(org["dev"]))
    assert waiting.count(f"Case {case.reference}") == 1
    assert "Say whether you have a conflict of interest" in waiting
    assert "Choose the panel" not in waiting
    # Once they have answered, the case's step is theirs as before.
    member = case.panel.get(person=org["dev"].person)
    panel.conflict_declare(member=member, conflict=False, by=org["dev"].user)
    waiting = _waiting(_home(org["dev"]))
    assert waiting.count(f"Case {case.reference}") == 1
    assert "Choose the panel" in waiting


def test_an_appeal_asks_the_panel_for_its_record_once_and_the_appeals_body_to_decide():
    org = cb.full_organization()
    case = cb.decided(org).case
    ray = org["ray"]
    appeal = decisions.appeal_lodge(
        case=case, grounds=["disproportionate_sanction"], statement="Too much.", key=ray.key, by=ray.user
    )
    assert "Send the panel&#x27;s record to the appeals body" in _waiting(_home(org["dana"]))
    assert "Decide the appeal" in _waiting(_home(org["abe"]))
    decisions.appeal_record_send(appeal=appeal, by=org["dana"].user, key=org["dana"].key)
    assert case.reference not in _waiting(_home(org["dana"]))
    assert "Decide the appeal" in _waiting(_home(org["abe"]))


def test_the_home_page_asks_only_for_steps_the_case_pages_wait_on():
    # The next step is stages.next_step's answer on both; the home page only words it.
    assert set(case_waiting.ASKED) <= set(stages.WAITED_ON)
    for name in case_waiting.ASKED:
        assert stages.step_named(name).name == name
