"""Every code of the cases app has words in one mapping (rankfile.cases.meanings), and the case pages show the words:
never a reason code, an outcome code or a standard of proof as it is stored."""

import pytest

from rankfile.cases import meanings
from rankfile.cases.actions import closing, decisions, informal, interim, panel, process
from rankfile.cases.models import AppealGround, AppealOutcome, DecisionStatus, FindingOutcome, PanelRole
from rankfile.cases.workspace_forms import NOTICE_REASON_LABELS
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import eligibility
from tests.cases import casebuilders as cb
from tests.cases.builders import member, seat
from tests.cases.helpers import signed_in

EXCLUSIONS = (
    panel.PARTY,
    panel.NAMED_BY_REPORTER,
    panel.RESTRICTED,
    panel.SHARED_BODY,
    panel.SUBJECT_OF_PROCESS,
    panel.SAT_ON_PANEL,
    panel.NOT_ON_THE_BODY,
    panel.NO_ACCOUNT,
    panel.DECLARED,
    panel.CHALLENGE_UPHELD,
    panel.STEPPED_DOWN,
    panel.NO_MFA,
)


def test_every_code_the_cases_app_writes_has_a_label_and_a_sentence():
    codes = {
        "finding": FindingOutcome.values,
        "appeal_ground": AppealGround.values,
        "appeal_outcome": AppealOutcome.values,
        "decision_status": DecisionStatus.values,
        "panel_role": PanelRole.values,
        "panel_exclusion": EXCLUSIONS,
        "standard_of_proof": decisions.STANDARDS,
        "interim_reason": tuple(interim.REASONS),
        "notice_delay": process.NOTICE_REASONS,
        "proceed_reason": tuple(closing.PROCEED_REASONS),
        "close_reason": ("withdrawn", informal.FULFILLED),
        "track_change": (informal.CONSENT_WITHDRAWN_REASON, informal.BREACHED),
    }
    assert set(codes) == set(meanings.MEANINGS)
    for kind, listed in codes.items():
        assert set(listed) == set(meanings.MEANINGS[kind]), kind
        for code in listed:
            words = meanings.meaning(kind, code)
            assert words is not meanings.NOT_LISTED
            assert "_" not in str(words.label) + str(words.sentence)
            assert str(words.sentence)[0].isupper()
            assert str(words.sentence).endswith(".")


def test_the_actions_accept_exactly_the_codes_the_mapping_has_words_for():
    assert meanings.labels("interim_reason") == interim.REASONS
    assert meanings.labels("panel_exclusion") == panel.REASONS
    assert meanings.labels("proceed_reason") == closing.PROCEED_REASONS
    assert meanings.labels("notice_delay") == NOTICE_REASON_LABELS
    assert decisions.STANDARDS == ("preponderance", "clear_and_convincing")


def test_a_code_without_words_reads_as_not_listed_and_never_as_itself():
    assert meanings.label("interim_reason", "made_up_reason") == "a reason not on the list"
    assert meanings.sentence("finding", "made_up_outcome") == "The reason is not on the list."


@pytest.mark.django_db
def test_a_party_reads_the_standard_of_proof_of_the_notice_in_plain_words():
    org = cb.full_organization()
    case = cb.noticed(org)
    html = signed_in(org["ray"].user, org["ray"].key).get(f"/cases/mine/{case.reference}/").content.decode()
    # Under the notice, a labelled sentence: never a label hanging by itself.
    assert "Standard of proof: more likely than not. An allegation is proved when the panel finds it more" in html
    assert "(the standard of proof)" not in html
    assert "preponderance" not in html


@pytest.mark.django_db
def test_someone_left_off_an_appeal_for_want_of_a_second_factor_is_listed_with_the_reason_in_words():
    org = cb.full_organization()
    amy = member("Amy Appeals", mfa=False)
    seat(amy, org.appeals)
    decision = cb.decided(org)
    case = decision.case
    ray = org["ray"]
    decisions.appeal_lodge(case=case, grounds=["new_evidence"], statement="New.", key=ray.key, by=ray.user)
    assert case.panel.get(person=amy.person).reason == panel.NO_MFA
    html = signed_in(org["dev"].user, org["dev"].key).get(f"/cases/case/{case.reference}/").content.decode()
    assert "Amy Appeals" in html
    assert "has not set up a second step for signing in" in html
    assert "no_mfa" not in html


@pytest.mark.django_db
def test_the_overrides_page_says_what_an_eligibility_override_overrode_in_words():
    org = cb.full_organization()
    org_actions.eligibility_override_record(
        person=org["two"].person,
        body=org.steering,
        reason_code=eligibility.TERM_LIMIT,
        meeting_reference="Steering committee, May",
        vote_reference="SC-2026-M1",
        by=OPERATOR,
    )
    html = signed_in(org["one"].user).get("/decisions/overrides/").content.decode()
    assert "They have reached the term limit for this body." in html
    assert eligibility.TERM_LIMIT not in html
