"""Members' voice in a real browser on a phone: three members form a caucus by signing its founding statement; a
member raises a concern the steering committee answers; a petition is started and carried; a convener schedules a
meeting, adds a file and lists the caucus on the support card, where a visitor writes to its conveners. Every page
fits a 390 px screen and passes axe."""

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import Page, expect

from rankfile.voice.models import Caucus, Concern, Petition
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb
from tests.voice.helpers import formed_caucus

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _on_phone(new_page, a11y, live_server, who: cb.Member) -> Page:
    page = new_page()
    page.set_viewport_size(PHONE)
    if Authenticator.objects.filter(user=who.user).exists():
        sign_in_with_totp(page, a11y, base_url=live_server.url, who=who)
    else:
        sign_in(page, a11y, base_url=live_server.url, email=email_of(who))
    return page


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _open(page: Page, a11y, url: str) -> None:
    page.goto(url)
    a11y.check(page)
    _fits(page)


def test_three_members_form_a_caucus_by_signing_on_their_phones(live_server, new_page, a11y):
    org = cb.full_organization()
    rae = _on_phone(new_page, a11y, live_server, can_sign_in(org["rae"]))
    _open(rae, a11y, live_server.url + "/voice/")
    rae.get_by_role("link", name="Form a caucus").click()
    rae.wait_for_url("**/voice/caucuses/new/")
    a11y.check(rae)
    _fits(rae)
    rae.get_by_label("Name of the caucus").fill("Survivors' caucus")
    rae.get_by_label("Its purpose, in a sentence or two").fill("Support for survivors.")
    rae.get_by_label("Founding statement").fill("We found this caucus to support one another.")
    rae.get_by_label("a convener approves each member who asks to join").check()
    rae.get_by_label("The other founders").select_option(label=[org["dora"].person.name, org["sam"].person.name])
    rae.get_by_role("button", name="Sign and ask the founders to sign").click()
    expect(rae.get_by_role("heading", name="Survivors' caucus", level=1)).to_be_visible()
    a11y.check(rae)
    _fits(rae)
    caucus = Caucus.objects.get()
    assert not caucus.formed

    for name in ("dora", "sam"):
        page = _on_phone(new_page, a11y, live_server, can_sign_in(org[name]))
        _open(page, a11y, f"{live_server.url}/voice/caucuses/{caucus.pk}/")
        page.get_by_role("button", name="Sign the founding statement").click()
        page.wait_for_load_state()
        a11y.check(page)
        _fits(page)
    expect(page.get_by_text("You signed. The caucus is formed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Who belongs")).to_be_visible()
    caucus.refresh_from_db()
    assert caucus.formed


def test_a_member_raises_a_concern_and_the_body_answers_on_phones(live_server, new_page, a11y):
    org = cb.full_organization()
    rae = _on_phone(new_page, a11y, live_server, can_sign_in(org["rae"]))
    _open(rae, a11y, live_server.url + "/voice/")
    rae.get_by_role("link", name="Raise a concern").click()
    rae.wait_for_url("**/voice/concerns/new/")
    a11y.check(rae)
    _fits(rae)
    rae.get_by_label("The body you raise it to").select_option(label=org.steering.name)
    rae.get_by_label("Title").fill("Where did the conference money go?")
    rae.get_by_label("Your concern").fill("The accounts show a gap.")
    rae.get_by_role("button", name="Raise the concern").click()
    expect(rae.get_by_text("Your concern was sent.", exact=False)).to_be_visible()
    a11y.check(rae)
    _fits(rae)
    concern = Concern.objects.get()

    lee = _on_phone(new_page, a11y, live_server, can_sign_in(org["lee"]))
    link = lee.get_by_role("link", name="Answer a member's concern")
    expect(link).to_be_visible()
    link.click()
    lee.wait_for_url(f"**/voice/concerns/{concern.reference}/")
    a11y.check(lee)
    _fits(lee)
    lee.get_by_label("The body's answer").fill("Here are the accounts.")
    lee.get_by_role("button", name="Publish the answer").click()
    expect(lee.get_by_text("The answer is published with the concern.")).to_be_visible()
    a11y.check(lee)
    _fits(lee)

    dora = _on_phone(new_page, a11y, live_server, can_sign_in(org["dora"]))
    _open(dora, a11y, f"{live_server.url}/voice/concerns/{concern.reference}/")
    dora.get_by_role("button", name="Me too: add my name").click()
    expect(dora.get_by_text("Your name is on the concern.")).to_be_visible()
    a11y.check(dora)
    _fits(dora)


def test_a_member_starts_a_petition_and_another_carries_it_on_phones(live_server, new_page, a11y):
    org = cb.full_organization()
    rae = _on_phone(new_page, a11y, live_server, can_sign_in(org["rae"]))
    _open(rae, a11y, live_server.url + "/voice/")
    rae.get_by_role("link", name="Start a petition").click()
    rae.wait_for_url("**/voice/petitions/new/")
    a11y.check(rae)
    _fits(rae)
    rae.get_by_label("The body you petition").select_option(label=org.steering.name)
    rae.get_by_label("put an item on the agenda of the body's next meeting").check()
    rae.get_by_label("Title").fill("Publish the accounts")
    rae.get_by_label("What the members ask, and why").fill("Please publish last year's accounts.")
    rae.get_by_role("button", name="Start and sign the petition").click()
    expect(rae.get_by_text("You started the petition and signed it.", exact=False)).to_be_visible()
    a11y.check(rae)
    _fits(rae)
    petition = Petition.objects.get()

    dora = _on_phone(new_page, a11y, live_server, can_sign_in(org["dora"]))
    _open(dora, a11y, f"{live_server.url}/voice/petitions/{petition.reference}/")
    dora.get_by_role("button", name="Sign the petition").click()
    expect(dora.get_by_text("Carried on", exact=False)).to_be_visible()  # 2 of 17 at the default tenth
    a11y.check(dora)
    _fits(dora)


def test_a_convener_schedules_a_meeting_adds_a_file_and_lists_the_caucus_on_the_support_card_on_a_phone(
    live_server, new_page, a11y, tmp_path, settings
):
    settings.VAULT_ROOT = tmp_path / "vault"
    org = cb.full_organization()
    caucus = formed_caucus(org)
    rae = _on_phone(new_page, a11y, live_server, can_sign_in(org["rae"]))
    _open(rae, a11y, f"{live_server.url}/voice/caucuses/{caucus.pk}/")
    rae.get_by_label("Day of the meeting").fill(timezone.localdate().isoformat())
    rae.get_by_label("Agenda").fill("Room 4 at 7 pm: how we support each other.")
    rae.get_by_role("button", name="Schedule the meeting").click()
    expect(rae.get_by_text("The meeting is scheduled.", exact=False)).to_be_visible()
    expect(rae.get_by_text("Room 4 at 7 pm", exact=False)).to_be_visible()
    a11y.check(rae)
    _fits(rae)
    notes = tmp_path / "what_we_agreed_at_the_caucus_meeting_on_the_seventh_of_december_every_decision.txt"
    notes.write_text("What we agreed.")  # a long name without spaces still fits the phone's width
    rae.get_by_label("A file for the caucus").set_input_files(str(notes))
    rae.get_by_role("button", name="Add the file").click()
    expect(rae.get_by_role("link", name=notes.name)).to_be_visible()
    a11y.check(rae)
    _fits(rae)
    rae.get_by_role("link", name="Write the minutes").click()
    rae.wait_for_url("**/minutes/")
    a11y.check(rae)
    _fits(rae)
    rae.get_by_label("Minutes").fill("We agreed to meet monthly.")
    rae.get_by_role("button", name="Save the minutes").click()
    expect(rae.get_by_text("We agreed to meet monthly.")).to_be_visible()
    rae.get_by_role("button", name="List it on the support card").click()
    expect(rae.get_by_text("The caucus is listed on the support card", exact=False)).to_be_visible()
    a11y.check(rae)
    _fits(rae)

    visitor = new_page()
    visitor.set_viewport_size(PHONE)
    _open(visitor, a11y, live_server.url + "/report/")
    visitor.get_by_role("link", name="write to its conveners").click()
    visitor.wait_for_url(f"**/voice/support/{caucus.pk}/")
    a11y.check(visitor)
    _fits(visitor)
    visitor.get_by_label("Your message").fill("Could someone talk with me?")
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_text("Your message was sent.", exact=False)).to_be_visible()
    a11y.check(visitor)
    _fits(visitor)
    assert caucus.messages.count() == 1
