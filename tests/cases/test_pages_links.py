"""The way to a case: from the handlers' inbox, from the report a handler reads, from the reporter's status page."""

import pytest

from rankfile.cases.models import Case, Stage
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_a_handler_opens_a_case_from_the_report_and_finds_it_in_the_inbox():
    org = cb.full_organization()
    report = cb.formal_report(org)
    dana = signed_in(org["dana"].user, org["dana"].key)
    page = dana.get(f"/cases/{report.pk}/")
    assert "Open a case" in page.content.decode()
    response = dana.post(f"/cases/{report.pk}/", {"step": "open_case"})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/case/{case.reference}/"
    assert case.stage == Stage.PANEL
    inbox = dana.get("/cases/").content.decode()
    assert f"/cases/case/{case.reference}/" in inbox
    again = dana.post(f"/cases/{report.pk}/", {"step": "open_case"})
    assert again.status_code == 302
    assert Case.objects.count() == 1


def test_the_respondent_and_outsiders_find_no_case_in_their_inbox_and_the_reporter_a_link_to_follow_it():
    org = cb.full_organization()
    case = cb.seated(org)
    for outsider in ("lee", "ray", "olu"):
        inbox = signed_in(org[outsider].user, org[outsider].key).get("/cases/").content.decode()
        assert case.reference not in inbox
    status = signed_in(org["rae"].user, org["rae"].key).get(f"/report/{case.reports.get().pk}/").content.decode()
    assert f"/cases/mine/{case.reference}/" in status


def test_members_find_the_overrides_and_the_oversight_body_the_process_investigation_page():
    org = cb.full_organization()
    member_page = signed_in(org["lee"].user, org["lee"].key).get("/").content.decode()
    assert "/decisions/overrides/" in member_page
    assert "/cases/investigations/new/" not in member_page
    oversight_page = signed_in(org["olu"].user, org["olu"].key).get("/").content.decode()
    assert "/cases/investigations/new/" in oversight_page
