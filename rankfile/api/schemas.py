"""What the API reads and answers, as types: each step's body, each answer, and the problem document. The OpenAPI
document is made from them, and so are the 400 problems for a body that does not fit."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field


def _is_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("This holds a NUL character (\\u0000), which is no text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("This holds a lone surrogate (an escape such as \\ud800), which is no text.") from None
    return value


# Text as a person writes it. JSON can escape a NUL character, or half of a UTF-16 pair, which is no character at
# all; neither is stored or sealed: both are refused here, naming the field.
Text = Annotated[str, AfterValidator(_is_text)]

# Ids of rows: whole numbers a database column holds (anything larger is no row, and refused before a query).
RowId = Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]  # strict: true is no id
AllegationNumber = Annotated[int, Field(ge=1, le=1000)]
# Kept in step with the models' choices (tests/api/test_schemas.py checks them against each other).
FindingOutcome = Literal["responsible", "not_responsible"]
AppealGround = Literal["procedural_irregularity", "new_evidence", "conflict_or_bias", "disproportionate_sanction"]
AppealOutcome = Literal["dismissed", "varied"]
NoticeReason = Literal["retaliation_risk", "safety_of_reporter", "evidence_at_risk"]


class Body(Schema):
    """A step's body: exactly the fields listed; another one is a mistake to point out, not to ignore."""

    model_config = ConfigDict(extra="forbid")


# --- the bodies of the steps -------------------------------------------------------------------------------------


class Allegation(Body):
    text: Text = Field(description="What is alleged: what, when, where.")
    provisions: Text = Field(description="The provisions of the bylaws or code of conduct concerned.")


class NoticeDraft(Body):
    allegations: list[Allegation] = Field(max_length=100)


class NoticeDelay(Body):
    until: date = Field(description="The day by which the notice must be given: after today, within 90 days.")
    reason_code: NoticeReason


class ReviewOpen(Body):
    items: list[RowId] = Field(max_length=1000, description="The ids of the case's documents to share.")


class Written(Body):
    text: Text


class Decision(Body):
    findings: dict[AllegationNumber, FindingOutcome] = Field(description="Each allegation's number, and the finding.")
    rationale: Text
    sanctions: list[Text] = Field(default=[], max_length=50, description="Codes of the bylaws' catalog of sanctions.")


class Appeal(Body):
    grounds: list[AppealGround] = Field(max_length=10)
    statement: Text


class AppealDecide(Body):
    outcome: AppealOutcome
    rationale: Text
    findings: dict[AllegationNumber, FindingOutcome] = Field(default={}, description="When the appeal is upheld.")
    sanctions: list[Text] = Field(default=[], max_length=50, description="When the appeal is upheld.")


class Override(Body):
    vote_reference: Text = Field(max_length=200, description="The carried vote of the empowered body.")


# --- what a step answers with ------------------------------------------------------------------------------------


class Seated(Schema):
    seated: int = Field(description="How many were seated.")


class DocumentAdded(Schema):
    document: int = Field(description="The id of the case document.")


class Agreed(Schema):
    agreed: Literal[True] = True


class Delayed(Schema):
    until: date


class Shared(Schema):
    shared: int = Field(description="How many documents both parties now read.")


class ReviewFinished(Schema):
    closed: bool = Field(description="Whether every party has finished, which closes the review.")


class DecisionMade(Schema):
    decision: int


class DecisionProposed(Schema):
    decision: int | None = Field(
        description="The decision, once issued; null while it waits for the other decision-makers to agree to it."
    )
    waiting_for: int = Field(description="How many of the seated decision-makers have yet to agree to it.")


class AppealLodged(Schema):
    appeal: int


class Waived(Schema):
    final: bool = Field(description="Whether every party has waived, which makes the decision final now.")


class RecordSent(Schema):
    keys_given: int = Field(description="How many people hearing the appeal were given the record.")


class OverrideRecorded(Schema):
    override: int


# --- where a case stands -----------------------------------------------------------------------------------------


class StageReached(Schema):
    stage: str
    at: datetime


class OpenDeadline(Schema):
    kind: str
    due_at: datetime


class PanelPlace(Schema):
    name: str
    role: str
    status: str
    reason: str = Field(description="A reason code, for someone excluded or recused.")


class CaseState(Schema):
    reference: str
    kind: str
    track: str
    stage: str
    stage_label: str
    capacity: Literal["panel", "party", "appeals"] = Field(alias="as", description="How the caller takes part.")
    next: list[str] = Field(description="The steps the stage allows the caller next.")
    steps: list[StageReached]
    deadlines: list[OpenDeadline]
    panel: list[PanelPlace] = Field(description="A party sees the seated panel only.")


# --- the rest ----------------------------------------------------------------------------------------------------


class Health(Schema):
    status: Literal["ok"]


class InclusionProof(Schema):
    seq: int
    leaf_index: int
    leaf_hash: str
    tree_size: int
    root: str
    proof: list[str]
    checkpoint: str = Field(description="The signed checkpoint, in the C2SP signed-note format.")
    verified: bool


class Problem(Schema):
    """RFC 9457 problem details, with a stable ``code``; ``errors`` names each field to fix."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] = Field(default={})
