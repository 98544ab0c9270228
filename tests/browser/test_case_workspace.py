"""A case in a real browser: a panelist seats the panel and drafts the notice in the workspace, the reporter agrees to
it, it is given, the respondent responds on their own page, a decision-maker issues the decision, and both parties
see it."""

import pytest
from playwright.sync_api import Page, expect

from rankfile.cases.actions import decisions, panel, process
from rankfile.cases.models import DecisionStatus, PanelRole, Stage
from rankfile.deadlines.actions import tick
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb

pytestmark = pytest.mark.django_db(transaction=True)


def open_case(page: Page, a11y, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    a11y.check(page)


def test_a_panel_seats_gives_notice_the_respondent_responds_and_both_parties_see_the_decision(
    live_server, new_page, a11y
):
    org = cb.full_organization()
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, cb.STANDARD_PANEL)
    dana, dev, dora = can_sign_in(org["dana"]), can_sign_in(org["dev"]), can_sign_in(org["dora"])
    rae, ray = can_sign_in(org["rae"]), can_sign_in(org["ray"])
    workspace = f"{live_server.url}/cases/case/{case.reference}/"
    party_page = f"{live_server.url}/cases/mine/{case.reference}/"

    # The investigator seats the panel, then gives notice of two allegations.
    panelist = new_page()
    sign_in_with_totp(panelist, a11y, base_url=live_server.url, who=dana)
    open_case(panelist, a11y, workspace, f"Case {case.reference}")
    panelist.get_by_role("button", name="Seat the panel").click()
    expect(panelist.get_by_text("Seated: ")).to_be_visible()
    a11y.check(panelist)
    first = panelist.get_by_role("group", name="Allegation 1")
    first.get_by_label("What is alleged").fill("Unwanted touching at the branch meeting of 3 March.")
    first.get_by_label("Provisions concerned").fill("Code of conduct 2.1")
    second = panelist.get_by_role("group", name="Allegation 2")
    second.get_by_label("What is alleged").fill("Threatening messages afterwards.")
    second.get_by_label("Provisions concerned").fill("Code of conduct 2.4")
    panelist.get_by_role("button", name="Send the draft to the reporter").click()
    expect(panelist.get_by_text("The draft notice went to the reporter")).to_be_visible()
    a11y.check(panelist)

    # The reporter reads the draft and agrees to what it discloses; only then is the notice given.
    reporter = new_page()
    sign_in(reporter, a11y, base_url=live_server.url, email=email_of(rae))
    open_case(reporter, a11y, party_page, f"Your case {case.reference}")
    expect(reporter.get_by_text("Unwanted touching at the branch meeting of 3 March.")).to_be_visible()
    reporter.get_by_role("button", name="I agree to what the notice discloses").click()
    expect(reporter.get_by_text("You agreed to the draft notice.")).to_be_visible()
    a11y.check(reporter)
    panelist.goto(workspace)
    panelist.get_by_role("button", name="Give notice").click()
    expect(panelist.get_by_text("The notice was given to the respondent and the reporter.")).to_be_visible()
    expect(panelist.get_by_role("listitem").filter(has_text="The respondent's response")).to_be_visible()
    a11y.check(panelist)
    case.refresh_from_db()
    assert case.stage == Stage.RESPONSE

    # The respondent reads the notice on his own page and responds.
    respondent = new_page()
    sign_in(respondent, a11y, base_url=live_server.url, email=email_of(ray))
    respondent.goto(f"{live_server.url}/cases/mine/")
    a11y.check(respondent)
    respondent.get_by_role("link", name=f"Case {case.reference}").click()
    expect(respondent.get_by_text("Unwanted touching at the branch meeting of 3 March.")).to_be_visible()
    a11y.check(respondent)
    respondent.get_by_label("Your response").fill("I deny both allegations.")
    respondent.set_viewport_size({"width": 390, "height": 844})  # the check before sending, on a phone
    respondent.get_by_role("button", name="Send my response").click()
    expect(respondent.get_by_role("heading", name="Check your response before you send it")).to_be_visible()
    expect(respondent.get_by_text("I deny both allegations.")).to_be_visible()
    a11y.check(respondent)
    assert respondent.evaluate("document.documentElement.scrollWidth") <= 390
    respondent.get_by_role("button", name="Send", exact=True).click()
    expect(respondent.get_by_text("Your response was sent to the panel.")).to_be_visible()
    a11y.check(respondent)
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION

    # The investigation, the review and the report (tested on their own pages elsewhere) take their course.
    statement = process.document_add(
        case=case, kind="statement", title="Witness statement", text="I saw it.", by=dana.user
    )
    process.evidence_review_open(case=case, items=[statement], by=dana.user, key=dana.key)
    tick(now=cb.after(11))  # type: ignore[arg-type]
    case.refresh_from_db()
    process.investigation_report_file(case=case, text="The investigation found it likely.", by=dana.user)

    # A decision-maker issues the decision.
    decider = new_page()
    sign_in_with_totp(decider, a11y, base_url=live_server.url, who=dev)
    open_case(decider, a11y, workspace, f"Case {case.reference}")
    decider.get_by_role("group", name="Allegation 1").get_by_label("responsible", exact=True).check()
    decider.get_by_role("group", name="Allegation 2").get_by_label("not responsible", exact=True).check()
    decider.get_by_role("textbox", name="Reasons").fill("On the evidence, allegation 1 is more likely than not.")
    decider.get_by_label("Bar from office").check()
    decider.set_viewport_size({"width": 390, "height": 844})  # the check before it goes out, on a phone
    decider.get_by_role("button", name="Check the decision").click()
    expect(
        decider.get_by_role("heading", name=f"Check the decision in {case.reference} before it goes out")
    ).to_be_visible()
    expect(decider.get_by_text("Allegation 1: responsible.")).to_be_visible()
    expect(decider.get_by_text("Barred from office for 3 years, from")).to_be_visible()
    a11y.check(decider)
    assert decider.evaluate("document.documentElement.scrollWidth") <= 390
    decider.get_by_role("button", name="Go back and change it").click()
    expect(decider.get_by_role("textbox", name="Reasons")).to_have_value(
        "On the evidence, allegation 1 is more likely than not."
    )
    a11y.check(decider)
    decider.get_by_label("Bar from office").uncheck()
    decider.get_by_label("Written warning").check()
    decider.get_by_role("button", name="Check the decision").click()
    decider.get_by_role("button", name="Propose this decision").click()
    expect(decider.get_by_text("Your decision was proposed to the other decision-makers")).to_be_visible()
    a11y.check(decider)
    case.refresh_from_db()
    assert case.stage == Stage.DECISION

    # The other decision-maker reads it and agrees: only then is it issued.
    other = new_page()
    other.set_viewport_size({"width": 390, "height": 844})
    sign_in_with_totp(other, a11y, base_url=live_server.url, who=dora)
    open_case(other, a11y, workspace, f"Case {case.reference}")
    expect(other.get_by_text("Dev Discipline proposed this decision")).to_be_visible()
    assert other.evaluate("document.documentElement.scrollWidth") <= 390
    other.get_by_role("button", name="Agree to this decision").click()
    expect(other.get_by_text("the decision was issued")).to_be_visible()
    a11y.check(other)
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW

    # Both parties see it, and may appeal on the listed grounds.
    respondent.goto(party_page)
    expect(respondent.get_by_text("On the evidence, allegation 1 is more likely than not.")).to_be_visible()
    expect(respondent.get_by_role("link", name="The decision letter (PDF)")).to_be_visible()
    expect(respondent.get_by_label("Procedural irregularity")).to_be_visible()
    a11y.check(respondent)
    open_case(reporter, a11y, party_page, f"Your case {case.reference}")
    expect(reporter.get_by_text("On the evidence, allegation 1 is more likely than not.")).to_be_visible()
    expect(reporter.get_by_text("Written warning")).to_be_visible()


def test_a_candidate_declares_the_respondent_appeals_the_appeals_body_decides_and_members_see_an_override(
    live_server, new_page, a11y
):
    org = cb.full_organization()
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, {"dana": PanelRole.INVESTIGATOR, "dev": PanelRole.DECISION_MAKER})
    panel.panelist_propose(case=case, person=org["dora"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    dora, ray, abe, one = (can_sign_in(org[name]) for name in ("dora", "ray", "abe", "one"))

    # The candidate declares on a page that shows nothing of the case.
    candidate = new_page()
    sign_in_with_totp(candidate, a11y, base_url=live_server.url, who=dora)
    open_case(candidate, a11y, f"{live_server.url}/cases/panel/{case.reference}/", f"Panel of case {case.reference}")
    expect(candidate.get_by_text("Ray Respondent")).to_have_count(0)
    candidate.get_by_label("No: I have no conflict of interest").check()
    candidate.get_by_role("button", name="Declare").click()
    expect(candidate.get_by_text("You declared no conflict.")).to_be_visible()
    a11y.check(candidate)

    panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    responded = cb.investigating(org, cb.noticed(org, case))
    decision = cb.decided(org, sanctions=("warning",), case=cb.for_decision(org, cb.reviewed(org, responded)))

    # The respondent appeals on a listed ground.
    respondent = new_page()
    sign_in(respondent, a11y, base_url=live_server.url, email=email_of(ray))
    open_case(respondent, a11y, f"{live_server.url}/cases/mine/{case.reference}/", f"Your case {case.reference}")
    respondent.get_by_label("Procedural irregularity").check()
    respondent.get_by_label("Your statement").fill("I was not heard on the second allegation.")
    respondent.get_by_role("button", name="Lodge my appeal").click()
    expect(respondent.get_by_text("Your appeal was lodged")).to_be_visible()
    a11y.check(respondent)

    # The panel sends its record; the appeals body decides on the complete record.
    case.refresh_from_db()
    decisions.appeal_record_send(appeal=case.appeals.get(), by=org["dana"].user, key=org["dana"].key)
    appeals = new_page()
    sign_in_with_totp(appeals, a11y, base_url=live_server.url, who=abe)
    open_case(appeals, a11y, f"{live_server.url}/cases/appeal/{case.reference}/", f"Appeal in case {case.reference}")
    expect(appeals.get_by_text("I was not heard on the second allegation.")).to_be_visible()
    appeals.get_by_label("Dismissed: the decision stands").check()
    appeals.get_by_role("textbox", name="Reasons").fill("The respondent was heard on both allegations.")
    appeals.get_by_role("button", name="Decide the appeal").click()
    expect(appeals.get_by_text("The appeal is decided.")).to_be_visible()
    a11y.check(appeals)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL

    # Only a convention vote overrides it, and every member sees that it did.
    decisions.decision_override(decision=decision, vote_reference=cb.convention_vote(org), by=org["cleo"].user)
    member = new_page()
    sign_in_with_totp(member, a11y, base_url=live_server.url, who=one)
    open_case(member, a11y, f"{live_server.url}/decisions/overrides/", "Decisions overridden")
    expect(member.get_by_role("cell", name=case.reference)).to_be_visible()
    expect(member.get_by_role("cell", name="Ray Respondent")).to_have_count(0)


def test_on_a_phone_the_proposer_issues_the_decision_once_the_one_yet_to_agree_stepped_down(
    live_server, new_page, a11y
):
    org = cb.full_organization()
    case = cb.for_decision(org)
    dev = can_sign_in(org["dev"])
    decisions.decision_issue(
        case=case,
        findings={1: "responsible", 2: "not_responsible"},
        rationale="On the evidence.",
        sanctions=[],
        by=dev.user,
    )
    panel.panelist_recuse(member=case.panel.get(person=org["dora"].person), by=org["dora"].user)
    workspace = f"{live_server.url}/cases/case/{case.reference}/"

    proposer = new_page()
    proposer.set_viewport_size({"width": 390, "height": 844})
    sign_in_with_totp(proposer, a11y, base_url=live_server.url, who=dev)
    expect(proposer.get_by_text("Issue the decision every decision-maker agreed to")).to_be_visible()  # home page
    open_case(proposer, a11y, workspace, f"Case {case.reference}")
    proposer.locator("summary", has_text="Issue the decision every decision-maker agreed to").click()
    expect(proposer.get_by_text("Every decision-maker still on the panel has agreed to it")).to_be_visible()
    a11y.check(proposer)
    assert proposer.evaluate("document.documentElement.scrollWidth") <= 390
    proposer.get_by_role("button", name="Issue this decision").click()
    expect(proposer.get_by_text("You issued the decision every decision-maker on the panel agreed to.")).to_be_visible()
    a11y.check(proposer)
    case.refresh_from_db()
    assert case.stage == Stage.APPEAL_WINDOW
