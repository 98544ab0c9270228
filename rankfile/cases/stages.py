"""Every step of a case in one table: its one name (the same on the pages and in the API), who takes it, the stages
at which it is open, the rule of ``cases/policy.py`` that decides who may take it, and what its button says.

The pages show a step's form only where the table opens it, the API lists the same names as what comes next, and
each action refuses a step the table does not open at the case's stage (``require_open``). Further conditions that
depend on the case's own records (a draft notice to agree to, a pending challenge) are the actions' and the pages'.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rankfile.cases.models import Case, Stage
from rankfile.errors import InvalidInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Who takes a step: the people running the case (its panel, or before seating the handling body's people who are
# not excluded), a party (or their accepted adviser), the appeals body's people hearing the appeal, or the body the
# bylaws empower to override a final decision.
PANEL = "panel"
PARTY = "party"
APPEALS = "appeals"
EMPOWERED = "empowered"

OPEN = tuple(s for s in Stage.values if s not in (Stage.FINAL, Stage.CLOSED))
SEATED = tuple(s for s in OPEN if s != Stage.PANEL)
WORK = (Stage.INVESTIGATION, Stage.EVIDENCE_REVIEW, Stage.REPORT)
# Seated, and no decision issued yet (an informal agreement is no decision): once the decision is out, its own
# sanctions, or its appeal, take the place of a new restriction.
BEFORE_DECISION = tuple(s for s in SEATED if s not in (Stage.APPEAL_WINDOW, Stage.APPEAL))


@dataclass(frozen=True)
class Step:
    name: str
    by: str  # PANEL, PARTY, APPEALS or EMPOWERED
    stages: tuple[str, ...]
    rule: str  # the permission of cases/policy.py that may take it
    label: "StrOrPromise"
    form: str = ""  # the page's form for it, when its key is not the step's name
    before_seating: bool = False  # open to the handling body's people while no panel is seated
    api: bool = False  # also a step of the JSON API
    also_by: tuple[str, ...] = ()  # the same action, offered on another page too

    def __post_init__(self) -> None:
        if not self.form:
            object.__setattr__(self, "form", self.name)


STEPS: tuple[Step, ...] = (
    # The panel (and, before it is seated, the handling body's people who are not excluded).
    Step("propose", PANEL, OPEN, "cases.run_case", _("Propose a panelist"), before_seating=True),
    Step("seat", PANEL, OPEN, "cases.run_case", _("Seat the panel"), before_seating=True, api=True),
    Step("notice_draft", PANEL, (Stage.NOTICE,), "cases.sit_on_case", _("Draft the notice"), "notice", api=True),
    Step("notice_give", PANEL, (Stage.NOTICE,), "cases.sit_on_case", _("Give the notice"), api=True),
    Step("notice_delay", PANEL, (Stage.NOTICE,), "cases.sit_on_case", _("Hold the notice back"), "delay", api=True),
    Step("document", PANEL, WORK, "cases.sit_on_case", _("Add a document")),
    Step("redaction", PANEL, WORK, "cases.sit_on_case", _("Add a redacted copy")),
    Step(
        "review_open",
        PANEL,
        (Stage.INVESTIGATION,),
        "cases.sit_on_case",
        _("Share with both parties"),
        "review",
        api=True,
    ),
    Step("investigation_report", PANEL, (Stage.REPORT,), "cases.investigate", _("File the report"), "report", api=True),
    Step("decision_agree", PANEL, (Stage.DECISION,), "cases.decide", _("Agree to this decision"), api=True),
    Step("decision", PANEL, (Stage.DECISION,), "cases.decide", _("Issue the decision"), api=True),
    Step("appeal_record_send", PANEL, (Stage.APPEAL,), "cases.sit_on_case", _("Send the record"), api=True),
    Step(
        "challenge_decide",
        PANEL,
        OPEN,
        "cases.sit_on_case",
        _("Decide the challenge"),
        "challenge",
        also_by=(APPEALS,),
    ),
    Step("recuse", PANEL, OPEN, "cases.sit_on_case", _("Step down from this case")),
    Step("agreement", PANEL, (Stage.AGREEMENT,), "cases.sit_on_case", _("Record the agreement")),
    Step("obligation", PANEL, (Stage.AGREEMENT,), "cases.sit_on_case", _("Settle the obligation")),
    Step("interim", PANEL, BEFORE_DECISION, "cases.sit_on_case", _("Impose an interim measure")),
    Step("interim_review", PANEL, OPEN, "cases.run_case", _("Review the measure"), before_seating=True),
    Step("interim_lift", PANEL, OPEN, "cases.run_case", _("Lift the measure"), before_seating=True),
    Step("withdrawal", PANEL, OPEN, "cases.run_case", _("Record the decision"), before_seating=True),
    Step("join", PANEL, OPEN, "cases.run_case", _("Join the report"), before_seating=True),
    Step("scope", PANEL, OPEN, "cases.run_case", _("Name the officials"), before_seating=True),
    Step("suspend", PANEL, OPEN, "cases.run_case", _("Suspend from leadership"), before_seating=True),
    # The parties (and their accepted advisers, where the step is not the party's own choice).
    Step("informal_consent", PARTY, (Stage.PANEL, Stage.AGREEMENT), "cases.act_as_party", _("I agree")),
    Step("informal_decline", PARTY, OPEN, "cases.act_as_party", _("Go on as a formal case")),
    Step("notice_agree", PARTY, (Stage.NOTICE,), "cases.act_as_party", _("I agree to this notice"), api=True),
    Step("respond", PARTY, (Stage.RESPONSE,), "cases.act_as_party", _("Send my response"), "response", api=True),
    Step(
        "party_document",
        PARTY,
        (Stage.RESPONSE, Stage.INVESTIGATION, Stage.EVIDENCE_REVIEW),
        "cases.act_as_party",
        _("Add it"),
        "document",
    ),
    Step("redaction_agree", PARTY, OPEN, "cases.act_as_party", _("I agree to this redaction")),
    Step(
        "review_finish",
        PARTY,
        (Stage.EVIDENCE_REVIEW,),
        "cases.act_as_party",
        _("I have finished reviewing the evidence"),
        api=True,
    ),
    Step("adviser", PARTY, OPEN, "cases.act_as_party", _("Ask them")),
    Step("adviser_remove", PARTY, OPEN, "cases.act_as_party", _("Remove my adviser")),
    Step("challenge", PARTY, OPEN, "cases.act_as_party", _("Send my challenge")),
    Step("appeal", PARTY, (Stage.APPEAL_WINDOW,), "cases.act_as_party", _("Lodge my appeal"), api=True),
    Step("appeal_waive", PARTY, (Stage.APPEAL_WINDOW,), "cases.act_as_party", _("Give up my appeal"), api=True),
    # The appeals body's people hearing the appeal.
    Step("appeal_decide", APPEALS, (Stage.APPEAL,), "cases.hear_appeal", _("Decide the appeal"), "decide", api=True),
    # The body the bylaws empower, citing its carried vote about this decision.
    Step("override", EMPOWERED, (Stage.FINAL,), "cases.override_decision", _("Record the override"), api=True),
)

BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}


def step_named(name: str) -> Step:
    """The step of this name; an unknown name is a mistake in the code, never a silent default."""
    return BY_NAME[name]


BEFORE_SEATING = frozenset(step.name for step in STEPS if step.before_seating)

# What the process waits on, most pressing first: of these, the first that a person may take now is their next step
# (the pages show it first, as the one thing to do); every other step open to them is folded away below the case.
WAITED_ON: tuple[str, ...] = (
    "withdrawal",
    "challenge_decide",
    "seat",
    "propose",
    "notice_give",
    "notice_draft",
    "review_open",
    "investigation_report",
    "decision_agree",
    "decision",
    "appeal_record_send",
    "agreement",
    "informal_consent",
    "notice_agree",
    "respond",
    "redaction_agree",
    "review_finish",
    "appeal",
    "appeal_decide",
)


def next_step(allowed: Iterable[str]) -> str | None:
    """The step the process waits on that this person may take now (``allowed``: the steps open to them, after the
    page's conditions of the case's own records), or None when it waits on someone else or on time."""
    mine = set(allowed)
    return next((name for name in WAITED_ON if name in mine), None)


def form_of(name: str) -> str:
    """The page form of the step a page posted, or "" for a name that is no step (the page then says so)."""
    step = BY_NAME.get(name)
    return step.form if step else ""


def open_at(stage: str, by: str) -> set[str]:
    """The names of the steps ``by`` (PANEL, PARTY, APPEALS, EMPOWERED) may take at ``stage``, before any condition
    of the case's own records."""
    return {step.name for step in STEPS if by in (step.by, *step.also_by) and stage in step.stages}


def is_open(case: Case, name: str) -> bool:
    return case.stage in step_named(name).stages


def require_open(case: Case, name: str) -> None:
    """Refuse, with the stage the case is at, a step the table does not open there."""
    if not is_open(case, name):
        raise InvalidInput(
            gettext("This case is at the stage “%(stage)s”; that step is not possible now.")
            % {"stage": case.get_stage_display()},
            code="wrong_stage",
        )
