"""The oversight body's list of what is overdue: every missed or overdue deadline and every overdue mandate, most
overdue first, each with what it is in words, the body whose step it is, how long overdue and where it is dealt with.
A case's deadline names no case, and is shown only to those the ledger's rules show its entries to, less a party to
the case who sits on the oversight body."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rankfile.cases.models import Case
from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.governance import actions as governance
from rankfile.governance import mandates
from rankfile.governance.models import Mandate, VoteMethod
from rankfile.ledger.actions import OPERATOR
from rankfile.web import overdue
from rankfile.web.templatetags.rankfile import days_or_hours
from tests.cases import casebuilders as cb
from tests.cases.builders import seat
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def overdue_mandate(org: cb.Org, *, adopted_days_ago: int = 100, within: int = 30) -> Mandate:
    """Adopted by a convention ``adopted_days_ago`` days ago, due ``within`` days after: overdue since."""
    chair = org["cleo"]
    meeting = governance.meeting_create(
        bodies=[org.convention],
        held_on=timezone.localdate() - timedelta(days=adopted_days_ago),
        title="Convention",
        by=chair.user,
    )
    governance.attendance_record(
        meeting=meeting, present=[chair.person, org["one"].person, org["two"].person], by=chair.user
    )
    motion = governance.motion_make(
        meeting=meeting, text="That the accounts are published.", mover=org["one"].person, by=chair.user
    )
    vote = governance.vote_record(motion=motion, method=VoteMethod.UNANIMOUS, by=chair.user)
    return mandates.mandate_adopt(
        vote=vote,
        title="Publish the accounts",
        text="The steering committee publishes the accounts.",
        responsible_body=org.steering,
        due_within_days=within,
        by=OPERATOR,
    )


def overdue_notice(org: cb.Org, *, days: int = 3) -> Deadline:
    """A case whose panel has not given notice in time: its deadline passed ``days`` days ago, and the timers ran."""
    case = cb.seated(org)
    deadline = Deadline.objects.get(kind="cases.give_notice", subject_id=case.pk)
    Deadline.objects.filter(pk=deadline.pk).update(due_at=timezone.now() - timedelta(days=days))
    deadlines.tick()
    deadline.refresh_from_db()
    assert deadline.missed_at is not None
    return deadline


def oversight(org: cb.Org) -> Client:
    return signed_in(org["oona"].user, org["oona"].key)


def items(html: str) -> list[str]:
    return [item.split("</li>", 1)[0] for item in html.split('<li class="overdue-item">')[1:]]


def test_the_oversight_body_sees_what_is_overdue_most_overdue_first_with_whose_it_is_and_where_to_deal_with_it(org):
    mandate = overdue_mandate(org)
    overdue_notice(org)
    deadlines.tick()
    page = oversight(org).get("/overdue/")
    assert page.status_code == 200
    listed = items(page.content.decode())
    assert len(listed) == 2  # the mandate once, not again for its own deadline
    first, second = listed
    assert f"Mandate {mandate.reference}: Publish the accounts" in first
    assert "Whose: Steering Committee" in first
    assert "overdue by 69 days" in first  # since the end of its due day
    assert f'<a href="/mandates/{mandate.reference}/">Open the mandate</a>' in first
    assert "Giving notice to a respondent" in second
    assert "Whose: Disciplinary Committee" in second
    assert "overdue by 3 days" in second
    assert "The oversight body was alerted on" in second
    assert '<a href="/cases/investigations/new/">Open a process investigation</a>' in second


def test_a_case_deadline_names_no_case_and_nobody_in_it(org):
    deadline = overdue_notice(org)
    case = Case.objects.get(pk=deadline.subject_id)
    html = oversight(org).get("/overdue/").content.decode()
    assert "Giving notice to a respondent" in html
    assert case.reference not in html
    for name in ("Ray Respondent", "Rae Reporter", "Dana Discipline"):
        assert name not in html.split("<main", 1)[1]


def test_a_site_administrator_sees_overdue_mandates_but_no_case_deadline(org):
    mandate = overdue_mandate(org)
    overdue_notice(org)
    admin = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    page = signed_in(admin).get("/overdue/")
    assert page.status_code == 200
    html = page.content.decode()
    assert mandate.reference in html
    assert "Giving notice" not in html
    assert len(items(html)) == 1


def test_the_home_page_of_a_site_administrator_on_no_body_says_why_in_the_words_of_an_administrator(org):
    overdue_mandate(org)
    admin = get_user_model().objects.create_user(
        email="sita@example.org", password=None, name="Sita Admin", is_site_admin=True
    )
    home = signed_in(admin).get("/").content.decode()
    assert "Look into 1 overdue deadline or mandate" in home
    assert "Your body watches" not in home
    assert "As a site administrator you see the mandates that are overdue" in home
    assert "Your body watches that deadlines and mandates are kept." in oversight(org).get("/").content.decode()


def test_a_party_to_the_case_who_sits_on_the_oversight_body_is_not_shown_its_deadline(org):
    seat(org["ray"], org.base.oversight)  # the respondent sits on the oversight body
    overdue_notice(org)
    ray = signed_in(org["ray"].user, org["ray"].key).get("/overdue/")
    assert ray.status_code == 200
    assert "Giving notice" not in ray.content.decode()
    assert "Giving notice" in oversight(org).get("/overdue/").content.decode()


def test_a_deadline_met_late_or_not_yet_due_is_not_overdue(org):
    deadline = overdue_notice(org)
    deadlines.deadline_met(deadline=deadline, by=OPERATOR)
    overdue_mandate(org, adopted_days_ago=10, within=30)
    html = oversight(org).get("/overdue/").content.decode()
    assert items(html) == []
    assert "Nothing is overdue." in html


def test_members_find_nothing_there_and_signed_out_visitors_are_asked_to_sign_in(org):
    overdue_mandate(org)
    assert signed_in(org["sam"].user, org["sam"].key).get("/overdue/").status_code == 404
    signed_out = Client().get("/overdue/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


def test_the_menu_links_the_page_for_those_who_may_see_it_only(org):
    link = '<a href="/overdue/"'
    assert link in oversight(org).get("/").content.decode()
    assert link not in signed_in(org["sam"].user, org["sam"].key).get("/").content.decode()
    assert 'href="/overdue/" aria-current="page"' in oversight(org).get("/overdue/").content.decode()


def test_how_long_overdue_is_said_in_days_or_in_hours_under_a_day():
    assert days_or_hours(timedelta(days=69, hours=5)) == "69 days"
    assert days_or_hours(timedelta(days=1)) == "1 day"
    assert days_or_hours(timedelta(hours=5, minutes=59)) == "5 hours"
    assert days_or_hours(timedelta(minutes=20)) == "less than an hour"


def test_the_home_page_of_the_oversight_body_says_how_much_is_overdue_and_links_the_list(org):
    overdue_mandate(org)
    overdue_notice(org)
    home = oversight(org).get("/").content.decode()
    assert "Look into 2 overdue deadlines or mandates" in home
    assert 'href="/overdue/"' in home
    member_home = signed_in(org["lee"].user, org["lee"].key).get("/").content.decode()
    assert "overdue deadlines" not in member_home


def test_a_member_of_the_responsible_body_is_asked_for_progress_on_a_mandate_due_soon_or_overdue(org):
    mandate = overdue_mandate(org)  # the steering committee's; Lee sits on it
    home = signed_in(org["lee"].user, org["lee"].key).get("/").content.decode()
    assert "Report progress on a mandate" in home
    assert f"Mandate {mandate.reference}: Publish the accounts" in home
    assert f'href="/mandates/{mandate.reference}/"' in home
    assert "Overdue: it was due on" in home
    other = signed_in(org["one"].user, org["one"].key).get("/").content.decode()  # on no responsible body
    assert "Report progress on a mandate" not in other


def test_the_home_page_counts_overdue_mandates_without_listing_them(org):
    first = overdue_mandate(org)
    overdue_notice(org)
    client = oversight(org)
    client.get("/")
    with CaptureQueriesContext(connection) as fewer:
        client.get("/")
    # More overdue mandates, copies of the first written straight to the table.
    fields = {f.attname: getattr(first, f.attname) for f in Mandate._meta.concrete_fields if not f.primary_key}
    Mandate.objects.bulk_create(Mandate(**{**fields, "reference": f"{first.reference}-{n}"}) for n in range(20))
    with CaptureQueriesContext(connection) as more:
        home = client.get("/").content.decode()
    assert len(more) == len(fewer)
    assert "Look into 22 overdue deadlines or mandates" in home
    rows = overdue.overdue_rows(user=org["olu"].user, now=timezone.now())
    assert overdue.overdue_summary(user=org["olu"].user, now=timezone.now()) == (
        len(rows),
        min(row.due_at for row in rows),
    )
