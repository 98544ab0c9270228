"""Elections on a phone: a delegate nominates herself and self-identifies, a voter casts a ranked ballot and keeps
the receipt, whose tracker is on the list of cast ballots, and a member reads the round-by-round results. Every page
passes axe and fits a 390 px screen without sideways scrolling."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rankfile.elections import actions
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from tests.browser.helpers import sign_in
from tests.elections.builders import call, member, stand, to_closed, to_voting, user_of, world
from tests.elections.test_refused_winner import ALL_NEW, counted_then_barred, refused_winner_rule, sat_before
from tests.elections.test_story import bar
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def can_sign_in(person):
    person.user.set_password(PASSWORD)
    person.user.save()
    return person.user.email


def fits(page: Page, a11y) -> None:
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def phone(new_page) -> Page:
    page = new_page()
    page.set_viewport_size(PHONE)
    return page


def test_a_delegate_nominates_herself_with_a_statement_and_self_identifies_on_a_phone(live_server, new_page, a11y):
    w = world()
    document = bylaws.defaults()
    document["roles"]["convention"] = "convention"
    document["self_identification"] = {"categories": [{"code": "poc", "label": "a person of color"}]}
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2001, 1, 1), adopted_by_vote="CONV-2026-2", by=OPERATOR
    )
    election = call(w)
    bea = w.delegates[1]
    page = phone(new_page)
    sign_in(page, a11y, base_url=live_server.url, email=can_sign_in(bea))
    page.goto(f"{live_server.url}/elections/{election.reference}/")
    fits(page, a11y)
    page.get_by_label("Whom you nominate").select_option(label=bea.name)
    page.get_by_label("Your statement, if you nominate yourself").fill("I will publish every decision we take.")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Your nomination was received.")).to_be_visible()
    expect(page.get_by_text("I will publish every decision we take.")).to_be_visible()
    fits(page, a11y)

    page.goto(f"{live_server.url}/elections/")
    fits(page, a11y)
    page.get_by_role("link", name=re.compile("Self-identify")).click()
    expect(page.get_by_text("You have not answered.")).to_be_visible()
    fits(page, a11y)
    page.get_by_label("a person of color").check()
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_text("Your answer was saved, sealed.")).to_be_visible()
    expect(page.get_by_label("a person of color")).to_be_checked()
    fits(page, a11y)


def test_a_voter_ranks_the_candidates_on_a_phone_and_finds_the_receipts_tracker_on_the_list(
    live_server, new_page, a11y
):
    w = world()
    election = call(w, method="instant_runoff", seats=1)
    for name in ("Ann One", "Bo Two", "Gil Three-Longername"):
        stand(election, member(name), statement="A statement.")
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    cy = w.delegates[2]
    page = phone(new_page)
    sign_in(page, a11y, base_url=live_server.url, email=can_sign_in(cy))
    expect(page.get_by_role("link", name="Cast your ballot")).to_be_visible()  # waiting for her on the home page
    page.get_by_role("link", name="Cast your ballot").click()
    expect(page.get_by_role("heading", name="Your ballot")).to_be_visible()
    fits(page, a11y)
    page.get_by_label("Bo Two").select_option("1")
    page.get_by_label("Ann One").select_option("2")
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", name="Your ballot was cast")).to_be_visible()
    receipt = page.locator(".receipt").inner_text().strip()
    assert re.fullmatch(r"[0-9A-F]{10}-\S+", receipt)
    fits(page, a11y)
    page.get_by_role("link", name="The list of cast ballots").click()
    expect(page.get_by_text(receipt.split("-")[0])).to_be_visible()
    assert receipt.split("-", 1)[1] not in page.content()
    fits(page, a11y)


def test_a_member_reads_the_round_by_round_results_on_a_phone(live_server, new_page, a11y):
    w = world()
    election = call(w, method="instant_runoff", seats=1)
    for name in ("Ann One", "Bo Two", "Gil Three-Longername", "Dee Four-Longername"):
        stand(election, member(name))
    election = to_voting(election)
    actions.voting_open(election=election, by=user_of(w.chair))
    ids = [n.pk for n in actions.candidates(election)]
    ballots = [[ids[0]], [ids[0]], [ids[1]], [ids[1], ids[0]], [ids[2], ids[1]], [ids[3], ids[1]]]
    for delegate, choices in zip(w.delegates, ballots, strict=True):
        actions.ballot_cast(election=election, choices=choices, by=user_of(delegate))
    election = to_closed(election)
    actions.election_count(election=election, by=user_of(w.chair))
    reader = member("Mo Reader")
    page = phone(new_page)
    sign_in(page, a11y, base_url=live_server.url, email=can_sign_in(reader))
    page.goto(f"{live_server.url}/elections/{election.reference}/results/")
    expect(page.get_by_role("heading", name="Round by round")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Round 3")).to_be_attached()
    counted = "Counted by the method chosen when the election was called: instant runoff."
    expect(page.get_by_text(counted)).to_be_visible()
    expect(page.get_by_text("were tied for the fewest votes")).to_be_visible()
    fits(page, a11y)


def test_the_chair_records_nominations_from_the_floor_on_a_phone(live_server, new_page, a11y):
    w = world()
    election = call(w, ballot_kind="paper")
    ann, gus = member("Ann Floor-Nominee"), member("Gus Barred")
    bar(gus)
    page = phone(new_page)
    sign_in(page, a11y, base_url=live_server.url, email=can_sign_in(w.chair))
    page.goto(f"{live_server.url}/elections/{election.reference}/")
    fits(page, a11y)
    page.get_by_role("link", name="Record nominations made from the floor").click()
    expect(page.get_by_role("heading", name="Nominations from the floor")).to_be_visible()
    fits(page, a11y)
    today = timezone.localdate().isoformat()
    page.get_by_label("Who was nominated").select_option(label=ann.name)
    page.get_by_label("The day the nomination was made").fill(today)
    page.get_by_label("The nominee's statement, if they gave one").fill("Seconded from the floor.")
    page.get_by_role("button", name="Record the nomination").click()
    expect(page.get_by_text("Ann Floor-Nominee stands in this election.")).to_be_visible()
    page.get_by_label("Who was nominated").select_option(label=gus.name)
    page.get_by_label("The day the nomination was made").fill(today)
    page.get_by_role("button", name="Record the nomination").click()
    expect(
        page.get_by_text(re.compile(r"Gus Barred does not stand: They are barred from office on \d+ \w+ \d{4}\."))
    ).to_be_visible()
    fits(page, a11y)


def test_a_member_reads_a_count_run_again_without_a_refused_winner_on_a_phone(live_server, new_page, a11y):
    w = world()
    election, _pk = counted_then_barred(w)
    actions.winners_seat(election=election, by=user_of(w.chair))
    page = phone(new_page)
    sign_in(page, a11y, base_url=live_server.url, email=can_sign_in(member("Mo Reader")))
    page.goto(f"{live_server.url}/elections/{election.reference}/results/")
    expect(page.get_by_role("heading", name="Counted again")).to_be_visible()
    expect(page.get_by_role("region", name="Counted again")).to_be_attached()  # its round-by-round table
    expect(page.get_by_text("Bo Barred could not be seated")).to_be_visible()
    fits(page, a11y)


def test_a_member_reads_how_the_next_in_line_and_a_binding_goal_filled_a_refused_winners_place_on_a_phone(
    live_server, new_page, a11y
):
    w = world()
    refused_winner_rule("next_in_line", goals=[{**ALL_NEW, "binding": True}])
    election, pk = counted_then_barred(w)
    sat_before(w, pk["Cal"])
    actions.winners_seat(election=election, by=user_of(w.chair))
    page = phone(new_page)
    sign_in(page, a11y, base_url=live_server.url, email=can_sign_in(member("Mo Reader")))
    page.goto(f"{live_server.url}/elections/{election.reference}/results/")
    expect(page.get_by_role("heading", name="Next in line")).to_be_visible()
    expect(
        page.get_by_text("Dee Transfer took the place of Cal Next: a binding goal (new to the body)")
    ).to_be_visible()
    fits(page, a11y)
