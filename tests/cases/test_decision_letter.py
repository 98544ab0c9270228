"""The decision letter: the organization's name, the case and its date, the people concerned (the reporter never by
name), each finding in the notice's words with its outcome and the standard of proof in plain words, the reasons,
the sanctions with their lengths and dates, the time to appeal, its grounds and how, and whom to turn to for
support. No code and no raw id reaches it; it prints as a PDF."""

import re
from datetime import timedelta
from html import escape, unescape

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.cases.actions import decisions
from rankfile.cases.models import AppealGround, AppealOutcome, Decision
from rankfile.cases.pages.letters import letter_html, sanction_terms
from rankfile.org.models import StatusChange
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

ORG_NAME = "Riverside Workers' Federation"
HOTLINES = [("Rape Crisis Line", "0808 802 9999")]
# What a code looks like: a word with an underscore (not_responsible, suspension_days), or a dict written out.
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|[{}]")


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def day(value) -> str:
    return date_format(value, "j F Y")


def read_as(org: cb.Org, name: str, decision: Decision, capacity: str) -> str:
    who = org[name]
    return letter_html(decision.case, decision, key=who.key, actor=who.user, capacity=capacity)


def text_of(html: str) -> str:
    """What a reader sees: the body's text, without the style sheet and the tags, in single spaces."""
    body = html.split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@override_settings(ORG_NAME=ORG_NAME, SUPPORT_HOTLINES=HOTLINES)
def test_the_letter_of_a_decision_with_a_suspension_has_every_part_a_party_needs(org):
    decision = cb.decided(org, sanctions=("suspension",))
    case = decision.case
    today = timezone.localdate()
    html = read_as(org, "ray", decision, "respondent")
    text = text_of(html)
    # The organization, the case and its date, in one date format.
    assert f'<p class="organization">{escape(ORG_NAME)}</p>' in html
    assert "Rankfile" not in text
    assert f"Case {case.reference} · decided on {day(today)}" in text
    # The people concerned: the respondent and the panel by name and role; the reporter not by name.
    assert "The respondent Ray Respondent" in text
    assert "Dana Discipline, investigator: Gathered the statements and the evidence" in text
    assert "Dev Discipline, decision-maker: Found on each allegation and chose the sanctions." in text
    assert "Dora Discipline, decision-maker:" in text
    assert "The reporter Not named in this letter." in text
    # Each finding: the allegation in the notice's words, the outcome, the standard in plain words; the reasons.
    for allegation in cb.ALLEGATIONS:
        assert allegation["text"] in text
        assert f"Provisions concerned: {allegation['provisions']}" in text
    assert "Allegation 1 " in text
    assert "Allegation 2 " in text
    assert "Responsible. The panel found this allegation proved to the standard of proof." in text
    assert "Not responsible. The panel did not find this allegation proved" in text
    assert text.count("Standard of proof: more likely than not.") == 3  # once for all, once for each finding
    assert "An allegation is proved when the panel finds it more likely to be true than not." in text
    assert "On the evidence, allegation 1 is more likely than not to have happened." in text
    # The sanction, its length in words, and when it takes effect.
    assert "Suspension. Suspended from membership for 90 days from the day the decision is final." in text
    assert "Sanctions take effect only when the decision is final" in text
    # The time to appeal as a date, the grounds, and how.
    assert f"Either party may appeal until the end of {day(today + timedelta(days=14))}." in text
    for ground in AppealGround:
        assert str(ground.label) in text
    assert "The sanctions are out of proportion to what the panel found." in text
    page = f"{settings.BASE_URL}/cases/mine/{case.reference}/"
    assert f'<a href="{page}">{page}</a>' in html
    assert "“Lodge my appeal”" in text
    assert f"{settings.BASE_URL}/report/receipt/" in text
    # Whom to turn to.
    assert "The Support Team is there to listen and to help. Its members are Sam Support." in text
    assert "Rape Crisis Line: 0808 802 9999" in text
    # Nothing raw.
    assert CODE.findall(text) == []
    assert "preponderance" not in text


@override_settings(ORG_NAME=ORG_NAME)
def test_the_reporter_is_named_to_nobody_and_every_reader_gets_the_same_letter(org):
    decision = cb.decided(org, sanctions=("suspension",))
    copies = {
        "respondent": read_as(org, "ray", decision, "respondent"),
        "reporter": read_as(org, "rae", decision, "reporter"),
        "panel": read_as(org, "dev", decision, "panel"),
    }
    for html in copies.values():
        assert "Rae Reporter" not in html
        assert "rae@example.org" not in html
    assert copies["respondent"] == copies["reporter"] == copies["panel"]


@override_settings(ORG_NAME=ORG_NAME)
def test_once_final_the_letter_gives_the_dates_the_sanctions_were_applied_with(org):
    decision = cb.decided(org, sanctions=("suspension", "bar_from_office"))
    decisions.finalize(decision=decision, by=cb.OPERATOR)
    decision.refresh_from_db()
    today = timezone.localdate()
    text = text_of(read_as(org, "ray", decision, "respondent"))
    applied = StatusChange.objects.get(person=org["ray"].person, status="suspended")
    assert applied.until is not None
    assert f"Suspended from membership for 90 days, from {day(today)} until {day(applied.until)}." in text
    assert f"Barred from office for 3 years, from {day(today)} until {day(decisions.years_after(today, 3))}." in text
    assert f"Removed from every seat held on a body of the organization, on {day(today)}." in text
    assert (
        f"The decision is final and has taken effect; it can no longer be appealed. It became final on {day(today)}."
        in text
    )
    assert f"The time to appeal ran until the end of {day(today + timedelta(days=14))}." in text
    assert "How to appeal" not in text
    assert "Sanctions take effect only when" not in text
    assert CODE.findall(text) == []


@override_settings(ORG_NAME=ORG_NAME)
def test_a_decision_on_appeal_names_the_appeals_body_people_and_the_original_says_what_became_of_it(org):
    original = cb.decided(org)
    case = original.case
    ray = org["ray"]
    appeal = decisions.appeal_lodge(
        case=case, grounds=["disproportionate_sanction"], statement="Too much.", key=ray.key, by=ray.user
    )
    decisions.appeal_record_send(appeal=appeal, by=org["dana"].user, key=org["dana"].key)
    replacement = decisions.appeal_decide(
        appeal=appeal,
        outcome=AppealOutcome.VARIED,
        rationale="A suspension is proportionate.",
        findings={1: "responsible", 2: "not_responsible"},
        sanctions=["suspension"],
        by=org["abe"].user,
    )
    original.refresh_from_db()
    today = timezone.localdate()

    text = text_of(read_as(org, "ray", replacement, "respondent"))
    assert f"Decision on appeal in case {case.reference}" in text
    for name in ("Abe Appeals", "Ada Appeals", "Ari Appeals"):
        assert f"{name}, appeals body member: Heard the appeal for the appeals body." in text
    assert "Dana Discipline" not in text
    assert "It is final: there is no further appeal." in text
    assert f"Suspended from membership for 90 days, from {day(today)} until {day(today + timedelta(days=90))}." in text
    assert CODE.findall(text) == []

    text = text_of(read_as(org, "ray", original, "respondent"))
    assert "The appeals body replaced this decision with its own; this one never took effect." in text
    assert f"The respondent appealed on {day(today)}, on these grounds: Disproportionate sanction." in text
    assert "The appeals body upheld the appeal and replaced the decision with its own, which is final." in text
    assert "Expelled from membership on the day the decision is final." in text
    assert CODE.findall(text) == []


def test_sanction_terms_say_every_length_in_words_and_a_sanction_without_terms_says_so():
    start = timezone.localdate()
    assert sanction_terms({"code": "warning", "label": "Written warning"}, starts_on=None) == [
        "It is on record; it changes neither membership nor seats."
    ]
    assert sanction_terms({"membership_status": "suspended", "suspension_days": 1}, starts_on=start) == [
        f"Suspended from membership for 1 day, from {day(start)} until {day(start + timedelta(days=1))}."
    ]
    assert sanction_terms({"membership_status": "suspended"}, starts_on=start) == [
        "Suspended from membership, with no end date."
    ]
    assert sanction_terms({"bars_from_office_years": 1}, starts_on=None) == [
        "Barred from office for 1 year from the day the decision is final."
    ]
    assert sanction_terms({"membership_status": "on_leave"}, starts_on=None) == [
        "Membership status becomes “on leave”."
    ]


@override_settings(ORG_NAME=ORG_NAME)
def test_the_letter_prints_as_a_pdf_whose_pages_carry_its_text(org):
    weasyprint = pytest.importorskip("weasyprint")
    decision = cb.decided(org, sanctions=("suspension",))
    case = decision.case
    response = signed_in(org["ray"].user, org["ray"].key).get(
        f"/cases/mine/{case.reference}/decision/{decision.pk}.pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert (
        f'filename="{case.reference}-decision-{timezone.localdate().isoformat()}.pdf"'
        in response["Content-Disposition"]
    )
    # WeasyPrint's own document: the text laid out on its pages, as the PDF prints it.
    document = weasyprint.HTML(string=read_as(org, "ray", decision, "respondent")).render()
    printed = " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, weasyprint.formatting_structure.boxes.TextBox)
    )
    for words in (
        ORG_NAME,
        "Ray Respondent",
        "Dev Discipline",
        "Suspended from membership for 90 days",
        "appeal until",
    ):
        assert words in printed
    assert CODE.findall(printed) == []
