"""Seating a panel: conflicts excluded before anyone reads anything; keys only to the seated; a recusal takes them
back at once; the investigator never decides; nobody without a second factor is seated."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from rankfile.cases import casefiles, queries
from rankfile.cases.actions import panel, process
from rankfile.cases.actions.intake import report_content
from rankfile.cases.models import PanelRole, PanelStatus, Stage
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from tests.cases import casebuilders as cb
from tests.cases.builders import member, seat

pytestmark = pytest.mark.django_db


def _reads_report(case, who) -> bool:
    return casefiles.reads_report(case.reports.get(), who.key)


def test_invariant_7_a_panelist_who_shared_a_body_with_the_respondent_is_excluded_before_seeing_anything():
    org = cb.full_organization()
    seat(org["ray"], org.steering)
    seat(org["dora"], org.steering)  # Dora sat on the steering committee with the respondent
    case = cb.opened(org)
    excluded = panel.panelist_propose(
        case=case, person=org["dora"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert excluded.status == PanelStatus.EXCLUDED
    assert excluded.reason == panel.SHARED_BODY
    entry = Entry.objects.get(action="cases.panelist_excluded")
    assert json.loads(entry.data) == {
        "case": case.pk,
        "member": excluded.pk,
        "person": org["dora"].person.pk,
        "reason": "shared_body",
    }
    # She cannot declare her way back in, and the seating never gives her anything.
    with pytest.raises(InvalidInput):
        panel.conflict_declare(member=excluded, conflict=False, by=org["dora"].user)
    cb.proposed_and_declared(
        org, case, {"dana": PanelRole.INVESTIGATOR, "dev": PanelRole.DECISION_MAKER, "dale": PanelRole.DECISION_MAKER}
    )
    panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    assert not _reads_report(case, org["dora"])
    assert _reads_report(case, org["dale"])
    assert _reads_report(case, org["dev"])


def test_invariant_7_the_parties_and_people_the_reporter_named_are_excluded():
    org = cb.full_organization()
    case = cb.opened(org)
    report = case.reports.get()
    report.named_conflicts.create(person=org["dale"].person)
    for who, reason in (("ray", panel.PARTY), ("rae", panel.PARTY), ("dale", panel.NAMED_BY_REPORTER)):
        placed = panel.panelist_propose(
            case=case, person=org[who].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
        )
        assert (placed.status, placed.reason) == (PanelStatus.EXCLUDED, reason)


def test_invariant_7_a_recusal_revokes_access_at_once():
    org = cb.full_organization()
    case = cb.noticed(org)
    notice = case.documents.get(kind="notice")
    dora = org["dora"]
    assert casefiles.reads(dora.key, notice)
    assert _reads_report(case, dora)
    casefiles.open_text(item=notice, key=dora.key, actor=dora.user, capacity="panel")
    placed = case.panel.get(person=dora.person)
    panel.panelist_recuse(member=placed, by=dora.user)
    assert not casefiles.reads(dora.key, notice)
    assert not _reads_report(case, dora)
    with pytest.raises(NotAllowed):
        casefiles.open_text(item=notice, key=dora.key, actor=dora.user, capacity="panel")
    with pytest.raises(NotAllowed):
        report_content(report=case.reports.get(), key=dora.key, actor=dora.user, capacity="handler")
    entry = json.loads(Entry.objects.get(action="cases.panelist_recused").data)
    assert entry["keys_taken"] > 0
    assert entry["short"] is True


def test_an_upheld_challenge_removes_the_panelist_and_the_challenged_one_does_not_decide_it():
    org = cb.full_organization()
    case = cb.noticed(org)
    dev = case.panel.get(person=org["dev"].person)
    challenge = panel.panelist_challenge(
        case=case, member=dev, grounds="He is my manager at work.", key=org["ray"].key, by=org["ray"].user
    )
    with pytest.raises(InvalidInput) as own:
        panel.challenge_decide(challenge=challenge, upheld=False, by=org["dev"].user)
    assert own.value.code == "own_challenge"
    with pytest.raises(NotAllowed):  # someone off the panel (a leader) has no say
        panel.challenge_decide(challenge=challenge, upheld=False, by=org["lee"].user)
    panel.challenge_decide(challenge=challenge, upheld=True, by=org["dora"].user)
    dev.refresh_from_db()
    assert (dev.status, dev.reason) == (PanelStatus.RECUSED, panel.CHALLENGE_UPHELD)
    assert not _reads_report(case, org["dev"])


def test_the_investigator_and_the_decision_maker_cannot_be_the_same_person():
    org = cb.full_organization()
    case = cb.opened(org)
    panel.panelist_propose(case=case, person=org["dana"].person, role=PanelRole.INVESTIGATOR, by=org["dana"].user)
    with pytest.raises(InvalidInput) as twice:
        panel.panelist_propose(case=case, person=org["dana"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    assert twice.value.code == "one_place"
    assert "one place" in str(twice.value)
    # And the investigator cannot issue the decision.
    decided_case = cb.for_decision(org)
    with pytest.raises(InvalidInput) as wrong:
        cb.decisions.decision_issue(
            case=decided_case,
            findings={1: "responsible", 2: "responsible"},
            rationale="r",
            sanctions=[],
            by=org["dana"].user,
        )
    assert wrong.value.code == "wrong_panel_role"


def test_a_panel_needs_both_roles_and_the_bylaws_size():
    org = cb.full_organization()
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, {"dana": PanelRole.DECISION_MAKER, "dev": PanelRole.DECISION_MAKER})
    with pytest.raises(InvalidInput) as small:
        panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    assert small.value.code == "panel_too_small"
    cb.proposed_and_declared(org, case, {"dora": PanelRole.DECISION_MAKER})
    with pytest.raises(InvalidInput) as roles:
        panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    assert roles.value.code == "panel_roles"
    case.refresh_from_db()
    assert case.stage == Stage.PANEL
    assert not case.panel.filter(status=PanelStatus.SEATED).exists()


def test_nobody_without_a_second_factor_is_seated():
    org = cb.full_organization()
    case = cb.opened(org)
    cb.proposed_and_declared(org, case, cb.STANDARD_PANEL)
    Authenticator.objects.filter(user=org["dora"].user).delete()
    with pytest.raises(InvalidInput) as refused:
        panel.panel_seat(case=case, by=org["dana"].user, key=org["dana"].key)
    assert refused.value.code == "no_mfa"
    assert not case.panel.filter(status=PanelStatus.SEATED).exists()


def test_the_oversight_body_which_reviews_the_panel_never_sits_on_it_and_leaders_cannot_propose():
    org = cb.full_organization()
    case = cb.opened(org)
    candidates = set(queries.panel_candidates(case=case, day=timezone.localdate()))
    assert org["dev"].person in candidates
    assert not candidates & {org[name].person for name in ("olu", "oren", "oona")}
    olu = panel.panelist_propose(
        case=case, person=org["olu"].person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert olu.status == PanelStatus.EXCLUDED
    assert olu.reason == panel.NOT_ON_THE_BODY
    outsider = member("Otto Outsider")
    placed = panel.panelist_propose(
        case=case, person=outsider.person, role=PanelRole.DECISION_MAKER, by=org["dana"].user
    )
    assert placed.reason == panel.NOT_ON_THE_BODY
    with pytest.raises(NotAllowed):
        panel.panelist_propose(case=case, person=org["dev"].person, role=PanelRole.INVESTIGATOR, by=org["lee"].user)


def test_only_the_panel_reads_the_case_and_every_read_is_on_the_ledger():
    org = cb.full_organization()
    case = cb.noticed(org)
    notice = case.documents.get(kind="notice")
    for outsider in ("lee", "dale", "olu", "abe"):
        assert not casefiles.reads(org[outsider].key, notice)
    before = Entry.objects.filter(action="cases.case_read").count()
    text = casefiles.open_text(item=notice, key=org["ray"].key, actor=org["ray"].user, capacity="respondent")
    assert "Code of conduct 2.1" in text
    assert Entry.objects.filter(action="cases.case_read").count() == before + 1


def test_a_second_report_about_the_same_respondent_joins_the_case_and_reaches_the_panel():
    org = cb.full_organization()
    case = cb.noticed(org)
    second = cb.formal_report(org, reporter="lee")  # another member reports the same respondent
    other = cb.formal_report(org, reporter="lee", respondent="rae")
    with pytest.raises(InvalidInput) as someone_else:
        panel.case_report_join(case=case, report=other, by=org["dana"].user, key=org["dana"].key)
    assert someone_else.value.code == "other_respondent"
    panel.case_report_join(case=case, report=second, by=org["dana"].user, key=org["dana"].key)
    assert case.reports.count() == 2
    assert case.parties.filter(role="reporter").count() == 2
    for seated in ("dev", "dora"):
        assert casefiles.reads_report(second, org[seated].key)
    assert not casefiles.reads_report(second, org["rae"].key)  # the first reporter does not read the second's


def test_one_reporter_does_not_read_what_another_reporter_gave_the_panel():
    org = cb.full_organization()
    case = cb.investigating(org)
    second = cb.formal_report(org, reporter="lee")
    panel.case_report_join(case=case, report=second, by=org["dana"].user, key=org["dana"].key)
    mine = process.party_document_add(
        case=case, kind="statement", text="What I saw.", key=org["lee"].key, by=org["lee"].user
    )
    assert casefiles.reads(org["lee"].key, mine)
    assert casefiles.reads(org["dev"].key, mine)
    assert not casefiles.reads(org["rae"].key, mine)
    assert not casefiles.reads(org["ray"].key, mine)
