import pytest
from playwright.sync_api import expect

from rankfile.governance.models import Mandate
from tests.browser.helpers import sign_in
from tests.governance.builders import mandate, organization, person_for, seat

pytestmark = pytest.mark.django_db(transaction=True)


def titled(org, title: str, **kw) -> Mandate:
    adopted = mandate(org, **kw)
    Mandate.objects.filter(pk=adopted.pk).update(title=title)
    return Mandate.objects.get(pk=adopted.pk)


def test_a_member_reads_the_tracker_and_the_body_reports_progress(live_server, new_page, a11y, member, leader):
    org = organization()
    person_for(member)
    seat(person_for(leader), org.steering, role="chair")
    titled(org, "Organize a conference", days=60, visibility="public")
    late = titled(org, "Publish an apology", adopted_days_ago=100, days=90, visibility="public")
    titled(org, "Review the budget", days=30, responsible=org.national)

    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=member.email)
    page.get_by_role("link", name="Mandates").click()
    expect(page.get_by_role("heading", name="Mandates", exact=True)).to_be_visible()
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("Publish an apology")
    expect(first_row).to_contain_text("Overdue")
    a11y.check(page)

    page.get_by_label("Responsible body").select_option(label=org.national.name)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Review the budget")
    a11y.check(page)

    page.goto(f"{live_server.url}/mandates/{late.reference}/")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_role("heading", name="Report progress")).to_have_count(0)
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="the meeting").click()
    expect(page.get_by_role("link", name=f"{late.reference}: Publish an apology")).to_be_visible()
    a11y.check(page)

    steward = new_page()
    sign_in(steward, a11y, base_url=live_server.url, email=leader.email)
    steward.goto(f"{live_server.url}/mandates/{late.reference}/")
    a11y.check(steward)
    steward.get_by_label("Status").select_option("done")
    steward.get_by_role("button", name="Post the update").click()
    expect(steward.get_by_role("link", name="What was delivered")).to_be_visible()  # the error names the field
    a11y.check(steward)
    steward.get_by_label("What was delivered").fill("The apology was published on the website and read out.")
    steward.get_by_role("button", name="Post the update").click()
    expect(steward.get_by_text("The progress update was posted.")).to_be_visible()
    expect(steward.get_by_text("done on")).to_be_visible()
    a11y.check(steward)

    public = new_page()
    public.goto(f"{live_server.url}/public/mandates/")
    expect(public.get_by_text("Publish an apology")).to_be_visible()
    expect(public.get_by_text("Review the budget")).to_have_count(0)
    a11y.check(public)
    public.get_by_role("link", name="Publish an apology").click()
    expect(public.get_by_text("The apology was published on the website and read out.")).to_be_visible()
    a11y.check(public)
