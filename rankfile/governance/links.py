"""What parts above governance link to a mandate (a statement that fulfils it), for the mandate's page: a hook those
parts register when they are ready, since governance imports none of them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rankfile.governance.models import Mandate


@dataclass(frozen=True)
class MandateLink:
    """A record linked to a mandate, in words: what it is to the mandate, its title, and the page the reader opens."""

    words: str
    title: str
    url: str


MandateLinker = Callable[..., list[MandateLink]]
_linkers: dict[str, MandateLinker] = {}


def register_mandate_linker(name: str, linker: MandateLinker) -> MandateLinker:
    """``linker(mandate, reader, public=...)``: the records linked to ``mandate`` that ``reader`` may open (on the
    public page, only public ones), each with ``words``, ``title`` and ``url``."""
    _linkers[name] = linker
    return linker


def links_to(mandate: Mandate, reader: Any, *, public: bool) -> list[MandateLink]:
    found: list[MandateLink] = []
    for linker in _linkers.values():
        found += linker(mandate, reader, public=public)
    return found
