"""Members' voice: caucuses that members form without anyone's permission, concerns a body must answer, and
petitions that put an item on a body's agenda or make it call a special meeting; statements (and apologies) that a
body adopts by a vote or a caucus publishes; membership-wide meetings. Writes go through ``voice.actions``,
``voice.statements`` and ``voice.members_meetings``.

A caucus's posts and files are vault documents sealed to its members' keys; who belongs to a caucus is told only to its
members, on its own page. A concern is plain text: the members may read it, unless its author chose private."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rankfile.governance.models import Mandate, Meeting, Visibility, Vote
from rankfile.org.models import Body, Person
from rankfile.vault.models import Document


class JoinRule(models.TextChoices):
    OPEN = "open", _("any member in good standing may join")
    APPROVAL = "approval", _("a convener approves each member who asks to join")


class Caucus(models.Model):
    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), max_length=2000)
    founding_statement = models.TextField(_("founding statement"), max_length=8000)
    listed = models.BooleanField(_("show its name and purpose to the members"), default=False)
    # Set by its conveners: the report pages' support card names it, with a form to write to its conveners.
    on_support_card = models.BooleanField(_("listed on the report pages' support card"), default=False)
    join_rule = models.CharField(_("who may join"), max_length=8, choices=JoinRule.choices)
    formed_at = models.DateTimeField(null=True, blank=True)  # when the last of the minimum signed
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "caucuses"

    def __str__(self) -> str:
        return self.name

    @property
    def formed(self) -> bool:
        return self.formed_at is not None


class MemberStatus(models.TextChoices):
    NAMED = "named", _("named as a founder, not signed yet")
    INVITED = "invited", _("invited by a convener, not answered yet")
    ASKED = "asked", _("asked to join, waiting for a convener")
    ACTIVE = "active", _("a member of the caucus")
    LEFT = "left", _("left the caucus")


class CaucusMember(models.Model):
    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="caucus_memberships")
    status = models.CharField(max_length=8, choices=MemberStatus.choices)
    convener = models.BooleanField(default=False)
    signed_at = models.DateTimeField(null=True, blank=True)  # the founding statement, for a founder
    joined_at = models.DateTimeField(null=True, blank=True)
    # False until some member's key has given this member the posts written before they joined.
    space_shared = models.BooleanField(default=False)
    # A convener's invitation: a note sealed to the invitee and the conveners (the row says who was invited).
    invitation = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A convener who chose to be named on the support card, when the caucus is listed there.
    named_on_card = models.BooleanField(default=False)

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["caucus", "person"], name="voice_one_membership_each")]

    def __str__(self) -> str:
        return f"{self.person} in {self.caucus}"


class CaucusPost(models.Model):
    """A post in a caucus's space: its text is a vault document, sealed to the caucus's members."""

    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"post {self.pk} in {self.caucus}"


class CaucusFile(models.Model):
    """A file in a caucus's space: its name, type and content are a vault document, sealed to the caucus's members."""

    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="files")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"file {self.pk} in {self.caucus}"


class CaucusMeeting(models.Model):
    """A meeting of a caucus, scheduled by its conveners: its agenda and minutes are vault documents sealed to the
    caucus's members, like its posts. Only its day is plain."""

    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    agenda = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    minutes = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scheduled_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"meeting {self.pk} of {self.caucus}"


class CaucusMessage(models.Model):
    """A message to a caucus's conveners from its support card, by anyone (signed in or not): its text, and how to
    answer, are a vault document sealed to the conveners' keys. Who wrote it is not kept."""

    caucus = models.ForeignKey(Caucus, on_delete=models.PROTECT, related_name="messages")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"message {self.pk} to {self.caucus}"


class Concern(models.Model):
    """A member's concern to a body, which must answer it by ``due_at``. ``anonymous``: the body does not learn who
    raised it (the oversight body does). ``private``: only the author, the body and the oversight body read it."""

    reference = models.CharField(max_length=40, unique=True)  # CN-2026-1: what people cite
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="concerns")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="concerns_raised")
    anonymous = models.BooleanField(_("anonymous to the body"), default=False)
    private = models.BooleanField(_("private"), default=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the concern"), max_length=8000)
    raised_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ConcernSupport(models.Model):
    """A member who adds their name to a concern ("me too")."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="supporters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["concern", "person"], name="voice_one_support_each")]

    def __str__(self) -> str:
        return f"{self.person} supports {self.concern}"


class PetitionAim(models.TextChoices):
    AGENDA_ITEM = "agenda_item", _("put an item on the agenda of the body's next meeting")
    SPECIAL_MEETING = "special_meeting", _("make the body call a special meeting")


class Petition(models.Model):
    """Members' petition to a body (the convention is one). When the bylaws' share of the members in good standing
    have signed, ``reached_at`` is set: the item goes on the body's next meeting (``placed_on``) or the body must
    call a special meeting (a timer of the deadline engine) by ``call_by``."""

    reference = models.CharField(max_length=40, unique=True)  # PT-2026-1: what people cite
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="petitions")
    aim = models.CharField(_("what it asks"), max_length=16, choices=PetitionAim.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the petition"), max_length=8000)
    started_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="petitions_started")
    started_at = models.DateTimeField(default=timezone.now)
    reached_at = models.DateTimeField(null=True, blank=True)
    signatures_when_reached = models.PositiveIntegerField(null=True, blank=True)
    needed_when_reached = models.PositiveIntegerField(null=True, blank=True)
    placed_on = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The concern it was made from: its "me too" names became signatures.
    from_concern = models.OneToOneField(
        Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="petition"
    )
    call_by = models.DateTimeField(null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PetitionSignature(models.Model):
    """A member's signature on a petition; withdrawing it deletes the row (the ledger keeps both)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["petition", "person"], name="voice_one_signature_each")]

    def __str__(self) -> str:
        return f"{self.person} signed {self.petition}"


class StatementKind(models.TextChoices):
    STATEMENT = "statement", _("statement")
    APOLOGY = "apology", _("apology")


class Statement(models.Model):
    """What a body says, adopted by a carried vote of that body, or what a caucus's conveners publish as the
    caucus's. Its words are versions (``StatementVersion``), each a body's adopting its own vote; old ones stay
    readable. ``visibility``: members only, or public (a page and a feed anyone reads)."""

    reference = models.CharField(max_length=40, unique=True)  # ST-2026-1: what people cite
    kind = models.CharField(_("kind"), max_length=16, choices=StatementKind.choices, default=StatementKind.STATEMENT)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="statements")
    caucus = models.ForeignKey(Caucus, null=True, blank=True, on_delete=models.PROTECT, related_name="statements")
    visibility = models.CharField(_("who may read it"), max_length=16, choices=Visibility.choices)
    # The mandate the statement fulfils, if any: shown on both pages.
    mandate = models.ForeignKey(
        Mandate, null=True, blank=True, on_delete=models.PROTECT, related_name="fulfilling_statements"
    )
    title = models.CharField(_("title"), max_length=200)  # the latest version's
    version_number = models.PositiveIntegerField(default=1)  # the latest version's
    published_at = models.DateTimeField(default=timezone.now)  # the first version's
    revised_at = models.DateTimeField(default=timezone.now)  # the latest version's
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-revised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=True, caucus__isnull=False)
                | models.Q(body__isnull=False, caucus__isnull=True),
                name="voice_statement_of_a_body_or_a_caucus",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def speaker(self) -> str:
        """Who speaks: the body's name, or the caucus's."""
        return self.body.name if self.body is not None else self.caucus.name if self.caucus is not None else ""


class StatementVersion(models.Model):
    """One version of a statement's words, never edited. A body's version cites the carried vote that adopted it."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the statement"), max_length=20000)
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="statement_versions")
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(default=timezone.now)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["statement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="voice_statement_version_once"),
            models.UniqueConstraint(fields=["statement", "vote"], name="voice_statement_one_version_per_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.statement.reference}, version {self.number}"


class MembersMeeting(models.Model):
    """A meeting of all members (or a call), held on the governance tools: its ``meeting`` is a meeting of the body
    that called it, whose recorders keep its record; any member in good standing attends."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="members_meeting")
    call = models.BooleanField(_("a call rather than a meeting in one place"), default=False)
    called_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ledger_seq = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["-meeting__held_on", "-pk"]

    def __str__(self) -> str:
        return str(self.meeting)


class MembersMeetingItem(models.Model):
    """What the members brought to a membership-wide meeting's agenda: a carried petition or a concern."""

    members_meeting = models.ForeignKey(MembersMeeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    petition = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    concern = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["members_meeting", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(petition__isnull=True, concern__isnull=False)
                | models.Q(petition__isnull=False, concern__isnull=True),
                name="voice_members_meeting_item_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"item {self.position} of {self.members_meeting}"


# The bulletin's tables live in a module of their own; imported here so that Django finds them.
from rankfile.voice.bulletin_models import BulletinIssue, Contribution, ContributionVersion  # noqa: E402, F401
