"""Every read of members' voice used by pages: each filtered by policy, so that what a person may not see is
exactly what does not exist."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from rankfile import policy
from rankfile.errors import NotAllowed
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, BodyKind, Seat
from rankfile.voice.models import Caucus, CaucusFile, CaucusMeeting, CaucusMember, Concern, MemberStatus, Petition


def _person_pk(user: Any) -> int | None:
    person = org_queries.person_of(user=user) if getattr(user, "is_authenticated", False) else None
    return person.pk if person is not None else None


def my_caucuses(*, user: Any) -> list[Caucus]:
    """The caucuses the person belongs to, and those they were named to found (formed or not)."""
    person = _person_pk(user)
    if person is None:
        return []
    found = Caucus.objects.filter(
        members__person_id=person, members__status__in=[MemberStatus.ACTIVE, MemberStatus.NAMED]
    ).distinct()
    return [caucus for caucus in found if policy.allows(user, "voice.see_caucus", caucus)]


def listed_caucuses(*, user: Any) -> list[Caucus]:
    """Caucuses that chose to show their name and purpose, for members in good standing."""
    found = Caucus.objects.filter(listed=True, formed_at__isnull=False)
    return [caucus for caucus in found if policy.allows(user, "voice.see_caucus", caucus)]


def caucus_for(*, user: Any, pk: int) -> Caucus:
    caucus = Caucus.objects.filter(pk=pk).first()
    if caucus is None or not policy.allows(user, "voice.see_caucus", caucus):
        raise NotAllowed("no such caucus")
    return caucus


def membership(*, user: Any, caucus: Caucus) -> CaucusMember | None:
    person = _person_pk(user)
    return None if person is None else CaucusMember.objects.filter(caucus=caucus, person_id=person).first()


def caucus_roster(*, user: Any, caucus: Caucus) -> QuerySet[CaucusMember]:
    """Who belongs, who was named to found it, and who asked to join: for the caucus's members and its founders."""
    if not policy.allows(user, "voice.see_roster", caucus):
        return CaucusMember.objects.none()
    return caucus.members.exclude(status=MemberStatus.LEFT).select_related("person")


def join_request_for(*, user: Any, caucus: Caucus, pk: int) -> CaucusMember:
    member = CaucusMember.objects.filter(caucus=caucus, pk=pk, status=MemberStatus.ASKED).first()
    if member is None or not policy.allows(user, "voice.convene", caucus):
        raise NotAllowed("no such request")
    return member


def caucus_file_for(*, user: Any, caucus: Caucus, pk: int) -> CaucusFile:
    """A file of the caucus's space, for its members; to anyone else it does not exist."""
    item = CaucusFile.objects.filter(caucus=caucus, pk=pk).select_related("caucus", "document").first()
    if item is None or not policy.allows(user, "voice.read_caucus", caucus):
        raise NotAllowed("no such file")
    return item


def caucus_meeting_for(*, user: Any, caucus: Caucus, pk: int) -> CaucusMeeting:
    """A meeting of the caucus, for its conveners to write the minutes; to anyone else it does not exist."""
    meeting = CaucusMeeting.objects.filter(caucus=caucus, pk=pk).select_related("caucus", "minutes").first()
    if meeting is None or not policy.allows(user, "voice.convene", caucus):
        raise NotAllowed("no such meeting")
    return meeting


def concerns(*, user: Any) -> list[Concern]:
    """Every concern the person may read, newest first, with how many added their name."""
    found = Concern.objects.select_related("body").annotate(supporters_count=Count("supporters"))
    return [concern for concern in found if policy.allows(user, "voice.see_concern", concern)]


def concern_for(*, user: Any, reference: str) -> Concern:
    concern = Concern.objects.select_related("body", "author", "answered_by").filter(reference=reference).first()
    if concern is None or not policy.allows(user, "voice.see_concern", concern):
        raise NotAllowed("no such concern")
    return concern


def author_shown(*, user: Any, concern: Concern) -> str:
    """The author's name for those it is told to; "" where the concern is anonymous to the reader."""
    return concern.author.name if policy.allows(user, "voice.see_author", concern) else ""


def supporters(*, concern: Concern) -> list[str]:
    return [support.person.name for support in concern.supporters.select_related("person")]


def bodies_to_ask() -> QuerySet[Body]:
    """The bodies a concern or a petition may be addressed to: any but a caucus with someone sitting on it today
    (whatever seats ended before), and the convention, which has no standing seats."""
    today = timezone.localdate()
    sitting = Seat.objects.filter(body=OuterRef("pk"), starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    return (
        Body.objects.exclude(kind=BodyKind.CAUCUS)
        .filter(Q(Exists(sitting)) | Q(kind=BodyKind.CONVENTION))
        .order_by("name")
    )


def petitions(*, user: Any) -> list[Petition]:
    """Every petition the person may read, newest first."""
    found = Petition.objects.select_related("body").annotate(signatures_count=Count("signatures"))
    return [petition for petition in found if policy.allows(user, "voice.see_petition", petition)]


def petition_for(*, user: Any, reference: str) -> Petition:
    petition = Petition.objects.select_related("body", "started_by", "placed_on").filter(reference=reference).first()
    if petition is None or not policy.allows(user, "voice.see_petition", petition):
        raise NotAllowed("no such petition")
    return petition


def signers(*, petition: Petition) -> list[str]:
    return [signature.person.name for signature in petition.signatures.select_related("person")]


def has_signed(*, user: Any, petition: Petition) -> bool:
    person = _person_pk(user)
    return person is not None and petition.signatures.filter(person_id=person).exists()
