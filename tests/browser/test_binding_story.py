"""The founding story through the pages, on a phone-sized screen: an expulsion becomes final; a site
administrator's status page, member import and seat page all fail to undo it, and each attempt is flagged; a
re-admission citing the steering committee's vote is refused; one citing the convention's carried vote on a motion
about him works, and every member sees it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from rankfile.cases.models import Decision
from rankfile.deadlines.actions import tick
from rankfile.governance.models import CaseEffect
from rankfile.ledger.models import Entry
from rankfile.org import queries as org_queries
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, sign_in_with_totp
from tests.cases import casebuilders as cb
from tests.cases.builders import seat
from tests.cases.test_holds import convention_motion_about

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
REACTIVATE = b"Name,Email,Status\nRay Respondent,ray@example.org,active\n"


def test_invariant_8_nobody_undoes_a_final_expulsion_through_the_pages_but_the_conventions_vote(
    live_server, new_page, a11y, admin
):
    org = cb.full_organization()
    ray = org["ray"].person
    seat(org["ray"], org.steering)
    cb.decided(org, sanctions=("expulsion", "bar_from_office"))
    tick(now=cb.after(15))  # type: ignore[arg-type]
    assert org_queries.status_on(person=ray, day=timezone.localdate()) == "expelled"
    today = timezone.localdate()

    # The site administrator tries the status page…
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, a11y, base_url=live_server.url, email=admin.email)
    page.goto(f"{live_server.url}/org/people/{ray.pk}/status/")
    page.get_by_label("New status").select_option("active")
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_label(re.compile(r"^Reason")).select_option(label="Dues paid again")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("A final decision holds Ray Respondent")).to_be_visible()
    a11y.check(page)

    # …the member import, whose preview shows the row as refused…
    page.goto(f"{live_server.url}/org/import/")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "members.csv", "mimeType": "text/csv", "buffer": REACTIVATE}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("A final decision holds Ray Respondent").first).to_be_visible()
    a11y.check(page)

    # …and the seat page, years later: refused with a reason that says nothing of the case.
    page.goto(f"{live_server.url}/org/people/{ray.pk}/seat/")
    page.get_by_label("Body").select_option(label=org.steering.name)
    page.get_by_label("How").select_option("elected")
    years_later = today + timedelta(days=365 * 4)
    page.get_by_label("From").fill(years_later.isoformat())
    page.get_by_role("button", name="Seat").click()
    in_words = date_format(years_later, "j F Y")
    expect(page.get_by_text(f"They are not a member in good standing on {in_words}.")).to_be_visible()
    expect(page.get_by_text("NOT_A_MEMBER_IN_GOOD_STANDING")).to_have_count(0)
    a11y.check(page)
    attempts = Entry.objects.filter(
        action="org.held_change_refused", actor_type="accounts.user", actor_id=admin.pk
    ).count()
    assert attempts == 3  # the status page, the import's preview (it imports nothing a preview refused), the seat page

    # The steering committee's chair cannot re-admit him; the convention's chair can, citing its carried vote.
    steering = cb.steering_vote(org)
    convention = convention_motion_about(org, ("ray",), "That Ray Respondent be re-admitted.", CaseEffect.READMISSION)
    case_reference = Decision.objects.get(case__respondent=ray).case.reference
    chair = new_page()
    chair.set_viewport_size(PHONE)
    sign_in_with_totp(chair, a11y, base_url=live_server.url, who=can_sign_in(org["cleo"]))
    chair.goto(f"{live_server.url}/decisions/overrides/")
    form = chair.get_by_role("region", name="Record a re-admission")
    form.get_by_label("Case").fill(case_reference)
    form.get_by_label("Vote").fill(steering)
    form.get_by_role("button", name="Record the re-admission").click()
    expect(chair.get_by_text("Only a vote of Convention can re-admit an expelled member").first).to_be_visible()
    a11y.check(chair)
    form = chair.get_by_role("region", name="Record a re-admission")
    form.get_by_label("Case").fill(case_reference)
    form.get_by_label("Vote").fill(convention)
    form.get_by_role("button", name="Record the re-admission").click()
    expect(chair.get_by_text("The re-admission was recorded.")).to_be_visible()
    a11y.check(chair)
    assert org_queries.status_on(person=ray, day=today) == "active"

    # Every member sees it, with the vote that did it.
    member = new_page()
    member.set_viewport_size(PHONE)
    sign_in_with_totp(member, a11y, base_url=live_server.url, who=can_sign_in(org["one"]))
    member.goto(f"{live_server.url}/decisions/overrides/")
    expect(member.get_by_role("cell", name="Ray Respondent")).to_be_visible()
    expect(member.get_by_role("cell", name=convention)).to_be_visible()
    a11y.check(member)
