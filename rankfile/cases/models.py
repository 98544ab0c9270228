"""Reports and how they are handled. What a report says lives only in the vault (sealed documents); these tables
hold who may read it, where it stands, and when each step is due."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body, Person
from rankfile.vault.models import Document, Keypair


class ReportPath(models.TextChoices):
    RECORD_ONLY = "record_only", _("Record only")
    SUPPORT_ONLY = "support_only", _("Support only")
    INFORMAL = "informal", _("Informal resolution")
    FORMAL = "formal", _("Formal complaint")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded privately")
    SUBMITTED = "submitted", _("Sent, waiting to be acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")
    DELETED = "deleted", _("Deleted by the reporter")
    PURGED = "purged", _("Purged after the retention period")


class Report(models.Model):
    """One report. Its content (what happened, when, where, who, witnesses, wishes, contact) is one sealed document
    with versions; only the reporter's key and, once it is sent, its handlers' keys open it."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reports_made"
    )  # empty for an anonymous reporter
    reporter_key = models.ForeignKey(Keypair, on_delete=models.PROTECT, related_name="reports")
    path = models.CharField(max_length=16, choices=ReportPath.choices)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # About a person (member or not), and/or about how officials or a body handled something.
    respondent = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="reports_about"
    )
    process_complaint = models.BooleanField(default=False)
    handling_body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    content = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    evidence = models.ManyToManyField(Document, blank=True, related_name="+")  # sealed files the reporter attached
    created_at = models.DateTimeField(auto_now_add=True)  # the original time stamp, kept through every change
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)  # content deleted or purged; the ledger remains
    # When the reporter last opened the report's page: what happened after it is marked as an update for them.
    reporter_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")

    def __str__(self) -> str:
        return f"report {self.pk}"

    @property
    def case_stage_label(self) -> str:
        """The stage, in words, of the case the report became (``case_stage``, annotated by its list's query)."""
        stage = getattr(self, "case_stage", None)
        return str(Stage(stage).label) if stage in Stage.values else ""


class NamedConflict(models.Model):
    """Someone the reporter does not want handling the report; excluded from it, and later from its panel."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="named_conflicts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="cases_conflict_named_once")]

    def __str__(self) -> str:
        return f"{self.person} named on {self.report}"


class Handler(models.Model):
    """Someone the report was routed to. Only handlers (and the reporter) are ever told it exists."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="handlers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reports_handled")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "person"], name="cases_handler_once")]

    def __str__(self) -> str:
        return f"{self.person} handling {self.report}"


class StatusStep(models.Model):
    """The report's history as the reporter sees it: each change of status or path."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=16, choices=ReportStatus.choices)
    path = models.CharField(max_length=16, choices=ReportPath.choices)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.report}: {self.status} ({self.path})"


class MessageSide(models.TextChoices):
    REPORTER = "reporter", _("reporter")
    HANDLERS = "handlers", _("handlers")


class Message(models.Model):
    """A sealed message between the reporter and the handlers, or a handlers' internal note (never shown to the
    reporter)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=16, choices=MessageSide.choices)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    internal_note = models.BooleanField(default=False)
    content = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    attachments = models.ManyToManyField(Document, blank=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"message {self.pk} on {self.report}"


class MeasureKind(models.TextChoices):
    NO_CONTACT = "no_contact", _("No-contact arrangement")
    EXCUSAL = "excusal", _("Excusal from shared meetings or roles")
    MEETING_ARRANGEMENTS = "meeting_arrangements", _("Changed meeting arrangements")
    OTHER = "other", _("Other support")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("In place")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class SupportiveMeasure(models.Model):
    """Non-punitive help for a party, decided by the handling body independently of any finding; reviewed by a date.
    What it involves in detail is sealed (``details``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supportive_measures")
    kind = models.CharField(max_length=24, choices=MeasureKind.choices)
    status = models.CharField(max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.REQUESTED)
    details = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.report}"


# ---------------------------------------------------------------------------------------------------------------------
# Cases: the handling of one or more reports about a respondent (or about officials' conduct), from the panel to a
# final decision. What a case holds (allegations, statements, evidence, findings' reasons) is sealed like a report's;
# these tables say who may read it, where it stands, what was decided and which sanctions apply.


class CaseKind(models.TextChoices):
    CONDUCT = "conduct", _("Conduct case")
    PROCESS = "process", _("Process investigation")


class Track(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal resolution")


class Stage(models.TextChoices):
    PANEL = "panel", _("Choosing the panel")
    NOTICE = "notice", _("Notice to the respondent")
    RESPONSE = "response", _("The respondent's response")
    INVESTIGATION = "investigation", _("Investigation")
    EVIDENCE_REVIEW = "evidence_review", _("Evidence review by both parties")
    REPORT = "report", _("Investigation report")
    DECISION = "decision", _("Decision")
    APPEAL_WINDOW = "appeal_window", _("Decided; open to appeal")
    APPEAL = "appeal", _("Appeal")
    FINAL = "final", _("Final")
    AGREEMENT = "agreement", _("Informal agreement in force")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    """One case. ``reference`` (C-2026-4) is how people and other records cite it; it is never reused."""

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=12, choices=CaseKind.choices, default=CaseKind.CONDUCT)
    track = models.CharField(max_length=12, choices=Track.choices, default=Track.FORMAL)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PANEL)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cases")  # the body handling it
    respondent = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_about"
    )  # empty for a process investigation about a body rather than a person
    reports = models.ManyToManyField(Report, blank=True, related_name="cases")
    # A process investigation: the case whose handling it examines (if any), and the officials concerned.
    examines = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="process_investigations"
    )
    subjects = models.ManyToManyField(Person, blank=True, related_name="process_cases_concerning")
    standard_of_proof = models.CharField(max_length=32, default="preponderance")
    opened_at = models.DateTimeField(auto_now_add=True)
    notice_delayed_until = models.DateField(null=True, blank=True)  # notice held back to prevent retaliation
    noticed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=40, blank=True)
    # The reporter withdrew, and the body decided to go on because others are at risk (recorded as a reason code).
    proceeds_without_reporter = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case")
        ordering = ["-opened_at", "-pk"]
        # Lists of cases are newest first: read in this order, a page of them stops at its last row (the handlers'
        # inbox) instead of sorting every case the list's rule finds.
        indexes = [models.Index(fields=["opened_at", "id"], name="cases_case_opened_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.stage not in (Stage.FINAL, Stage.CLOSED)


class PartyRole(models.TextChoices):
    REPORTER = "reporter", _("reporter")
    RESPONDENT = "respondent", _("respondent")


class Party(models.Model):
    """A reporter or the respondent. A reporter may be anonymous (a receipt key and no person); each party reads
    their own part of the case with ``keypair``, and so does their adviser once the adviser accepted.

    A named adviser who has not accepted yet reads nothing and is nobody's adviser to any rule: what the party's
    side receives meanwhile is held for them (``adviser_hold``, see ``rankfile.vault.holds``) until they accept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=12, choices=PartyRole.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    keypair = models.ForeignKey(Keypair, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    adviser_accepted_at = models.DateTimeField(null=True, blank=True)  # empty: named, not accepted (or none)
    adviser_hold = models.ForeignKey(Keypair, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consented_to_informal_at = models.DateTimeField(null=True, blank=True)
    review_done_at = models.DateTimeField(null=True, blank=True)  # finished reviewing the evidence
    appeal_waived_at = models.DateTimeField(null=True, blank=True)  # gave up the right to appeal the decision
    notice_agreed_at = models.DateTimeField(null=True, blank=True)  # a reporter agreed to the draft notice

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(role="respondent"), name="cases_one_respondent_party"
            )
        ]
        # The few parties with a key of their own or an adviser, found apart from the many without: statistics that
        # count the empty ones lead SQLite to read every party to find a login's (the menu asks on every page).
        indexes = [
            models.Index(fields=["keypair"], condition=models.Q(keypair__isnull=False), name="cases_party_by_key"),
            models.Index(fields=["adviser"], condition=models.Q(adviser__isnull=False), name="cases_party_advised"),
        ]

    def __str__(self) -> str:
        return f"{self.role} in {self.case}"

    @property
    def accepted_adviser(self) -> Person | None:
        """The party's adviser once they accepted; None while they have not (or there is none)."""
        return self.adviser if self.adviser_accepted_at is not None else None

    @property
    def accepted_adviser_id(self) -> int | None:
        return self.adviser_id if self.adviser_accepted_at is not None else None


class PanelRole(models.TextChoices):
    INVESTIGATOR = "investigator", _("investigator")
    DECISION_MAKER = "decision_maker", _("decision-maker")
    APPEALS = "appeals", _("appeals body member")


class PanelStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed; to declare conflicts")
    SEATED = "seated", _("seated")
    EXCLUDED = "excluded", _("excluded")
    RECUSED = "recused", _("recused")


class PanelMember(models.Model):
    """Someone proposed for, seated on or removed from a case's panel (or, for an appeal, the appeals body's people
    hearing it). A person has one role on a case: the investigator never decides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="panel")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="panel_places")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")  # where they came from
    role = models.CharField(max_length=16, choices=PanelRole.choices)
    status = models.CharField(max_length=12, choices=PanelStatus.choices, default=PanelStatus.PROPOSED)
    reason = models.CharField(max_length=40, blank=True)  # why excluded or recused: a code, no detail
    declared_at = models.DateTimeField(null=True, blank=True)  # declared no conflict
    seated_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="cases_one_place_per_case")]

    def __str__(self) -> str:
        return f"{self.person} ({self.role}, {self.status}) on {self.case}"


class ChallengeStatus(models.TextChoices):
    PENDING = "pending", _("to be decided")
    UPHELD = "upheld", _("upheld: the panelist left the panel")
    REJECTED = "rejected", _("rejected")


class Challenge(models.Model):
    """A party's challenge to a panelist; the rest of the panel decides. The grounds are sealed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="challenges")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="challenges")
    by_role = models.CharField(max_length=12, choices=PartyRole.choices)
    grounds = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.PENDING)
    made_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"challenge to {self.member}"


class Audience(models.TextChoices):
    PANEL = "panel", _("the panel")
    PARTIES = "parties", _("the panel and both parties")
    REPORTER = "reporter", _("the panel and the reporter")
    RESPONDENT = "respondent", _("the panel and the respondent")


class CaseDocumentKind(models.TextChoices):
    NOTICE = "notice", _("Notice of allegations")
    RESPONSE = "response", _("Respondent's response")
    STATEMENT = "statement", _("Statement")
    INTERVIEW = "interview", _("Interview record")
    EVIDENCE = "evidence", _("Evidence")
    REDACTED = "redacted", _("Redacted copy")
    NOTE = "note", _("Panel note")
    INVESTIGATION_REPORT = "investigation_report", _("Investigation report")
    DECISION = "decision", _("Decision")
    APPEAL = "appeal", _("Appeal")
    APPEAL_DECISION = "appeal_decision", _("Appeal decision")
    AGREEMENT = "agreement", _("Informal agreement")
    CHALLENGE = "challenge", _("Challenge to a panelist")
    MEASURE = "measure", _("Interim measure")


class CaseDocument(models.Model):
    """A sealed document of a case and who it is for. ``audience`` widens as the case goes on (evidence is shared
    with both parties at the evidence review, at the same moment); it never narrows, except by a recusal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=CaseDocumentKind.choices)
    title = models.CharField(max_length=200, blank=True)  # e.g. "Statement of a witness": no names, no content
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.PANEL)
    # For one side's document with several reporters: the one party (and adviser) it is for, besides the panel.
    party = models.ForeignKey("Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_file = models.BooleanField(default=False)
    redaction_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="redactions")
    reporter_agreed_at = models.DateTimeField(null=True, blank=True)  # for a redacted copy
    added_by_role = models.CharField(max_length=16, blank=True)  # panel, reporter, respondent
    added_at = models.DateTimeField(auto_now_add=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} on {self.case}"


class Allegation(models.Model):
    """One allegation, numbered in the case. What it says and which provisions of the bylaws it concerns are in the
    sealed notice: even the provisions say what a case is about."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allegations")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="cases_allegation_number")]

    def __str__(self) -> str:
        return f"allegation {self.number} in {self.case}"


class DecisionStatus(models.TextChoices):
    ISSUED = "issued", _("issued; open to appeal")
    UNDER_APPEAL = "under_appeal", _("under appeal")
    FINAL = "final", _("final")
    REPLACED = "replaced", _("replaced on appeal")


class Decision(models.Model):
    """A decision: a finding per allegation, reasons (sealed, in ``letter``) and sanctions from the bylaws catalog.
    ``on_appeal`` marks the appeals body's decision. Once final, only an appeal decision or a recorded override
    changes what it does; the row's findings and sanctions are never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    on_appeal = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.ISSUED)
    standard_of_proof = models.CharField(max_length=32)
    letter = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")  # reasons, sealed
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    final_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(null=True, help_text=_("The ledger entry of the action that made it."))

    def __str__(self) -> str:
        return f"decision {self.pk} in {self.case}"


class DecisionDraft(models.Model):
    """A decision one decision-maker proposed, waiting for every other seated decision-maker to agree to it. Another
    proposal ends it, and agreement starts again; once everyone agreed it is issued as ``decision``. The findings and
    sanctions' codes are in the clear, as the decision's ledger entry holds them; the reasons are sealed for the
    panel in ``reasons``."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decision_drafts")
    proposed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    standard_of_proof = models.CharField(max_length=32)
    findings = models.JSONField(default=dict)  # {"<allegation number>": "<outcome>"}
    sanction_codes = models.JSONField(default=list)
    reasons = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)  # another proposal took its place
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="draft")

    def __str__(self) -> str:
        return f"draft decision {self.pk} in {self.case}"


class DecisionAgreement(models.Model):
    """A decision-maker agreed to a draft decision (the one who proposed it, by proposing)."""

    draft = models.ForeignKey(DecisionDraft, on_delete=models.PROTECT, related_name="agreements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "person"], name="cases_one_agreement_each")]

    def __str__(self) -> str:
        return f"{self.person} agreed to {self.draft}"


class FindingOutcome(models.TextChoices):
    RESPONSIBLE = "responsible", _("responsible")
    NOT_RESPONSIBLE = "not_responsible", _("not responsible")


class Finding(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="findings")
    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="findings")
    outcome = models.CharField(max_length=16, choices=FindingOutcome.choices)
    ledger_seq = models.PositiveBigIntegerField(null=True, help_text=_("The entry of the decision that made it."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "allegation"], name="cases_one_finding_each")]

    def __str__(self) -> str:
        return f"{self.allegation}: {self.outcome}"


class Sanction(models.Model):
    """One sanction of a decision, as the bylaws catalog defined it when the decision was made."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sanctions")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    terms = models.JSONField(default=dict)  # the catalog entry: membership_status, suspension_days, …
    ledger_seq = models.PositiveBigIntegerField(null=True, help_text=_("The entry of the decision that made it."))

    def __str__(self) -> str:
        return f"{self.label} in {self.decision}"


class AppealGround(models.TextChoices):
    PROCEDURAL_IRREGULARITY = "procedural_irregularity", _("Procedural irregularity")
    NEW_EVIDENCE = "new_evidence", _("New evidence not available at the time")
    CONFLICT_OR_BIAS = "conflict_or_bias", _("Conflict of interest or bias")
    DISPROPORTIONATE_SANCTION = "disproportionate_sanction", _("Disproportionate sanction")


class AppealOutcome(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed: the decision stands")
    VARIED = "varied", _("Upheld: the decision is replaced")


class Appeal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appeals")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    by_role = models.CharField(max_length=12, choices=PartyRole.choices)
    grounds = models.JSONField()  # AppealGround codes
    statement = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")  # the appeals body
    lodged_at = models.DateTimeField(auto_now_add=True)
    record_sent_at = models.DateTimeField(null=True, blank=True)  # the panel's own material, sent by a panelist
    outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"appeal {self.pk} in {self.case}"


class Override(models.Model):
    """A final decision set aside (in whole) by a recorded vote of the body the bylaws empower. Flagged on the
    ledger, alerted to the oversight body at once, and listed for the membership."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="overrides")
    vote_reference = models.CharField(max_length=120)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")  # whose vote it was
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ledger_seq = models.PositiveBigIntegerField(null=True, help_text=_("The ledger entry of the action that made it."))

    def __str__(self) -> str:
        return f"override of {self.decision} by {self.vote_reference}"


class Readmission(models.Model):
    """A member expelled by a final decision, re-admitted by a carried vote of the body the bylaws name (the
    convention, unless they name another) on a motion about them. It ends the hold on their membership status; the
    decision's other sanctions (a bar from office) stand. Flagged on the ledger, alerted to the oversight body at
    once, and listed for the membership."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="readmissions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    vote_reference = models.CharField(max_length=120)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")  # whose vote it was
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision"], name="one_readmission_per_decision")]

    def __str__(self) -> str:
        return f"re-admission of {self.person} after {self.decision} by {self.vote_reference}"


class InterimKind(models.TextChoices):
    SUSPENDED_FROM_MEMBERSHIP = "suspended_from_membership", _("Suspended from membership")
    SUSPENDED_FROM_LEADERSHIP = "suspended_from_leadership", _("Suspended from leadership seats")


class InterimMeasure(models.Model):
    """A restriction on the respondent (or an official under a process investigation) while a case is open."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interim_measures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=InterimKind.choices)
    reason_code = models.CharField(max_length=40)
    reasons = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    vote_reference = models.CharField(max_length=120, blank=True)  # for a process investigation's suspension
    review_on = models.DateField()
    restriction_id = models.BigIntegerField(null=True, blank=True)  # the org restriction it imposed
    imposed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.case}"


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("open")
    MET = "met", _("met")
    BREACHED = "breached", _("not met")


class Obligation(models.Model):
    """A promise in an informal agreement (its wording is in the sealed agreement), by a party, by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obligations")
    number = models.PositiveSmallIntegerField()
    by_role = models.CharField(max_length=12, choices=PartyRole.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"obligation {self.number} in {self.case}"


class CaseStep(models.Model):
    """The case's history as both parties see it: each change of stage, with its time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    track = models.CharField(max_length=12, choices=Track.choices)
    at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.stage}"
