"""Who belongs to a caucus (a body of kind *caucus*) is known to its members only: the body's page, the list of
members and another member's page hide those seats from other members and from a site administrator by rank; the
caucus's own members and the person themselves see them."""

from datetime import date

import pytest

from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def caucus(django_user_model):
    disability = body("disability-caucus", kind="caucus")
    ivy_user = django_user_model.objects.create_user(email="ivy@example.org", password="x", name="Ivy Insider")
    ivy = enrolled("Ivy Insider", user=ivy_user)
    actions.person_seat(
        person=ivy, body=disability, basis="appointed", starts_on=date(2016, 1, 31), role="member", by=OPERATOR
    )
    return disability, ivy


def test_other_members_and_the_site_administrator_do_not_learn_who_belongs(client, member, admin, caucus):
    disability, ivy = caucus
    enrolled("Mo Member", user=member)
    for reader in (member, admin):
        client.force_login(reader)
        page = client.get(f"/org/bodies/{disability.slug}/").content.decode()
        assert "Who belongs to a caucus is known only to its members" in page
        assert "Ivy Insider" not in page
        people = client.get("/org/people/").content.decode()
        ivy_row = people.split("Ivy Insider")[1].split("</tr>")[0] if "Ivy Insider" in people else ""
        assert "Disability" not in ivy_row
        assert "disability-caucus" not in client.get(f"/org/people/{ivy.pk}/").content.decode()


def test_the_caucus_members_and_the_person_see_the_seats(client, caucus, django_user_model):
    disability, ivy = caucus
    client.force_login(ivy.user)
    page = client.get(f"/org/bodies/{disability.slug}/").content.decode()
    assert "Ivy Insider" in page.split('id="roster-heading"')[1].split("</section>")[0]
    assert "disability-caucus" in client.get(f"/org/people/{ivy.pk}/").content.decode()
    assert "disability-caucus" in client.get("/org/me/").content.decode()
