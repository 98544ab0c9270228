"""A caucus of the older kind (a body of kind *caucus*): members' voice is where a caucus is formed now, so no page
adds one; who sits on one stays with those who do: the ledger's pages show its seats' entries without who or what
(the stored entries unchanged), a site administrator neither sees nor ends such a seat, its member leaves it from its
page, and a membership that ends takes its caucus seats with it."""

from datetime import date, timedelta

import pytest
from django.forms import ModelChoiceField
from django.utils import timezone

from rankfile.elections.forms import ElectionCallForm
from rankfile.governance.forms import EligibilityOverrideForm, SeatByVoteForm
from rankfile.governance.policy import bodies_recorded_by
from rankfile.ledger import actions as ledger
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions
from rankfile.org.forms import SeatForm
from rankfile.org.models import Body, Person, Seat, SeatEndReason
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db

WITHHELD = "Not shown: it would tell who sits on a caucus"


@pytest.fixture
def caucus(django_user_model: object) -> tuple[Body, Seat]:
    disability = body("disability-caucus", kind="caucus")
    ivy_user = django_user_model.objects.create_user(email="ivy@example.org", password="x", name="Ivy Insider")  # type: ignore[attr-defined]
    ivy = enrolled("Ivy Insider", user=ivy_user)
    seat = actions.person_seat(
        person=ivy, body=disability, basis="appointed", starts_on=date(2016, 1, 31), role="member", by=OPERATOR
    )
    return disability, seat


def _seated_entry(seat: Seat) -> Entry:
    return Entry.objects.get(action="org.person_seated", subject_type="org.seat", subject_id=seat.pk)


def test_no_page_adds_a_body_of_kind_caucus(client, admin):
    client.force_login(admin)
    form = client.get("/org/bodies/new/").content.decode()
    assert 'value="caucus"' not in form
    client.post("/org/bodies/new/", {"name": "Queer Caucus", "slug": "queer-caucus", "kind": "caucus"})
    assert not Body.objects.filter(slug="queer-caucus").exists()
    with pytest.raises(Exception, match="Members' voice"):
        actions.body_create(name="Queer Caucus", slug="queer-caucus", kind="caucus", by=admin)


def test_an_old_caucus_page_points_to_members_voice(client, member, caucus):
    enrolled("Mo Member", user=member)
    client.force_login(member)
    page = client.get("/org/bodies/disability-caucus/").content.decode()
    assert "before caucuses moved to" in page
    assert 'href="/voice/"' in page
    assert "Leave this caucus" not in page  # Mo does not sit on it


def test_the_ledger_pages_do_not_tell_a_watcher_who_sits_on_a_caucus(client, admin, caucus):
    disability, seat = caucus
    entry = _seated_entry(seat)
    client.force_login(admin)
    page = client.get("/ledger/").content.decode()
    [item] = [li for li in page.split('<li class="ledger-entry">') if f"Technical details of entry {entry.seq}<" in li]
    assert WITHHELD in item
    assert entry.data not in page.replace("&quot;", '"')
    assert f"org.seat {seat.pk}" not in page
    # The stored entry is untouched, and another body's seat entry still shows its data.
    assert f'"body":{disability.pk}' in Entry.objects.get(seq=entry.seq).data
    steering = body("steering")
    other = actions.person_seat(
        person=seat.person, body=steering, basis="elected", starts_on=date(2020, 1, 1), by=OPERATOR
    )
    page = client.get("/ledger/").content.decode()
    assert f"org.seat {other.pk}" in page
    assert f"org.seat {seat.pk}" not in page


def test_a_site_administrator_does_not_see_or_end_a_caucus_seat(client, admin, caucus):
    _disability, seat = caucus
    client.force_login(admin)
    assert client.get(f"/org/seats/{seat.pk}/end/").status_code == 404
    assert client.post(f"/org/seats/{seat.pk}/end/", {"ends_on": "2024-01-01", "reason": "resigned"}).status_code == 404
    form = client.get(f"/org/people/{seat.person_id}/seat/").content.decode()
    assert "Disability Caucus" not in form
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_its_member_leaves_a_caucus_from_its_page_on_the_systems_account(client, caucus):
    _disability, seat = caucus
    client.force_login(seat.person.user)
    page = client.get("/org/bodies/disability-caucus/").content.decode()
    assert "Leave this caucus" in page
    response = client.post("/org/bodies/disability-caucus/leave/")
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.ends_on, seat.end_reason) == (timezone.localdate(), SeatEndReason.RESIGNED)
    ended = Entry.objects.get(action="org.seat_ended", subject_id=seat.pk)
    assert ended.actor_type == ledger.SYSTEM.type  # an entry naming Ivy as who acted would tell where she sat
    assert client.post("/org/bodies/disability-caucus/leave/").status_code == 404  # no seat left to leave


def test_nobody_else_leaves_a_caucus_for_its_member(client, member, admin, caucus):
    _disability, seat = caucus
    enrolled("Mo Member", user=member)
    for someone in (member, admin):
        client.force_login(someone)
        assert client.post("/org/bodies/disability-caucus/leave/").status_code == 404
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_a_caucus_seat_ends_when_the_membership_ends(caucus):
    _disability, seat = caucus
    steering = actions.person_seat(
        person=seat.person, body=body("steering"), basis="elected", starts_on=date(2020, 1, 1), by=OPERATOR
    )
    lapsed_on = timezone.localdate() - timedelta(days=3)
    actions.membership_status_change(
        person=seat.person, status="lapsed", effective_from=lapsed_on, reason_code="dues_unpaid", by=OPERATOR
    )
    seat.refresh_from_db()
    steering.refresh_from_db()
    assert (seat.ends_on, seat.end_reason) == (lapsed_on, SeatEndReason.MEMBERSHIP_ENDED)
    assert Entry.objects.get(action="org.seat_ended", subject_id=seat.pk).actor_type == ledger.SYSTEM.type
    assert steering.ends_on is None  # another body's seat ends by its own action (a sanction, a vote, its term)


def test_no_page_seats_elects_to_or_meets_as_a_caucus(client, admin, caucus):
    """Seating, election and override forms offer every body but a caucus, and no meeting is created for one: each
    of those pages names who sits on the body it is about."""
    disability, _seat = caucus
    steering = body("steering")
    for form in (
        SeatForm(),
        ElectionCallForm(),
        SeatByVoteForm(people=Person.objects.none()),
        EligibilityOverrideForm(people=Person.objects.none()),
    ):
        offered = [f.queryset for f in form.fields.values() if isinstance(f, ModelChoiceField)]
        bodies = [queryset for queryset in offered if queryset is not None and queryset.model is Body]
        assert bodies
        for queryset in bodies:
            assert steering in queryset
            assert disability not in queryset
    # Not even the command line, which may record any other body's meeting, records one for a caucus.
    recorded = bodies_recorded_by(OPERATOR)
    assert steering in recorded
    assert disability not in recorded
