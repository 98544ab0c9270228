"""Every email of members' voice. Each carries no content, only a sentence and a link to the page where the person
acts (a concern's title stays on its page; a caucus is not named, so that a mailbox does not tell who belongs where).
Mail goes out only after the action's transaction commits (``rankfile.mail.send``)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from rankfile import mail
from rankfile.org import queries as org_queries
from rankfile.org.models import Person
from rankfile.voice.models import Caucus, Concern


def _address(person: Person) -> str:
    if person.user is not None and person.user.email:
        return str(person.user.email)
    return person.email or ""


def _addresses(people: Iterable[Person], *, but: Person | None = None) -> list[str]:
    return [_address(person) for person in people if but is None or person.pk != but.pk]


def _link(name: str, *args: object) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def concern_to_body(concern: Concern) -> int:
    """Everyone sitting on the body today learns that a concern waits for its answer (not its author's name)."""
    seats = org_queries.seats_on(body=concern.body, day=timezone.localdate()).select_related("person__user")
    context = {
        "body": concern.body.name,
        "due": formats.date_format(timezone.localtime(concern.due_at), "j F Y"),
        "url": _link("voice:concern_detail", concern.reference),
    }
    return mail.send("voice/email/concern_to_body", context, _addresses([s.person for s in seats], but=concern.author))


def concern_answered(concern: Concern, *, by: Person) -> int:
    """The author, and the members who added their name, learn that the body answered."""
    url = _link("voice:concern_detail", concern.reference)
    context = {"body": concern.body.name, "url": url}
    told = mail.send("voice/email/concern_answered", {**context, "author": True}, _addresses([concern.author], but=by))
    supporters = [support.person for support in concern.supporters.select_related("person__user")]
    others = [person for person in supporters if person.pk != concern.author_id]
    return told + mail.send("voice/email/concern_answered", {**context, "author": False}, _addresses(others, but=by))


def founders_to_sign(caucus: Caucus, *, proposer: Person) -> int:
    """Each founder named with the proposer is asked to read the founding statement and sign it."""
    named = [member.person for member in caucus.members.select_related("person__user")]
    return mail.send(
        "voice/email/founding_to_sign",
        {"url": _link("voice:caucus_detail", caucus.pk)},
        _addresses(named, but=proposer),
    )


def invited_to_caucus(caucus: Caucus, *, person: Person) -> int:
    """A member a convener invited is asked to read the invitation; the email does not name the caucus."""
    return mail.send(
        "voice/email/invited_to_caucus", {"url": _link("voice:caucus_detail", caucus.pk)}, [_address(person)]
    )
