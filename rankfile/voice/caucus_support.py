"""A caucus on the report pages' support card: its conveners list it (a survivors' caucus, say), and anyone who opens
a reporting page, signed in or not, can write to its conveners through a form. The card shows the caucus's name and
the form, and names only the conveners who chose to be named; a message is sealed to the conveners' keys and does
not keep who wrote it."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import hooks as org_hooks
from rankfile.org import queries as org_queries
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.keys import UnlockedKey, person_key
from rankfile.vault.models import Keypair
from rankfile.voice.models import Caucus, CaucusMember, CaucusMessage, MemberStatus

SUPPORT_CARD_SET = ls.define(
    "voice.caucus_support_card_set",
    label=gettext_lazy("A caucus's conveners listed it on the support card, or took it off"),
    fields={"listed": ls.BOOL},
)
SUPPORT_CARD_NAMED = ls.define(
    "voice.caucus_support_card_named",
    label=gettext_lazy("A convener chose whether the support card names them with their caucus"),
    fields={"named": ls.BOOL},
)
SUPPORT_MESSAGE_SENT = ls.define(
    "voice.caucus_support_message_sent",
    label=gettext_lazy("Someone wrote to a caucus's conveners from the support card (sealed for them)"),
    fields={"sha256": ls.HASH},
)
SUPPORT_MESSAGES_READ = ls.define(
    "voice.caucus_support_messages_read",
    label=gettext_lazy("A convener read the messages to a caucus's conveners"),
    fields={"messages": ls.COUNT},
)


@action
def caucus_support_card_set(*, caucus: Caucus, listed: bool, by: Any) -> Caucus:
    """A convener lists the caucus on the support card, or takes it off. The card is public: it names the caucus."""
    policy.require(by, "voice.convene", caucus)
    caucus.on_support_card = bool(listed)
    caucus.save(update_fields=["on_support_card"])
    ledger.record(actor=ledger.SYSTEM, action=SUPPORT_CARD_SET, subject=caucus, data={"listed": caucus.on_support_card})
    return caucus


@action
def support_card_name_set(*, caucus: Caucus, named: bool, by: Any) -> CaucusMember:
    """A convener chooses to be named on the support card with the caucus, or no longer; nobody else is named."""
    policy.require(by, "voice.convene", caucus)
    member = CaucusMember.objects.get(caucus=caucus, person=org_queries.person_of(user=by))
    member.named_on_card = bool(named)
    member.save(update_fields=["named_on_card"])
    ledger.record(actor=ledger.SYSTEM, action=SUPPORT_CARD_NAMED, subject=member, data={"named": member.named_on_card})
    return member


def named_conveners(caucus: Caucus) -> tuple[str, ...]:
    """The conveners who chose to be named on the support card."""
    found = caucus.members.filter(status=MemberStatus.ACTIVE, convener=True, named_on_card=True)
    return tuple(found.order_by("person__name").values_list("person__name", flat=True))


def on_the_card() -> list[Caucus]:
    return list(Caucus.objects.filter(on_support_card=True, formed_at__isnull=False).order_by("name", "pk"))


def card_caucus_for(*, pk: int) -> Caucus:
    """A caucus listed on the support card; any other does not exist here."""
    caucus = Caucus.objects.filter(pk=pk, on_support_card=True, formed_at__isnull=False).first()
    if caucus is None:
        raise NotAllowed("no such caucus on the support card")
    return caucus


def _conveners_keys(caucus: Caucus) -> list[Keypair]:
    conveners = caucus.members.filter(status=MemberStatus.ACTIVE, convener=True, person__user__isnull=False)
    found = [person_key(member.person.user) for member in conveners.select_related("person__user")]
    return [key for key in found if key is not None]


@action
def support_message_send(*, caucus: Caucus, text: str, reply_to: str) -> CaucusMessage:
    """Anyone writes to the conveners of a caucus on the support card; who wrote is not kept, only what they wrote
    and how to answer them (if they said), sealed for the conveners."""
    if not caucus.on_support_card or caucus.formed_at is None:
        raise NotAllowed("no such caucus on the support card")
    text, reply_to = (text or "").strip(), (reply_to or "").strip()
    if not text or len(text) > 4000:
        message = _("Write your message, in at most 4,000 characters.")
        raise InvalidInput(message, code="text", field_errors={"text": [message]})
    if len(reply_to) > 200:
        message = _("Say how to answer you in at most 200 characters.")
        raise InvalidInput(message, code="reply_to", field_errors={"reply_to": [message]})
    content = (
        text if not reply_to else _("%(text)s\n\nHow to answer: %(reply_to)s") % {"text": text, "reply_to": reply_to}
    )
    version = documents.seal(kind="caucus_message", content=content, readers=_conveners_keys(caucus))
    sent = CaucusMessage.objects.create(caucus=caucus, document=version.document)
    ledger.record(
        actor=ledger.SYSTEM,
        action=SUPPORT_MESSAGE_SENT,
        subject=sent,
        data={"sha256": bytes(version.sealed_hash).hex()},
    )
    return sent


class MessagesRead(documents.Purpose):
    def __init__(self) -> None:
        self.opened = 0

    def record_open(self, *, version: Any, reader: Keypair) -> None:
        self.opened += 1


@action
def support_messages_open(
    *, caucus: Caucus, by: Any, key: UnlockedKey | None, most: int = 50
) -> list[tuple[CaucusMessage, str]]:
    """The latest messages to the conveners that ``key`` opens (a convener's); one ledger entry counts them."""
    policy.require(by, "voice.convene", caucus)
    if key is None:
        return []
    purpose = MessagesRead()
    opened = []
    for sent in caucus.messages.select_related("document")[:most]:
        version = documents.latest(sent.document)
        if version.wrapped_keys.filter(keypair=key.keypair).exists():
            opened.append((sent, documents.open_text(version, key=key, purpose=purpose)))
    if purpose.opened:
        ledger.record(
            actor=ledger.SYSTEM, action=SUPPORT_MESSAGES_READ, subject=None, data={"messages": purpose.opened}
        )
    return opened


def listings() -> list[org_hooks.SupportListing]:
    """The support card's entries for caucuses: each one's name and the form to write to its conveners."""
    return [
        org_hooks.SupportListing(
            name=caucus.name,
            url=reverse("voice:support_message", args=[caucus.pk]),
            names=named_conveners(caucus),
        )
        for caucus in on_the_card()
    ]


org_hooks.register_support_finder("voice.caucuses", listings)
