"""Officials concerned by a process investigation are named by typing, never chosen from a list of every member: a
name only one member has is taken, part of a name offers the few members who have it to tick on the next step, and
nobody or too many is said in a sentence. The pages' forms cost the same however many members there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rankfile.cases.actions import investigations
from rankfile.cases.models import Case, CaseKind
from rankfile.org.models import Person
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

NEW = "/cases/investigations/new/"


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def test_part_of_a_name_offers_its_members_to_tick_and_the_ticked_ones_are_concerned(org):
    examined = cb.noticed(org)
    north, south = Person.objects.bulk_create([Person(name="Riley Northgate"), Person(name="Riley Southgate")])
    olu = signed_in(org["olu"].user, org["olu"].key)
    names = f"{org['dev'].person.name}\nriley"
    offered = olu.post(NEW, {"official_names": names, "examines": examined.reference})
    assert offered.status_code == 400
    html = offered.content.decode()
    assert "Several members have “riley” in their name: tick the one you mean below." in html
    assert f'type="checkbox" name="officials" value="{north.pk}"' in html
    assert f'type="checkbox" name="officials" value="{south.pk}"' in html
    assert Case.objects.filter(kind=CaseKind.PROCESS).count() == 0
    chosen = olu.post(NEW, {"official_names": names, "officials": [north.pk], "examines": examined.reference})
    assert chosen.status_code == 302
    case = Case.objects.get(kind=CaseKind.PROCESS)
    assert set(case.subjects.all()) == {org["dev"].person, north}


def test_a_name_nobody_has_or_too_many_have_is_said_in_a_sentence_and_opens_nothing(org):
    Person.objects.bulk_create([Person(name=f"Sam Example {n}") for n in range(21)])
    olu = signed_in(org["olu"].user, org["olu"].key)
    nobody = olu.post(NEW, {"official_names": "Zebedee Nowhere"})
    assert nobody.status_code == 400
    assert "Nobody in the member list has “Zebedee Nowhere” in their name." in nobody.content.decode()
    too_many = olu.post(NEW, {"official_names": "Sam Example"})
    assert too_many.status_code == 400
    html = too_many.content.decode()
    assert "More than 20 members have “Sam Example” in their name: type more of it." in html
    assert 'type="checkbox"' not in html
    assert Case.objects.filter(kind=CaseKind.PROCESS).count() == 0


def test_the_scope_form_offers_a_partly_named_official_to_tick_in_the_workspace(org):
    case = investigations.investigation_open(by=org["olu"].user, officials=[org["dev"].person])
    north = Person.objects.create(name="Riley Northgate")
    oren = signed_in(org["oren"].user, org["oren"].key)
    page = f"/cases/case/{case.reference}/"
    offered = oren.post(page, {"step": "scope", "scope-official_names": "Northg"})
    assert offered.status_code == 400
    html = offered.content.decode()
    assert "Only Riley Northgate has “Northg” in their name: tick them below if you mean them." in html
    assert f'name="scope-officials" value="{north.pk}"' in html
    assert set(case.subjects.all()) == {org["dev"].person}
    ticked = oren.post(page, {"step": "scope", "scope-official_names": "Northg", "scope-officials": [north.pk]})
    assert ticked.status_code == 302
    assert set(case.subjects.all()) == {org["dev"].person, north}


def _cost(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_the_officials_forms_cost_the_same_with_10_members_or_200(org):
    case = investigations.investigation_open(by=org["olu"].user, officials=[org["dev"].person])
    olu = signed_in(org["olu"].user, org["olu"].key)
    oren = signed_in(org["oren"].user, org["oren"].key)
    workspace = f"/cases/case/{case.reference}/"
    Person.objects.bulk_create([Person(name=f"Member {n:03}") for n in range(10)])
    _cost(olu, NEW), _cost(oren, workspace)  # the first views of a process fill its caches
    small = (_cost(olu, NEW), _cost(oren, workspace))
    Person.objects.bulk_create([Person(name=f"Member {n:03}") for n in range(10, 200)])
    assert (_cost(olu, NEW), _cost(oren, workspace)) == small
    assert 'name="official_names"' in olu.get(NEW).content.decode()  # the forms were drawn, with their search
    assert 'name="scope-official_names"' in oren.get(workspace).content.decode()
