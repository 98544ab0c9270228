"""The home page at scale: each listed case's next step from answers asked once for the list (never case by case),
the ten mandates due first and a line per body to the rest, people who handle no case asked nothing about cases, and
what several cards ask (the bylaws, a body's seats) asked once per page view. The query count does not grow with the
data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rankfile import policy
from rankfile.cases import policy as case_policy
from rankfile.cases import queries
from rankfile.cases import waiting as case_waiting
from rankfile.cases.models import Case, NamedConflict, PanelMember, PanelRole, PanelStatus, Stage
from rankfile.cases.timers import GIVE_NOTICE
from rankfile.cases.waiting import LISTED_AT_MOST
from rankfile.deadlines.models import Deadline
from rankfile.elections import waiting as elections_waiting
from rankfile.governance import waiting as governance_waiting
from rankfile.governance.models import Mandate
from rankfile.org import queries as org_queries
from rankfile.org.models import Body
from rankfile.per_request import remember_for_reads
from rankfile.voice import waiting as voice_waiting
from rankfile.voice.models import Concern
from tests.cases import casebuilders as cb
from tests.cases.builders import seat
from tests.cases.helpers import signed_in
from tests.web.test_overdue import overdue_mandate

pytestmark = pytest.mark.django_db

# A stage each whose next step is the investigator's to take (Dana investigates on the standard panel).
# (A formal case never reaches the informal agreement's stage: the cases built here are formal.)
INVESTIGATORS_STAGES = (Stage.NOTICE, Stage.INVESTIGATION, Stage.REPORT)


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def more_seated_cases(org: cb.Org, count: int) -> list[Case]:
    """``count`` cases with Dana seated as their investigator, at the stages where the next step is hers, each with
    a notice deadline in a week: written straight to the database."""
    start = Case.objects.count()
    cases = Case.objects.bulk_create(
        Case(
            reference=f"C-2026-{7000 + start + n}",
            body=org.disciplinary,
            stage=INVESTIGATORS_STAGES[n % len(INVESTIGATORS_STAGES)],
        )
        for n in range(count)
    )
    PanelMember.objects.bulk_create(
        PanelMember(
            case=case,
            person=org["dana"].person,
            body=org.disciplinary,
            role=PanelRole.INVESTIGATOR,
            status=PanelStatus.SEATED,
        )
        for case in cases
    )
    due = timezone.now() + timedelta(days=7)
    Deadline.objects.bulk_create(
        Deadline(
            kind=GIVE_NOTICE.code,
            subject_type=Case._meta.label_lower,
            subject_id=case.pk,
            due_at=due,
            body=org.disciplinary,
        )
        for case in cases
    )
    return cases


def queries_of_home(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_panelists_home_page_asks_as_many_questions_for_ten_cases_as_for_one(org):
    more_seated_cases(org, 1)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/")  # the session settles
    for_one, page = queries_of_home(client)
    assert page.count('href="/cases/case/C-2026-7') == 1
    more_seated_cases(org, LISTED_AT_MOST + 5)
    for_more, page = queries_of_home(client)
    # Before, each listed case asked its rules and its due date apart: some five queries a case.
    assert for_more == for_one
    assert page.count('href="/cases/case/C-2026-7') == LISTED_AT_MOST
    assert "See every report and case you handle" in page
    assert "Draft the notice, have the reporter agree, then give it" in page
    assert "Investigate, then share the evidence with both parties" in page
    assert "Due by" in page


def test_the_listing_form_of_the_panels_rules_agrees_with_each_rule_for_each_case_and_person(org):
    seated = cb.seated(org)  # Dana investigates, Dev and Dora decide; Dale sits on the body but not the panel
    waiting = cb.opened(org, cb.formal_report(org, reporter="dale", respondent="lee"))  # Dale a party: excluded
    named = cb.formal_report(org, reporter="rae", respondent="ray")
    NamedConflict.objects.create(report=named, person=org["dora"].person)
    named_case = cb.opened(org, named)
    appealed = more_seated_cases(org, 1)[0]
    appealed.panel.create(person=org["abe"].person, body=org.appeals, role=PanelRole.APPEALS, status=PanelStatus.SEATED)
    cases = [seated, waiting, named_case, appealed]
    for name in ("dana", "dev", "dora", "dale", "abe", "olu", "rae", "ray", "lee"):
        user = org[name].user
        held = case_policy.panel_rules_on(user, cases)
        for case in cases:
            for rule in case_policy.PANEL_RULES:
                assert ((case.pk, rule) in held) == policy.allows(user, rule, case), (name, case.reference, rule)


def more_mandates(first: Mandate, count: int) -> None:
    """Copies of ``first`` (same body, same due day), written straight to the table."""
    fields = {f.attname: getattr(first, f.attname) for f in Mandate._meta.concrete_fields if not f.primary_key}
    start = Mandate.objects.count()
    Mandate.objects.bulk_create(
        Mandate(**{**fields, "reference": f"{first.reference}-{start + n}"}) for n in range(count)
    )


def test_the_home_page_lists_the_mandates_due_first_and_links_the_rest_on_the_tracker(org):
    first = overdue_mandate(org)  # the steering committee's; Lee sits on it
    more_mandates(first, governance_waiting.LISTED_AT_MOST + 1)
    lee = org["lee"]
    client = signed_in(lee.user, lee.key)
    client.get("/")
    fewer, page = queries_of_home(client)
    more_mandates(first, 30)
    more, page = queries_of_home(client)
    assert more == fewer
    assert page.count("Report progress on a mandate") == governance_waiting.LISTED_AT_MOST
    assert "Report progress on 32 more mandates" in page
    assert "The Steering Committee&#x27;s mandates due by" in page
    until = timezone.localdate() + governance_waiting.SOON
    rest = f"/mandates/?body={org.steering.slug}&amp;due_until={until.isoformat()}"
    assert f'href="{rest}"' in page
    tracker = client.get(rest.replace("&amp;", "&"))
    assert tracker.status_code == 200
    assert first.reference in tracker.content.decode()


def test_a_member_who_handles_no_case_and_is_party_to_none_is_asked_nothing_about_cases(org):
    cb.seated(org)  # cases exist, none of them Lee's
    lee = org["lee"]
    client = signed_in(lee.user, lee.key)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    asked_of_cases = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].split(" FROM ", 1)[-1].startswith(('"cases_case"', '"cases_panelmember"'))
    ]
    assert asked_of_cases == []


def test_what_several_cards_ask_is_asked_once_per_page_view(org):
    """The bylaws in force, the bodies they name, and whether someone sits on a body: asked again in the same page
    view, they are answered without a query."""
    olu = org["olu"].user
    concern = Concern.objects.create(
        reference="CN-2026-1",
        body=org.steering,
        author=org["one"].person,
        title="Accounts",
        text="Publish them.",
        due_at=timezone.now() + timedelta(days=14),
    )

    def questions() -> None:
        org_queries.bylaws_document(day=timezone.localdate())
        org_queries.role_body("oversight")
        policy.allows(olu, "voice.edit_bulletin")
        policy.allows(olu, "voice.answer_concern", concern)
        policy.allows(olu, "elections.call")
        policy.allows(olu, "accounts.be_recovery_trustee")

    def asked(times: int) -> int:
        def view(request: HttpRequest) -> HttpResponse:
            for _ in range(times):
                questions()
            return HttpResponse()

        with CaptureQueriesContext(connection) as captured:
            remember_for_reads(view)(RequestFactory().get("/"))
        return len(captured)

    assert asked(3) == asked(1)


def concern_to(org: cb.Org, body: Body, number: int) -> Concern:
    return Concern.objects.create(
        reference=f"CN-2026-{number}",
        body=body,
        author=org["one"].person,
        title=f"Concern {number}",
        text="Please answer.",
        due_at=timezone.now() + timedelta(days=14),
    )


def test_only_the_concerns_to_a_persons_own_bodies_are_asked_about(org):
    concern_to(org, org.steering, 1)  # Lee sits on the steering committee
    lee = org["lee"]
    client = signed_in(lee.user, lee.key)
    client.get("/")
    fewer, page = queries_of_home(client)
    assert page.count("Answer a member&#x27;s concern") == 1
    for number, body in enumerate((org.disciplinary, org.appeals, org.convention, org.base.support), 2):
        concern_to(org, body, number)
    more, page = queries_of_home(client)
    assert more == fewer
    assert page.count("Answer a member&#x27;s concern") == 1


def cases_waiting_for_a_panel(org: cb.Org, count: int) -> list[Case]:
    """``count`` cases of the disciplinary committee still without a panel, and without a deadline: written straight
    to the database."""
    start = Case.objects.count()
    return Case.objects.bulk_create(
        Case(reference=f"C-2026-{8000 + start + n}", body=org.disciplinary, stage=Stage.PANEL) for n in range(count)
    )


def test_the_cases_listed_first_are_those_the_handlers_list_puts_first_deadlines_or_none(org):
    """The home page finds its cases without ordering every case a person handles: the cases with an open deadline
    soonest first, then those without one, as ``soonest_first`` orders the whole list of ``cases_to_handle``."""
    cb.opened(org, cb.formal_report(org, reporter="dale", respondent="lee"))  # Dale a party: excluded from it
    timed = more_seated_cases(org, 4)  # Dana's, due in a week
    Deadline.objects.filter(subject_id=timed[1].pk).update(due_at=timezone.now() + timedelta(days=2))
    untimed = more_seated_cases(org, 6)
    Deadline.objects.filter(subject_type="cases.case", subject_id__in=[case.pk for case in untimed]).delete()
    cases_waiting_for_a_panel(org, 4)
    Case.objects.filter(pk=timed[2].pk).update(stage=Stage.FINAL)  # finished: on no list
    for name in ("dana", "dev", "dora", "dale", "abe", "olu", "lee"):
        user = org[name].user
        everything = queries.soonest_first(queries.cases_to_handle(user=user))
        expected = list(everything.values_list("pk", flat=True)[: LISTED_AT_MOST + 1])
        assert [case.pk for case in case_waiting.cases_due_first(user=user)] == expected, name
    dana = [case.pk for case in case_waiting.cases_due_first(user=org["dana"].user)]
    in_order = [timed[1].pk, timed[0].pk, timed[3].pk, *(case.pk for case in untimed)]
    assert [pk for pk in dana if pk in in_order] == in_order
    assert len(dana) == LISTED_AT_MOST + 1


def test_an_oversight_members_home_page_asks_as_many_questions_whatever_is_overdue_or_waits_for_a_panel(org):
    """An oversight member who also sits on the disciplinary committee: the overdue deadlines and mandates are
    counted, the cases waiting for a panel listed ten at most, in the same number of queries at two sizes."""
    oona = org["oona"]
    seat(oona, org.disciplinary)
    first = overdue_mandate(org)
    more_mandates(first, 2)
    cases_waiting_for_a_panel(org, 2)
    client = signed_in(oona.user, oona.key)
    client.get("/")
    fewer, page = queries_of_home(client)
    assert "Look into 3 overdue deadlines or mandates" in page
    assert page.count("Choose the panel (the people who investigate and decide)") == 2
    more_mandates(first, 30)
    cases_waiting_for_a_panel(org, 40)
    # Half of them with a deadline passed (the list puts those first), written without the entries that would show
    # them on the overdue list.
    late = timezone.now() - timedelta(days=3)
    Deadline.objects.bulk_create(
        Deadline(
            kind=GIVE_NOTICE.code, subject_type="cases.case", subject_id=case.pk, due_at=late, body=org.disciplinary
        )
        for case in Case.objects.filter(stage=Stage.PANEL)[:20]
    )
    more, page = queries_of_home(client)
    assert more == fewer
    assert "Look into 33 overdue deadlines or mandates" in page
    assert "Overdue: it was due on" in page
    assert page.count("Choose the panel (the people who investigate and decide)") == LISTED_AT_MOST
    assert "See every report and case you handle" in page


def test_someone_who_made_no_report_is_asked_nothing_about_news_of_reports(org):
    """The list of one's own reports asks about news of each (steps, messages, measures, the case it became): for
    the many who made none, one plain question and nothing more."""
    cb.formal_report(org, reporter="rae", respondent="ray")
    for name, listed in (("lee", False), ("rae", True)):
        client = signed_in(org[name].user, org[name].key)
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/").content.decode()
        about_news = [q["sql"] for q in captured.captured_queries if '"cases_statusstep"' in q["sql"]]
        assert bool(about_news) == listed, name
        assert ("Your reports" in page) == listed, name


def test_whether_someone_sits_on_a_body_is_asked_once_for_every_card_and_rule_of_the_page(org):
    """The mandates to report on, the concerns to answer, the elections one's bodies run, whether one edits the
    bulletin or calls elections each ask where the person sits: one query for them all in a page view."""
    lee = org["lee"].user  # on the steering committee

    def view(request: HttpRequest) -> HttpResponse:
        governance_waiting.waiting_for(user=lee)
        voice_waiting.waiting_for(user=lee)
        elections_waiting.waiting_for(user=lee)
        policy.allows(lee, "voice.edit_bulletin")
        policy.allows(lee, "elections.call")
        return HttpResponse()

    with CaptureQueriesContext(connection) as captured:
        remember_for_reads(view)(RequestFactory().get("/"))
    assert len([q for q in captured.captured_queries if 'FROM "org_seat"' in q["sql"]]) == 1


def test_the_adviser_invitations_are_looked_up_by_the_person_not_through_every_partys_adviser(org):
    sql = str(queries.adviser_invitations(user=org["lee"].user).query)
    assert '"cases_party"."adviser_id" = ' in sql
    assert '"org_person"."user_id"' not in sql


def deciding(cases: list[Case]) -> None:
    """Dana decides ``cases``, at the decision stage."""
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(stage=Stage.DECISION)
    PanelMember.objects.filter(case__in=cases).update(role=PanelRole.DECISION_MAKER)


def test_a_deciders_home_page_asks_about_proposed_decisions_once_for_the_list(org):
    """Whether a decision was proposed, and whether the person agreed to it, asked for the listed cases at once:
    before, two queries for each listed case at the decision stage."""
    dana = org["dana"]
    deciding(more_seated_cases(org, 1))
    client = signed_in(dana.user, dana.key)
    client.get("/")
    fewer, page = queries_of_home(client)
    assert page.count("Decide and issue the decision") == 1
    deciding(more_seated_cases(org, LISTED_AT_MOST + 2))
    more, page = queries_of_home(client)
    assert more == fewer
    assert page.count("Decide and issue the decision") == LISTED_AT_MOST


def test_a_candidates_places_on_panels_are_looked_up_by_the_person(org):
    proposed = more_seated_cases(org, 1)
    PanelMember.objects.filter(case__in=proposed).update(status=PanelStatus.PROPOSED)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert "Say whether you have a conflict of interest" in page
    places = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "cases_panelmember"."id"')]
    assert places
    assert not [sql for sql in places if '"org_person"."user_id"' in sql]
