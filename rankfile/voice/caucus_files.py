"""Files in a caucus's private space: every write and read of them, each on the ledger.

A file is sealed in the vault as case evidence is (its name, type and content encrypted, checked for size and type
before anything is stored) to the keys of the caucus's members and the organization's recovery key. As for posts, the
ledger records each step as the system's, about the file row, never naming the caucus or the member."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.transactions import action
from rankfile.vault import documents
from rankfile.vault.errors import FileMissing
from rankfile.vault.keys import UnlockedKey
from rankfile.vault.models import Keypair, Version
from rankfile.voice import actions, caucus_meetings
from rankfile.voice.models import Caucus, CaucusFile, CaucusPost, MemberStatus

CAUCUS_FILE_ADDED = ls.define(
    "voice.caucus_file_added",
    label=gettext_lazy("A member added a file to a caucus's space (sealed for its members)"),
    fields={"sha256": ls.HASH, "shared_with_new": ls.COUNT},
)
CAUCUS_FILE_OPENED = ls.define(
    "voice.caucus_file_opened", label=gettext_lazy("A member opened a file of a caucus's space"), fields={}
)


@action
def caucus_file_add(*, caucus: Caucus, upload: documents.Upload, by: Any, key: UnlockedKey) -> CaucusFile:
    """Add a file to the caucus's space, sealed to its members' keys; as a post does, the member's key also gives the
    space to members who joined since it was last shared. Too large a file, or one of a kind not accepted, is refused
    (``VaultError``) before anything is stored."""
    policy.require(by, "voice.read_caucus", caucus)
    waiting = list(caucus.members.filter(status=MemberStatus.ACTIVE, space_shared=False).select_related("person"))
    version = documents.seal_file(kind="caucus_file", upload=upload, readers=actions.space_readers(caucus))
    actions.share_space(caucus, key=key, members=waiting)
    author = org_queries.person_of(user=by)
    assert author is not None  # a member of the caucus is a person
    item = CaucusFile.objects.create(caucus=caucus, author=author, document=version.document)
    ledger.record(
        actor=ledger.SYSTEM,
        action=CAUCUS_FILE_ADDED,
        subject=item,
        data={"sha256": bytes(version.sealed_hash).hex(), "shared_with_new": len(waiting)},
    )
    return item


@dataclass(frozen=True)
class ListedFile:
    """A file of the space as this member's key opens it: its sealed name, type and size; ``missing`` when the vault
    directory lost its content."""

    item: CaucusFile
    name: str = ""
    content_type: str = ""
    size: int = 0
    missing: bool = False


@dataclass(frozen=True)
class OpenedSpace:
    posts: list[tuple[CaucusPost, str]]
    files: list[ListedFile]
    meetings: list[caucus_meetings.OpenedMeeting] = field(default_factory=list)


def _reads(version: Version, key: UnlockedKey) -> bool:
    return version.wrapped_keys.filter(keypair=key.keypair).exists()


@action
def caucus_space_read(*, caucus: Caucus, by: Any, key: UnlockedKey | None, most: int = 50) -> OpenedSpace:
    """The latest posts of the space, its files (their sealed names) and its meetings, as ``key`` opens them; what the
    key cannot open yet (a member who joined since) is left out. One ledger entry counts what was opened."""
    policy.require(by, "voice.read_caucus", caucus)
    if key is None:
        return OpenedSpace(posts=[], files=[])
    purpose = actions.CaucusRead()
    posts: list[tuple[CaucusPost, str]] = []
    for post in caucus.posts.select_related("author", "document")[:most]:
        version = documents.latest(post.document)
        if _reads(version, key):
            posts.append((post, documents.open_text(version, key=key, purpose=purpose)))
    files: list[ListedFile] = []
    for item in caucus.files.select_related("author", "document")[:most]:
        version = documents.latest(item.document)
        if not _reads(version, key):
            continue
        try:
            opened = documents.open_file(version, key=key, purpose=purpose)
        except FileMissing:
            files.append(ListedFile(item=item, missing=True))
            continue
        files.append(ListedFile(item=item, name=opened.name, content_type=opened.content_type, size=opened.size))
    meetings = caucus_meetings.opened_meetings(caucus, key=key, purpose=purpose)
    purpose.record()
    return OpenedSpace(posts=posts, files=files, meetings=meetings)


class FileOpen(documents.Purpose):
    """Opening one file of the space to save it: an entry about the file row, naming neither reader nor caucus."""

    def __init__(self, item: CaucusFile) -> None:
        self.item = item

    def record_open(self, *, version: Version, reader: Keypair) -> None:
        ledger.record(actor=ledger.SYSTEM, action=CAUCUS_FILE_OPENED, subject=self.item)


@action
def caucus_file_open(*, item: CaucusFile, by: Any, key: UnlockedKey) -> documents.OpenedFile:
    """A file of the space, opened with the member's key to be saved; on the ledger. A file whose content is missing
    from the vault raises ``FileMissing`` before anything is recorded."""
    policy.require(by, "voice.read_caucus", item.caucus)
    return documents.open_file(documents.latest(item.document), key=key, purpose=FileOpen(item))
