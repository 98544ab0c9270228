import pytest
from django.utils import timezone
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
    page.get_by_role("link", name="Meeting", exact=True).click()
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


def test_a_secretary_records_a_meeting_its_vote_and_a_mandate_that_the_tracker_then_shows(
    live_server, new_page, a11y, leader
):
    org = organization()
    seat(person_for(leader), org.steering, role="secretary")

    page = new_page()
    sign_in(page, a11y, base_url=live_server.url, email=leader.email)
    page.get_by_role("link", name="Mandates").click()
    a11y.check(page)
    page.get_by_role("link", name="Meetings and votes").click()
    a11y.check(page)
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("heading", name="Record a meeting")).to_be_visible()
    a11y.check(page)

    page.get_by_role("button", name="Create the meeting").click()  # nothing filled in: told what to fix
    expect(page.get_by_role("link", name="Bodies that meet")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Steering Committee").check()
    page.get_by_label("Title").fill("Steering committee, autumn")
    page.get_by_label("Date (the first day)").fill(timezone.localdate().isoformat())
    page.get_by_label("Place (optional)").fill("Union hall")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.get_by_text("was created")).to_be_visible()
    expect(page.get_by_role("heading", name="Record this meeting")).to_be_visible()
    a11y.check(page)

    for name in ("Lee Leader", "Steward 1", "Steward 2", "Steward 3"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("The attendance was recorded.")).to_be_visible()
    a11y.check(page)

    page.get_by_label("Motion:", exact=True).fill("That the committee publishes its **budget**.")
    page.get_by_label("Moved by").select_option(label="Steward 1")
    page.get_by_label("Seconded by (optional)").select_option(label="Steward 2")
    page.get_by_role("button", name="Record the motion").click()
    expect(page.get_by_text("was recorded.")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Record the vote on").click()
    expect(page.get_by_text("4 people present may vote.")).to_be_visible()
    a11y.check(page)
    page.get_by_label("For:", exact=True).fill("9")
    page.get_by_role("button", name="Record the vote").click()
    expect(page.get_by_role("link", name="For")).to_be_visible()  # the error names the field
    expect(page.get_by_text("9 votes, but only 4 present were entitled to vote.", exact=True)).to_be_visible()
    a11y.check(page)
    page.get_by_label("For:", exact=True).fill("3")
    page.get_by_label("Against:", exact=True).fill("1")
    page.get_by_role("button", name="Record the vote").click()
    expect(page.get_by_text("was recorded: carried.")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Adopt a mandate by vote").click()
    a11y.check(page)
    page.get_by_label("Title").fill("Publish the budget")
    page.get_by_label("What must be done").fill("Publish the budget to the members.")
    page.get_by_label("Responsible body").select_option(label="Steering Committee")
    page.get_by_label("Or: due within this many days of the vote").fill("30")
    page.get_by_label("Milestones").fill("Draft ready")
    page.get_by_role("button", name="Adopt the mandate").click()
    expect(page.get_by_text("was adopted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Publish the budget")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="All mandates").click()
    expect(page.locator("tbody tr").first).to_contain_text("Publish the budget")
    a11y.check(page)
    assert Mandate.objects.get().milestones.get().title == "Draft ready"
