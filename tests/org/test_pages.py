from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions
from rankfile.org.models import Body, Person, Seat
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering():
    committee = body("steering-committee", max_size=9)
    for name, start, end in [("Ana Abara", date(2013, 6, 1), date(2015, 6, 1)), ("Ben Bakker", date(2015, 6, 1), None)]:
        seat = actions.person_seat(
            person=enrolled(name), body=committee, basis="elected", starts_on=start, role="chair", by=OPERATOR
        )
        if end:
            actions.seat_end(seat=seat, ends_on=end, reason="term_over", by=OPERATOR)
    return committee


@pytest.fixture
def member_login(member):
    enrolled("Mo Member", user=member)
    return member


def test_members_see_the_steering_committee_of_2013(client, member_login, steering):
    client.force_login(member_login)
    page = client.get("/org/bodies/steering-committee/", {"on": "2013-09-01"}).content.decode()
    roster = page.split('id="roster-heading"')[1].split("</section>")[0]
    assert "Ana Abara" in roster
    assert "Ben Bakker" not in roster
    today = client.get("/org/bodies/steering-committee/").content.decode()
    assert "Ben Bakker" in today.split('id="roster-heading"')[1].split("</section>")[0]


def test_a_bad_date_is_explained(client, member_login, steering):
    client.force_login(member_login)
    page = client.get("/org/bodies/steering-committee/", {"on": "2013-02-30"})
    assert page.status_code == 200
    assert "Enter a valid date" in page.content.decode()


def test_directory_lists_members_with_their_bodies_and_no_contact_details(client, member_login, steering):
    client.force_login(member_login)
    page = client.get("/org/people/").content.decode()
    assert "Ben Bakker" in page
    assert "Steering Committee" in page
    assert "@example.org" not in page
    assert "Ben Bakker" in client.get("/org/people/", {"q": "bakk"}).content.decode()
    assert "Ben Bakker" not in client.get("/org/people/", {"q": "zzz"}).content.decode()


def test_the_site_administrator_and_oversight_find_an_expelled_member_with_his_status_and_members_do_not(
    client, member_login, admin, oversight
):
    ray = enrolled("Ray Respondent")
    actions.membership_status_change(
        person=ray, status="expelled", effective_from=date(2024, 1, 1), reason_code="sanction", by=OPERATOR
    )
    enrolled("Rae Active")
    actions.person_create(name="Ray Newcomer", by=OPERATOR)  # on the list, no membership record yet
    watchers = body("oversight-commission", kind="oversight")
    actions.person_seat(
        person=enrolled("Oona Oversight", user=oversight),
        body=watchers,
        basis="elected",
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    for watcher in (admin, oversight):
        client.force_login(watcher)
        page = client.get("/org/people/", {"q": "Ray"}).content.decode()
        assert "Ray Respondent</a></td>\n              <td>expelled</td>" in page
        assert "Ray Newcomer</a></td>\n              <td>no membership yet</td>" in page
        assert "Rae Active" not in page
        assert "active</td>" in client.get("/org/people/", {"q": "Rae"}).content.decode()
    client.force_login(member_login)
    page = client.get("/org/people/", {"q": "Ray"}).content.decode()
    assert "Ray Respondent" not in page
    assert "Ray Newcomer" not in page
    assert "Nobody matches." in page
    assert ">Status</th>" not in client.get("/org/people/").content.decode()


def test_people_outside_the_membership_see_no_directory(client, reporter, steering):
    client.force_login(reporter)
    assert client.get("/org/people/").status_code == 404
    assert client.get("/org/bodies/steering-committee/").status_code == 404


def test_status_history_is_for_the_person_and_not_for_other_members(client, member_login, steering):
    ben = steering.seats.get(person__name="Ben Bakker").person
    actions.membership_status_change(
        person=ben,
        status="on_leave",
        effective_from=date(2019, 1, 1),
        until=date(2019, 6, 1),
        reason_code="parental_leave",
        by=OPERATOR,
    )
    client.force_login(member_login)
    page = client.get(f"/org/people/{ben.pk}/").content.decode()
    assert "Steering Committee" in page
    assert "parental_leave" not in page
    mine = client.get("/org/me/").content.decode()
    assert "Membership history" in mine
    assert '<td data-label="Reason">Joined' in mine  # the reason in words, never its code
    assert "joined" not in mine


def test_the_membership_history_says_each_reason_in_words(client, steering):
    ben = steering.seats.get(person__name="Ben Bakker").person
    changes = (("lapsed", "dues_unpaid", date(2019, 1, 1)), ("active", "parental_leave", date(2020, 1, 1)))
    for status, code, day in changes:
        actions.membership_status_change(person=ben, status=status, effective_from=day, reason_code=code, by=OPERATOR)
    history = [change.reason_in_words for change in ben.status_changes.all()]
    assert history[-2:] == ["Dues unpaid", "Parental leave"]


def test_unknown_person_and_body_are_not_found(client, member_login):
    client.force_login(member_login)
    assert client.get("/org/people/999999/").status_code == 404
    assert client.get("/org/bodies/no-such-body/").status_code == 404


def test_today_is_the_organizations_date_not_the_servers(client, member_login, settings):
    """Pacific/Kiritimati is always one or two calendar days ahead of Pacific/Pago_Pago."""
    from django.utils import timezone

    settings.TIME_ZONE = "Pacific/Kiritimati"
    ahead = timezone.localdate()
    committee = body("steering", max_size=9)
    actions.person_seat(person=enrolled("Tia Tomorrow"), body=committee, basis="elected", starts_on=ahead, by=OPERATOR)
    client.force_login(member_login)

    def sitting_today() -> str:
        page = client.get("/org/bodies/steering/").content.decode()
        return page.split('id="roster-heading"')[1].split("</section>")[0]

    assert "Tia Tomorrow" in sitting_today()
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    assert timezone.localdate() < ahead
    assert "Tia Tomorrow" not in sitting_today()


def test_a_convention_of_twelve_hundred_delegates_shows_its_roster(client, member_login):
    # Test data in bulk (the actions would take a minute): what matters here is reading a very large roster.
    convention = Body.objects.create(name="Convention", slug="convention", kind="convention")
    delegates = Person.objects.bulk_create(Person(name=f"Delegate {n:04d}") for n in range(1200))
    Seat.objects.bulk_create(
        Seat(person=p, body=convention, role="delegate", basis="elected", starts_on=date(2024, 1, 1)) for p in delegates
    )
    client.force_login(member_login)
    page = client.get("/org/bodies/convention/", {"on": "2024-06-01"})
    assert page.status_code == 200
    roster = page.content.decode().split('id="roster-heading"')[1].split("</section>")[0]
    assert roster.count("<li>") == 1200
    assert roster.index("Delegate 0000") < roster.index("Delegate 1199")


def test_the_seat_history_says_each_seat_in_words(client, member_login, steering):
    client.force_login(member_login)
    response = client.get("/org/bodies/steering-committee/")
    # Prepared once in the view, as plain text: no question or {% url %} per row in the template.
    assert [(row.name, row.ends) for row in response.context["history_rows"]] == [
        ("Ben Bakker", "still sitting"),
        ("Ana Abara", "1 June 2015"),
    ]
    history = response.content.decode().split('id="history-heading"')[1].split("</table>")[0]
    ben, ana = (Person.objects.get(name=name).pk for name in ("Ben Bakker", "Ana Abara"))
    assert (
        f'<td><a href="/org/people/{ben}/">Ben Bakker</a></td>\n              <td>chair</td>\n'
        "              <td>1 June 2015</td>\n              <td>still sitting</td>\n              <td></td>"
    ) in history
    assert (
        f'<td><a href="/org/people/{ana}/">Ana Abara</a></td>\n              <td>chair</td>\n'
        "              <td>1 June 2013</td>\n              <td>1 June 2015</td>\n              <td>term over</td>"
    ) in history


def test_a_bodys_page_asks_the_same_queries_and_renders_the_same_templates_for_few_seats_and_many(client, member_login):
    branch = Body.objects.create(name="Branch", slug="branch", kind="branch")
    client.force_login(member_login)
    client.get("/org/bodies/branch/")  # the first view after signing in marks the session active

    def cost_with(seats: int) -> tuple[int, int]:
        people = Person.objects.bulk_create(Person(name=f"Member {n:03d}") for n in range(seats))
        Seat.objects.bulk_create(
            Seat(person=p, body=branch, basis="elected", starts_on=date(2024, 1, 1)) for p in people
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/org/bodies/branch/")
        assert response.status_code == 200
        return len(captured), len(response.templates)

    assert cost_with(2) == cost_with(60)  # 62 in all: a roster of 62, a first page of 50 seats in the history
