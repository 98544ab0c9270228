import pytest
from playwright.sync_api import expect

from rankfile.org.models import Person
from tests.org.builders import body
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = b"""\
Name,Courriel,Member number,Status,Joined,Branch
Ana Abara,ana@example.org,M-001,active,2015-03-01,Northside
Ben Bakker,ben@example.org,M-002,expired,2012-06-01,
"""


def test_admin_uploads_a_file_chooses_a_column_previews_and_imports(live_server, new_page, a11y, admin):
    body("northside", kind="branch")
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    a11y.check(page)
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    a11y.check(page)

    page.goto(live_server.url + "/org/import/")
    expect(page.get_by_role("heading", name="Import members")).to_be_visible()
    a11y.check(page)
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": MEMBERS}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Preview: nothing has been changed yet")).to_be_visible()
    expect(page.get_by_text("2 new people")).to_be_visible()
    expect(page.get_by_label("Column “Courriel”")).to_have_value("")
    a11y.check(page)

    page.get_by_label("Column “Courriel”").select_option("email")
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_label("Column “Courriel”")).to_have_value("email")
    expect(page.get_by_text("Branch seats to add: Northside 1")).to_be_visible()
    a11y.check(page)
    assert not Person.objects.exists()

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_text("Imported 2 rows: 2 new, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_label("CSV file")).to_be_visible()
    a11y.check(page)
    assert sorted(Person.objects.values_list("email", flat=True)) == ["ana@example.org", "ben@example.org"]
