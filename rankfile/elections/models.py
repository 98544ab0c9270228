"""Elections to a body's seats. Writes go through ``elections.actions``.

The secret ballot is two tables that share nothing but the election: ``Elector`` (who may vote, and whether they
have) and ``Ballot`` (what was voted, under a random id, with no time). No column or key joins them, and once voting
closes the ballots are written again in a random order, so that the order they were cast in is gone too."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body, Person, Seat
from rankfile.vault.models import Document


class Method(models.TextChoices):
    BLOCK = "block", _("plurality (each voter marks as many candidates as there are seats)")
    APPROVAL = "approval", _("approval (each voter marks every candidate they approve of)")
    INSTANT_RUNOFF = "instant_runoff", _("instant runoff (ranked, one seat)")
    STV = "stv", _("single transferable vote (ranked, one or more seats)")


RANKED = frozenset({Method.INSTANT_RUNOFF, Method.STV})
# Each method's name alone, for a sentence ("Counted by … : single transferable vote").
METHOD_NAMES = {
    Method.BLOCK: _("plurality"),
    Method.APPROVAL: _("approval"),
    Method.INSTANT_RUNOFF: _("instant runoff"),
    Method.STV: _("single transferable vote"),
}


class Electorate(models.TextChoices):
    BODY = "body", _("the people sitting on a body when voting opens (e.g. a convention's delegates)")
    MEMBERS = "members", _("the members in good standing on a date")


class BallotKind(models.TextChoices):
    ONLINE = "online", _("an online secret ballot")
    PAPER = "paper", _("a paper or in-person vote, its counts entered by the tellers")


class Election(models.Model):
    reference = models.CharField(max_length=40, unique=True)  # EL-2026-1, the year it was called: what people cite
    title = models.CharField(_("title"), max_length=200)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="elections")
    run_by = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="elections_run")
    seats = models.PositiveIntegerField(_("seats"))
    term_starts_on = models.DateField(_("term starts on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    ballot_kind = models.CharField(_("ballot"), max_length=8, choices=BallotKind.choices)
    electorate = models.CharField(_("electorate"), max_length=8, choices=Electorate.choices)
    electorate_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="electorates"
    )
    electorate_on = models.DateField(_("in good standing on"), null=True, blank=True)
    nominations_open_at = models.DateTimeField(_("nominations open"))
    nominations_close_at = models.DateTimeField(_("nominations close"))
    voting_open_at = models.DateTimeField(_("voting opens"))
    voting_close_at = models.DateTimeField(_("voting closes"))
    revote_allowed = models.BooleanField(default=False)  # from the bylaws when the election was called
    voting_opened_at = models.DateTimeField(null=True, blank=True)  # when the electorate was snapshotted
    # Once voting closed, the ballots were written again in a random order under new random ids (docs/elections.md).
    ballots_shuffled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-voting_close_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def ranked(self) -> bool:
        return self.method in RANKED

    @property
    def method_name(self) -> str:
        return str(METHOD_NAMES.get(Method(self.method), self.get_method_display()))


class NominationStatus(models.TextChoices):
    AWAITING_ACCEPTANCE = "awaiting", _("waiting for the nominee to accept")
    STANDING = "standing", _("standing")
    REFUSED = "refused", _("refused by the eligibility check")
    DECLINED = "declined", _("declined by the nominee")


class Nomination(models.Model):
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="nominations")
    nominee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations")
    nominated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations_made")
    statement = models.TextField(_("statement"), blank=True)
    status = models.CharField(max_length=16, choices=NominationStatus.choices)
    # The eligibility check's reason code when it refused: shown to the committee only as its sentence.
    refusal_code = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["nominee__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "nominee"],
                condition=~models.Q(status="declined"),
                name="elections_one_live_nomination_each",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nominee} in {self.election}"


class Elector(models.Model):
    """One person on an election's roll, snapshotted when voting opens. ``voted`` is the only mark of voting: it
    says nothing of which ballot, and the row has no time of its own."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="electors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    voted = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="elections_one_elector_each")]

    def __str__(self) -> str:
        return f"{self.person} may vote in {self.election}"


class Ballot(models.Model):
    """A cast ballot: a random id, the published tracker, a hash of the voter's secret (to replace it while the
    bylaws allow) and the choices (nomination ids, in order of preference for ranked methods). No time, not even the
    day: the ledger says on which day each person voted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="ballots")
    tracker = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    choices = models.JSONField()

    class Meta:
        ordering = ["tracker"]

    def __str__(self) -> str:
        return f"ballot {self.tracker}"


class PaperCount(models.Model):
    """The counts of a paper or in-person vote as the tellers entered them: each line is a way of marking the ballot
    (the candidates marked, in order for ranked methods) and how many ballots were marked so."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="paper_count")
    tellers = models.CharField(_("tellers"), max_length=400)
    lines = models.JSONField()
    # Empty when the system's account entered it (the demo, an import); the ledger entry names the actor either way.
    entered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    def __str__(self) -> str:
        return f"paper count of {self.election}"


class Result(models.Model):
    """The count: winners in order, the full order after them (the next in line), each round's table for ranked
    methods, how ties were broken, and a hash of the ballots counted."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="result")
    counted_at = models.DateTimeField(auto_now_add=True)
    library = models.CharField(max_length=40)  # the library and version that counted, e.g. votelib 0.4.0
    ballots_counted = models.PositiveIntegerField()
    totals = models.JSONField()  # nomination id -> votes (first round for ranked methods)
    rounds = models.JSONField()  # ranked: [{"votes": {id: n}, "selected": [ids], "status": ..., "method": ...}]
    winners = models.JSONField()  # nomination ids, in order
    order = models.JSONField()  # every candidate in order: winners first, then the next in line
    tie_breaks = models.JSONField()  # [{"between": [ids], "chose": id, "how": "lot"|"earlier_rounds"}]
    lot_order = models.JSONField()  # the order drawn by lot before the count, used only if a tie needs it
    ballots_sha256 = models.CharField(max_length=64)
    # The body's composition goals checked against the winners: [{"goal", "minimum_percent", "binding", "need",
    # "met"}] and, for a binding goal, [{"out": id, "in": id, "goal"}]; never a count of a self-identified category.
    composition = models.JSONField(default=dict)
    # Ranked methods, when the eligibility check refused winners at seating and the bylaws say "recount": each count
    # run again without them, [{"without": [ids], "winners", "order", "rounds", "tie_breaks", "composition"}].
    recounts = models.JSONField(default=list)
    # When the refused winners' places went instead to the next in line (plurality, approval, or the bylaws'
    # "next_in_line"): each time, the body's binding goals applied again, [{"without": [ids], "winners",
    # "composition"}], so that who took whose place, and why, is kept as a recount is.
    replacements = models.JSONField(default=list)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    def __str__(self) -> str:
        return f"result of {self.election}"


class SeatingOutcome(models.TextChoices):
    SEATED = "seated", _("seated")
    REFUSED = "refused", _("refused by the eligibility check on the term's first day")


class Seating(models.Model):
    """What happened when a winner (or the next in line) was to be seated."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="seatings")
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="seating")
    outcome = models.CharField(max_length=16, choices=SeatingOutcome.choices)
    refusal_code = models.CharField(max_length=40, blank=True)
    replaces = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )  # set when the next in line took a refused winner's place
    seat = models.OneToOneField(Seat, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ledger_seq = models.PositiveBigIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.nomination}: {self.outcome}"


class SelfIdentification(models.Model):
    """That a member has self-identified: the categories themselves are a vault document, sealed to the member's
    own key and to the tally key, which only counts (docs/elections.md). Withdrawing deletes the row and destroys
    the document's content."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"self-identification {self.pk}"
