"""Every code of the cases app in plain words, in one mapping: what a page, a letter or an email says for a code.

Codes are for the ledger and the database (``risk_to_reporter``, ``not_responsible``); a person reads words, never
the code. Each code has two: a ``label`` that fits into a sentence, a list or a choice ("a risk to the reporter"),
and a ``sentence`` that stands on its own ("There is a risk to the reporter."). The actions take their lists of
codes from here, so a code cannot be added without its words; ``tests/cases/test_meanings.py`` checks that every code
the cases app writes has them. A code nobody wrote words for (an old row) reads as a plain "not on the list".
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rankfile.cases.models import AppealGround, AppealOutcome, DecisionStatus, FindingOutcome, PanelRole


@dataclass(frozen=True)
class Meaning:
    label: str | Promise
    sentence: str | Promise


MEANINGS: dict[str, dict[str, Meaning]] = {
    # How sure the panel must be before it finds an allegation proved.
    "standard_of_proof": {
        "preponderance": Meaning(
            _("more likely than not"),
            _("An allegation is proved when the panel finds it more likely to be true than not."),
        ),
        "clear_and_convincing": Meaning(
            _("clear and convincing evidence"),
            _("An allegation is proved only when the panel finds it highly probable that it is true."),
        ),
    },
    # The outcome of one allegation.
    "finding": {
        FindingOutcome.RESPONSIBLE: Meaning(
            FindingOutcome.RESPONSIBLE.label,
            _("The panel found this allegation proved to the standard of proof."),
        ),
        FindingOutcome.NOT_RESPONSIBLE: Meaning(
            FindingOutcome.NOT_RESPONSIBLE.label,
            _(
                "The panel did not find this allegation proved to the standard of proof; the respondent is presumed "
                "not responsible."
            ),
        ),
    },
    # Where a decision stands.
    "decision_status": {
        DecisionStatus.ISSUED: Meaning(
            DecisionStatus.ISSUED.label,
            _("The decision is issued and open to appeal: it takes effect only once it is final."),
        ),
        DecisionStatus.UNDER_APPEAL: Meaning(
            DecisionStatus.UNDER_APPEAL.label,
            _("An appeal was lodged: the decision takes effect only if the appeals body lets it stand."),
        ),
        DecisionStatus.FINAL: Meaning(
            DecisionStatus.FINAL.label,
            _("The decision is final and has taken effect; it can no longer be appealed."),
        ),
        DecisionStatus.REPLACED: Meaning(
            DecisionStatus.REPLACED.label,
            _("The appeals body replaced this decision with its own; this one never took effect."),
        ),
    },
    # The grounds on which an appeal is heard.
    "appeal_ground": {
        AppealGround.PROCEDURAL_IRREGULARITY: Meaning(
            AppealGround.PROCEDURAL_IRREGULARITY.label,
            _("The process was not followed, in a way that could have changed the decision."),
        ),
        AppealGround.NEW_EVIDENCE: Meaning(
            AppealGround.NEW_EVIDENCE.label,
            _("There is evidence that could not be given at the time and could have changed the decision."),
        ),
        AppealGround.CONFLICT_OR_BIAS: Meaning(
            AppealGround.CONFLICT_OR_BIAS.label,
            _("Someone who investigated or decided had a conflict of interest, or was biased."),
        ),
        AppealGround.DISPROPORTIONATE_SANCTION: Meaning(
            AppealGround.DISPROPORTIONATE_SANCTION.label,
            _("The sanctions are out of proportion to what the panel found."),
        ),
    },
    # What the appeals body decided.
    "appeal_outcome": {
        AppealOutcome.DISMISSED: Meaning(
            AppealOutcome.DISMISSED.label,
            _("The appeals body dismissed the appeal: the decision stands, and it is final."),
        ),
        AppealOutcome.VARIED: Meaning(
            AppealOutcome.VARIED.label,
            _("The appeals body upheld the appeal and replaced the decision with its own, which is final."),
        ),
    },
    # What each person on a panel does.
    "panel_role": {
        PanelRole.INVESTIGATOR: Meaning(
            PanelRole.INVESTIGATOR.label,
            _("Gathered the statements and the evidence and wrote the investigation report; does not decide."),
        ),
        PanelRole.DECISION_MAKER: Meaning(
            PanelRole.DECISION_MAKER.label,
            _("Found on each allegation and chose the sanctions."),
        ),
        PanelRole.APPEALS: Meaning(PanelRole.APPEALS.label, _("Heard the appeal for the appeals body.")),
    },
    # Why someone is not, or no longer, on a case's panel (or hearing its appeal). No detail of the case.
    "panel_exclusion": {
        "party": Meaning(_("a party or a party's adviser"), _("They are a party to the case or a party's adviser.")),
        "named_by_reporter": Meaning(
            _("named by a reporter"), _("A reporter named them as someone who should not handle the report.")
        ),
        "restricted": Meaning(_("under a restriction"), _("They are under a restriction.")),
        "shared_body": Meaning(
            _("sat on a body with the respondent within the lookback period"),
            _("They sat on a body with the respondent within the years the bylaws look back."),
        ),
        "subject_of_process": Meaning(
            _("an official whose conduct a process investigation examines"),
            _("A process investigation examines their conduct as an official."),
        ),
        "sat_on_panel": Meaning(
            _("was on this case's panel"), _("They were on this case's panel, so they cannot hear its appeal.")
        ),
        "not_on_the_body": Meaning(
            _("not on the handling, appeals or oversight body"),
            _("They do not sit on the body handling the case, the appeals body or the oversight body."),
        ),
        "no_account": Meaning(
            _("has no account to read the case with"), _("They have no account to read the case with.")
        ),
        "no_mfa": Meaning(
            _("has not set up a second step for signing in"),
            _("They have not set up a second step for signing in, which everyone handling a case needs."),
        ),
        "declared_conflict": Meaning(_("declared a conflict"), _("They declared a conflict of interest.")),
        "challenge_upheld": Meaning(
            _("a challenge was upheld"), _("A party challenged them, and the rest of the panel agreed.")
        ),
        "stepped_down": Meaning(_("stepped down"), _("They stepped down from the panel.")),
    },
    # Why an interim measure is needed (the reasons in words are sealed).
    "interim_reason": {
        "risk_to_reporter": Meaning(_("a risk to the reporter"), _("There is a risk to the reporter.")),
        "risk_to_others": Meaning(_("a risk to other members"), _("There is a risk to other members.")),
        "integrity_of_process": Meaning(
            _("to protect the integrity of the process"), _("It protects the integrity of the process.")
        ),
        "seriousness_of_allegations": Meaning(
            _("the seriousness of the allegations"), _("The allegations are serious.")
        ),
        "process_investigation": Meaning(
            _("an investigation of how the official handled a case"),
            _("A process investigation examines how the official handled a case."),
        ),
    },
    # Why the notice to the respondent is held back.
    "notice_delay": {
        "retaliation_risk": Meaning(
            _("Risk of retaliation against the reporter"),
            _("The notice is held back because the reporter could face retaliation."),
        ),
        "safety_of_reporter": Meaning(
            _("The reporter's safety"), _("The notice is held back for the reporter's safety.")
        ),
        "evidence_at_risk": Meaning(
            _("Evidence at risk"), _("The notice is held back because evidence could be lost or changed.")
        ),
    },
    # Why the body goes on after the reporter withdrew.
    "proceed_reason": {
        "others_at_risk": Meaning(_("others are at risk"), _("The body goes on because others are at risk.")),
        "pattern_of_conduct": Meaning(
            _("other reports show a pattern of conduct"),
            _("The body goes on because other reports show a pattern of conduct."),
        ),
        "holds_office": Meaning(
            _("the respondent holds an office of trust"),
            _("The body goes on because the respondent holds an office of trust."),
        ),
    },
    # Why a case closed without a decision.
    "close_reason": {
        "withdrawn": Meaning(
            _("the report was withdrawn"), _("The reporter withdrew, and the body decided not to go on.")
        ),
        "agreement_fulfilled": Meaning(
            _("the informal agreement was fulfilled"), _("Everything the informal agreement asked for was done.")
        ),
    },
    # Why a case left the informal track for the formal one.
    "track_change": {
        "consent_withdrawn": Meaning(
            _("a party withdrew their consent"),
            _("A party withdrew their consent to the informal track; the case goes on formally."),
        ),
        "obligation_breached": Meaning(
            _("an obligation of the agreement was not kept"),
            _("An obligation of the informal agreement was not kept; the case goes on formally."),
        ),
    },
}
NOT_LISTED = Meaning(_("a reason not on the list"), _("The reason is not on the list."))


def meaning(kind: str, code: str) -> Meaning:
    """The words for ``code`` among the codes of ``kind`` (a key of MEANINGS); never the code itself."""
    return MEANINGS[kind].get(code, NOT_LISTED)


def label(kind: str, code: str) -> str:
    return str(meaning(kind, code).label)


def sentence(kind: str, code: str) -> str:
    return str(meaning(kind, code).sentence)


def labels(kind: str) -> dict[str, str | Promise]:
    """The codes of ``kind`` and their labels: the choices of a form, and the codes an action accepts."""
    return {code: words.label for code, words in MEANINGS[kind].items()}
