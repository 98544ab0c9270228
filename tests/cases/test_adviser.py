"""A party's adviser: never the other side, the panel or anyone close to them; asked by email, and reading nothing of
the case (no key, no page, no list, no rule that counts them) before they accept; after accepting, reading what their
party reads; declining, stepping down or being removed takes it all back. The party finds them by typing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from rankfile.cases import casefiles, queries
from rankfile.cases import policy as case_policy
from rankfile.cases.actions import decisions, intake, investigations, panel, process
from rankfile.cases.models import Case, PanelRole, PanelStatus, Party, PartyRole, ReportPath
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.vault.models import KeyHolder, Keypair, WrappedKey
from tests.cases import casebuilders as cb
from tests.cases.builders import Member, member, seat
from tests.cases.helpers import signed_in
from tests.org.builders import enrolled
from tests.vault.helpers import PDF, key_for, upload

pytestmark = pytest.mark.django_db

REFUSAL = "This person cannot be your adviser in this case. Choose someone else."
NOTICE_TEXT = "Unwanted touching at the branch meeting of 3 March."


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def client_of(org: cb.Org, name: str) -> Client:
    return signed_in(org[name].user, org[name].key)


def party_page(case: Case) -> str:
    return f"/cases/mine/{case.reference}/"


def reporter_of(case: Case) -> Party:
    return case.parties.get(role=PartyRole.REPORTER)


def name(org: cb.Org, case: Case, *, by: str, adviser: str) -> Party:
    who = org[by]
    return panel.adviser_name(case=case, adviser=org[adviser].person, key=who.key, by=who.user)


def refused(org: cb.Org, case: Case, *, by: str, adviser: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        name(org, case, by=by, adviser=adviser)
    return caught.value


def accept(org: cb.Org, party: Party, who: str) -> Party:
    return panel.adviser_accept(party=party, key=org[who].key, by=org[who].user)


def has_any_key(who: Member) -> bool:
    return WrappedKey.objects.filter(keypair=who.key.keypair).exists()


def entries(action: str) -> list[dict]:
    return [json.loads(e.data) for e in Entry.objects.filter(action=action).order_by("seq")]


# --- who cannot be an adviser ----------------------------------------------------------------------------------------


def test_adviser_cannot_be_the_other_party(org):
    case = cb.noticed(org)
    error = refused(org, case, by="rae", adviser="ray")
    assert (error.code, str(error.message)) == ("cannot_advise", REFUSAL)
    error = refused(org, case, by="ray", adviser="rae")
    assert (error.code, str(error.message)) == ("cannot_advise", REFUSAL)
    assert not case.parties.filter(adviser__isnull=False).exists()
    assert entries("cases.adviser_named") == []


def test_a_party_cannot_be_their_own_adviser(org):
    case = cb.noticed(org)
    assert refused(org, case, by="rae", adviser="rae").code == "cannot_advise"


def test_adviser_cannot_be_on_the_panel_proposed_or_seated(org):
    case = cb.noticed(org)
    seat(org["olu"], case.body)  # a panel comes from the handling body alone
    proposed = panel.panelist_propose(
        case=case, person=org["olu"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert proposed.status == PanelStatus.PROPOSED
    for who in ("olu", "dev"):
        for party in ("rae", "ray"):
            assert str(refused(org, case, by=party, adviser=who).message) == REFUSAL


def test_adviser_cannot_be_one_of_the_appeals_bodys_people_hearing_the_appeal(org):
    decision = cb.decided(org)
    case = decision.case
    ray = org["ray"]
    decisions.appeal_lodge(case=case, grounds=["new_evidence"], statement="New.", key=ray.key, by=ray.user)
    hearing = case.panel.filter(role=PanelRole.APPEALS, status=PanelStatus.SEATED)
    assert hearing.exists()
    for member_ in hearing:
        who = next(k for k, v in org.base.people.items() if v.person == member_.person)
        assert str(refused(org, case, by="rae", adviser=who).message) == REFUSAL


def test_adviser_cannot_be_someone_a_reporter_named_as_conflicted(org):
    rae = org["rae"]
    report, _code, _key = intake.report_start(reporter=rae.user, path=ReportPath.FORMAL)
    intake.report_save(report=report, content=cb.WHAT, key=rae.key)
    intake.report_send(
        report=report,
        path=ReportPath.FORMAL,
        key=rae.key,
        respondent=org["ray"].person,
        named_conflicts=[org["lee"].person],
    )
    intake.report_acknowledge(report=report, by=org["dana"].user)
    case = cb.noticed(org, cb.seated(org, cb.opened(org, report)))
    assert str(refused(org, case, by="ray", adviser="lee").message) == REFUSAL


def test_adviser_cannot_be_an_official_a_process_investigation_of_the_case_examines(org):
    case = cb.noticed(org)
    investigations.investigation_open(by=org["olu"].user, officials=[org["lee"].person], examines=case)
    for party in ("rae", "ray"):
        assert str(refused(org, case, by=party, adviser="lee").message) == REFUSAL


def test_adviser_cannot_be_someone_handling_the_report(org):
    case = cb.noticed(org)
    assert case.reports.get().handlers.filter(person=org["dale"].person).exists()
    assert str(refused(org, case, by="ray", adviser="dale").message) == REFUSAL


def test_adviser_cannot_be_the_other_sides_adviser_asked_or_accepted(org):
    case = cb.noticed(org)
    asked = name(org, case, by="rae", adviser="one")
    assert str(refused(org, case, by="ray", adviser="one").message) == REFUSAL
    accept(org, asked, "one")
    assert str(refused(org, case, by="ray", adviser="one").message) == REFUSAL


def test_the_refusal_is_the_same_whatever_the_reason(org):
    case = cb.noticed(org)
    investigations.investigation_open(by=org["olu"].user, officials=[org["lee"].person], examines=case)
    name(org, case, by="rae", adviser="one")
    messages = {str(refused(org, case, by="ray", adviser=who).message) for who in ("rae", "dev", "lee", "dale", "one")}
    assert messages == {REFUSAL}


def test_only_the_party_themselves_names_their_adviser(org):
    case = cb.noticed(org)
    accept(org, name(org, case, by="rae", adviser="one"), "one")
    with pytest.raises(NotAllowed):
        name(org, case, by="one", adviser="two")
    with pytest.raises(NotAllowed):
        name(org, case, by="lee", adviser="two")


# --- before accepting, nothing --------------------------------------------------------------------------------------


def test_a_named_adviser_is_asked_by_email_with_no_case_content(org, django_capture_on_commit_callbacks):
    case = cb.noticed(org)
    with django_capture_on_commit_callbacks(execute=True):
        party = name(org, case, by="rae", adviser="one")
    [asked] = [m for m in mail.outbox if m.to == ["one@example.org"]]
    assert f"/cases/advise/{case.reference}/{party.pk}/" in asked.body
    for secret in ("Unwanted", "Ray", "Rae", "touching", "respondent"):
        assert secret not in asked.body
        assert secret not in asked.subject
    assert entries("cases.adviser_named") == [{"case": case.pk, "party": "reporter", "adviser": org["one"].person.pk}]


def test_a_named_adviser_reads_nothing_before_accepting(org):
    case = cb.investigating(org)
    rae, one = org["rae"], org["one"]
    statement = process.party_document_add(
        case=case, kind="evidence", title="Photo", upload=upload(PDF, "photo.pdf"), key=rae.key, by=rae.user
    )
    party = name(org, case, by="rae", adviser="one")
    # Added while the adviser has not answered: held for them too, and still not theirs.
    later = process.party_document_add(case=case, kind="statement", text="Later.", key=rae.key, by=rae.user)

    assert not has_any_key(one)  # no key of anything is given to them
    page = client_of(org, "one")
    assert page.get(party_page(case)).status_code == 404
    assert page.get(f"/cases/mine/{case.reference}/files/{statement.pk}/").status_code == 404
    assert page.get(f"/api/cases/{case.reference}").status_code == 404
    assert case.reference not in page.get("/cases/mine/").content.decode()
    # No rule counts them as the party's adviser.
    assert not queries.cases_as_party(user=one.user, key=one.key).exists()
    assert case_policy.party_of_login(case, one.user) is None
    assert case_policy.party_for_key(case, one.key) is None
    assert one.key.keypair not in casefiles.party_keys(case, PartyRole.REPORTER)
    assert one.person.pk not in case_policy.excluded_from(case)
    # What the party's side reads is held: for the hold, not for them.
    hold = Party.objects.get(pk=party.pk).adviser_hold
    assert hold is not None
    assert hold.holder == KeyHolder.HOLD
    for item in (statement, later, case.documents.get(kind="notice")):
        assert casefiles.reads(rae.key, item)
        assert WrappedKey.objects.filter(version__document=item.document, keypair=hold).exists()
    assert not Entry.objects.filter(action="cases.case_read", actor_id=one.person.pk).exists()


def test_the_invitation_page_explains_and_shows_nothing_of_the_case(org):
    case = cb.noticed(org)
    party = name(org, case, by="rae", adviser="one")
    url = f"/cases/advise/{case.reference}/{party.pk}/"
    page = client_of(org, "one").get(url).content.decode()
    assert "Rae Reporter, the reporter in this case, asked you to be their adviser." in page
    assert "I accept" in page
    assert "I decline" in page
    assert NOTICE_TEXT not in page
    assert "Ray Respondent" not in page
    for outsider in ("two", "ray", "rae", "dana"):
        assert client_of(org, outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


# --- after accepting, what the party reads ---------------------------------------------------------------------------


def test_after_accepting_the_adviser_reads_what_their_party_reads(org):
    case = cb.investigating(org)
    rae, one = org["rae"], org["one"]
    evidence = process.party_document_add(
        case=case, kind="evidence", title="Photo", upload=upload(PDF, "photo.pdf"), key=rae.key, by=rae.user
    )
    party = name(org, case, by="rae", adviser="one")
    process.party_document_add(case=case, kind="statement", text="Written while they decide.", key=rae.key, by=rae.user)

    page = client_of(org, "one")
    accepted = page.post(f"/cases/advise/{case.reference}/{party.pk}/", {"step": "accept"})
    assert accepted.status_code == 302
    assert accepted["Location"] == party_page(case)

    party.refresh_from_db()
    assert party.accepted_adviser == one.person
    assert party.adviser_hold is None
    assert not Keypair.objects.filter(holder=KeyHolder.HOLD, retired_at__isnull=True).exists()
    theirs = {item.pk for item in case.documents.all() if casefiles.reads(rae.key, item)}
    assert {item.pk for item in case.documents.all() if casefiles.reads(one.key, item)} == theirs
    html = page.get(party_page(case)).content.decode()
    assert NOTICE_TEXT in html
    assert "Written while they decide." in html
    assert "as their adviser" in html
    assert page.get(f"/cases/mine/{case.reference}/files/{evidence.pk}/").status_code == 200
    state = page.get(f"/api/cases/{case.reference}")
    assert (state.status_code, state.json()["as"]) == (200, "party")
    assert case.reference in page.get("/cases/mine/").content.decode()
    assert case_policy.party_of_login(case, one.user) is not None
    # What is added later reaches them directly, like their party; the other side's own material never does.
    later = process.party_document_add(case=case, kind="statement", text="Afterwards.", key=rae.key, by=rae.user)
    assert casefiles.reads(one.key, later)
    ray = org["ray"]
    theirs_only = process.party_document_add(case=case, kind="statement", text="Mine.", key=ray.key, by=ray.user)
    assert not casefiles.reads(one.key, theirs_only)
    [entry] = entries("cases.adviser_accepted")
    assert entry["adviser"] == one.person.pk
    assert entry["keys"] > 0


def test_accepting_checks_the_rules_again(org):
    case = cb.noticed(org)
    party = name(org, case, by="rae", adviser="olu")
    seat(org["olu"], case.body)  # a panel comes from the handling body alone
    panel.panelist_propose(case=case, person=org["olu"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    with pytest.raises(InvalidInput) as caught:
        accept(org, party, "olu")
    assert caught.value.code == "cannot_advise"
    party.refresh_from_db()
    assert party.adviser_accepted_at is None


def test_an_accepted_adviser_is_excluded_from_the_panel_and_one_who_was_only_asked_is_not(org):
    case = cb.noticed(org)
    name(org, case, by="rae", adviser="olu")
    accept(org, name(org, case, by="ray", adviser="oren"), "oren")
    for who in ("olu", "oren"):
        seat(org[who], case.body)  # a panel comes from the handling body alone
    asked = panel.panelist_propose(
        case=case, person=org["olu"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    advising = panel.panelist_propose(
        case=case, person=org["oren"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert asked.status == PanelStatus.PROPOSED
    assert (advising.status, advising.reason) == (PanelStatus.EXCLUDED, panel.PARTY)


# --- declining, stepping down, removal ------------------------------------------------------------------------------


def test_declining_gives_nothing_and_discards_what_was_held(org, django_capture_on_commit_callbacks):
    case = cb.noticed(org)
    party = name(org, case, by="rae", adviser="one")
    hold = party.adviser_hold
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(org, "one").post(f"/cases/advise/{case.reference}/{party.pk}/", {"step": "decline"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert (party.adviser, party.adviser_hold) == (None, None)
    assert not WrappedKey.objects.filter(keypair=hold).exists()
    assert not has_any_key(org["one"])
    assert entries("cases.adviser_declined") == [
        {"case": case.pk, "party": "reporter", "adviser": org["one"].person.pk, "accepted": False, "keys_taken": 1}
    ]
    [told] = [m for m in mail.outbox if m.to == ["rae@example.org"]]
    assert "declined" in told.subject
    assert client_of(org, "one").get(f"/cases/advise/{case.reference}/{party.pk}/").status_code == 404


def test_removal_by_the_party_takes_the_keys_back(org):
    case = cb.noticed(org)
    party = accept(org, name(org, case, by="rae", adviser="one"), "one")
    assert has_any_key(org["one"])
    response = client_of(org, "rae").post(party_page(case), {"step": "adviser_remove"})
    assert response.status_code == 302, response.content.decode()
    party.refresh_from_db()
    assert party.adviser is None
    assert not has_any_key(org["one"])
    assert client_of(org, "one").get(party_page(case)).status_code == 404
    [entry] = entries("cases.adviser_removed")
    assert entry["accepted"] is True
    assert entry["keys_taken"] > 0


def test_an_adviser_who_steps_down_loses_the_case_at_once(org):
    case = cb.noticed(org)
    party = accept(org, name(org, case, by="ray", adviser="two"), "two")
    assert client_of(org, "two").get(party_page(case)).status_code == 200
    panel.adviser_decline(party=party, by=org["two"].user)
    assert not has_any_key(org["two"])
    assert client_of(org, "two").get(party_page(case)).status_code == 404
    assert entries("cases.adviser_declined")[0]["accepted"] is True


def test_naming_someone_else_takes_the_first_advisers_keys_back(org):
    case = cb.noticed(org)
    accept(org, name(org, case, by="rae", adviser="one"), "one")
    name(org, case, by="rae", adviser="two")
    assert not has_any_key(org["one"])
    assert not has_any_key(org["two"])
    assert [e["adviser"] for e in entries("cases.adviser_removed")] == [org["one"].person.pk]


# --- the picker: typing a name or an email address -------------------------------------------------------------------


def many_members(count: int) -> list[Member]:
    return [member(f"Ma{n:02d} Searchable", mfa=False) for n in range(count)]


def test_the_adviser_search_offers_at_most_twenty_and_never_those_who_cannot_advise(org):
    case = cb.noticed(org)
    many_members(25)
    rae = client_of(org, "rae")
    url = f"/cases/mine/{case.reference}/advisers/"
    found = rae.get(url, {"adviser-adviser": "Searchable"}, headers={"HX-Request": "true"}).content.decode()
    assert found.count("<option") == 20
    assert 'id="adviser-matches"' in found
    for text in ("Ray", "Rae", "Discipline", "Respondent"):
        assert "<option" not in rae.get(url, {"adviser-adviser": text}).content.decode()
    assert "Olu Oversight" in rae.get(url, {"adviser-adviser": "Oversight"}).content.decode()
    assert "<option" not in rae.get(url, {"adviser-adviser": "O"}).content.decode()  # two characters at least
    # Only the party themselves may search, and nobody else finds the address.
    accept(org, name(org, case, by="rae", adviser="one"), "one")
    for outsider in ("one", "lee"):
        assert client_of(org, outsider).get(url, {"adviser-adviser": "Searchable"}).status_code == 404


def test_a_party_names_an_adviser_by_typing_a_name_or_an_email_without_javascript(org):
    case = cb.noticed(org)
    many_members(3)
    rae = client_of(org, "rae")
    page = rae.get(party_page(case)).content.decode()
    assert 'list="adviser-matches"' in page
    assert '<label for="id_adviser-adviser">Your adviser' in page

    partly = rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "Searchable"})
    assert partly.status_code == 400
    html = partly.content.decode()
    assert "Nobody here has this name or email address." in html
    assert html.count('<option value="Ma0') == 3  # the suggestions, rendered without JavaScript
    assert "Ma00 Searchable" in html

    other = rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "Ray Respondent"})
    assert other.status_code == 400
    assert REFUSAL in other.content.decode()

    by_email = rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "TWO@example.org"})
    assert by_email.status_code == 302
    assert reporter_of(case).adviser == org["two"].person
    by_name = rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "one delegate"})
    assert by_name.status_code == 302
    assert reporter_of(case).adviser == org["one"].person
    html = rae.get(party_page(case)).content.decode()
    assert "You asked One Delegate to be your adviser." in html
    assert "asked; has not accepted yet" in html


def test_a_name_two_members_share_asks_for_the_email_address(org):
    case = cb.noticed(org)
    for address in ("kim.a@example.org", "kim.b@example.org"):
        user = get_user_model().objects.create_user(email=address, password=None, name="Kim Twin")
        enrolled("Kim Twin", email=address, user=user)
        key_for(user)
    rae = client_of(org, "rae")
    shared = rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "Kim Twin"})
    assert shared.status_code == 400
    assert "Several members have this name" in shared.content.decode()
    assert rae.post(party_page(case), {"step": "adviser", "adviser-adviser": "kim.b@example.org"}).status_code == 302
    chosen = reporter_of(case).adviser
    assert chosen is not None
    assert chosen.email == "kim.b@example.org"


def test_the_home_page_shows_an_invitation_to_answer(org):
    case = cb.noticed(org)
    party = name(org, case, by="rae", adviser="one")
    home = client_of(org, "one").get("/").content.decode()
    assert f"/cases/advise/{case.reference}/{party.pk}/" in home
    accept(org, party, "one")
    assert f"/cases/advise/{case.reference}/{party.pk}/" not in client_of(org, "one").get("/").content.decode()
