"""What each action may write into the ledger: allowed keys and the kind of each value.

There is no kind for free text: the ledger holds ids, reason codes, dates, counts and hashes of sealed
blobs, never narratives, names or messages (DESIGN.md invariant 3). An action that is not defined here
cannot be recorded.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

ValueCheck = Callable[[Any], bool]

_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}", re.ASCII)
_SHA256_HEX = re.compile(r"[0-9a-f]{64}", re.ASCII)
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+", re.ASCII)


def _is_id(value: Any) -> bool:
    return type(value) is int and value > 0


def _is_count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and _CODE.fullmatch(value) is not None


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and _SHA256_HEX.fullmatch(value) is not None


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


_REFERENCE = re.compile(r"[A-Z][A-Z0-9-]{0,39}", re.ASCII)


def _is_reference(value: Any) -> bool:
    """A record's public reference, as people cite it: C-2026-4, CONV-2026."""
    return isinstance(value, str) and _REFERENCE.fullmatch(value) is not None


def _is_bool(value: Any) -> bool:
    return type(value) is bool


ID: ValueCheck = _is_id
COUNT: ValueCheck = _is_count
CODE: ValueCheck = _is_code
HASH: ValueCheck = _is_hash
DATE: ValueCheck = _is_date
BOOL: ValueCheck = _is_bool
REFERENCE: ValueCheck = _is_reference


def optional(check: ValueCheck) -> ValueCheck:
    return lambda value: value is None or check(value)


def id_list(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= 100 and all(_is_id(item) for item in value)


def list_of(check: ValueCheck) -> ValueCheck:
    """A list of at most 100 values of one kind: codes, hashes, ids."""
    return lambda value: isinstance(value, list) and len(value) <= 100 and all(check(item) for item in value)


class LedgerSchemaError(ValueError):
    """A programming error: an undefined action, or data the action's schema does not allow."""


@dataclass(frozen=True)
class ActionSchema:
    name: str
    version: int
    fields: Mapping[str, ValueCheck]
    checkpoint_after: bool
    flagged: bool = False
    label: str | Promise = ""  # what happened, in a plain sentence for people: "A report was sent"
    # A field whose recorded code the sentence names, and each code in words: ("attempt", {"seat": _("a seat")}).
    worded: tuple[str, Mapping[str, str | Promise]] | None = None

    def check(self, data: Mapping[str, Any]) -> None:
        unknown = set(data) - set(self.fields)
        if unknown:
            raise LedgerSchemaError(f"{self.name}: keys not allowed in the ledger: {sorted(unknown)}")
        for key, value in data.items():
            if not self.fields[key](value):
                raise LedgerSchemaError(f"{self.name}: {key}={value!r} is not an allowed value")


_actions: dict[str, ActionSchema] = {}


def define(
    name: str,
    *,
    fields: Mapping[str, ValueCheck],
    version: int = 1,
    checkpoint_after: bool = False,
    flagged: bool = False,
    label: str | Promise = "",
    worded: tuple[str, Mapping[str, str | Promise]] | None = None,
) -> str:
    """Declare an action and what it may record. ``checkpoint_after`` signs a checkpoint once it commits;
    ``flagged`` lists its entries for the oversight body (overrides of the rules, mainly); ``label`` says what
    happened in a plain sentence, for the pages that list entries (every action has one: a test holds it);
    ``worded`` names one recorded code in that sentence ("…was refused: a seat")."""
    if not _ACTION.fullmatch(name) or len(name) > 80:
        raise LedgerSchemaError(f"action names are dotted lower-case words, not {name!r}")
    existing = _actions.get(name)
    schema = ActionSchema(
        name=name,
        version=version,
        fields=dict(fields),
        checkpoint_after=checkpoint_after,
        flagged=flagged,
        label=label,
        worded=worded,
    )
    if existing is not None and (existing.version, set(existing.fields), existing.checkpoint_after) != (
        version,
        set(fields),
        checkpoint_after,
    ):
        raise LedgerSchemaError(f"{name} is defined twice, differently")
    _actions[name] = schema
    return name


def schema_for(name: str) -> ActionSchema:
    try:
        return _actions[name]
    except KeyError:
        raise LedgerSchemaError(f"{name} is not a defined ledger action") from None


def defined_actions() -> list[str]:
    return sorted(_actions)


def flagged_actions() -> list[str]:
    return sorted(name for name, schema in _actions.items() if schema.flagged)


def label_of(name: str, data: Mapping[str, Any] | None = None) -> str:
    """What an action did, in words for people; for an action no part defined (or labelled), a neutral sentence.
    With the entry's ``data``, the sentence names the code the action words (what was attempted, say)."""
    schema = _actions.get(name)
    if schema is None or not schema.label:
        return str(_("Something was recorded"))
    if schema.worded is not None and data is not None:
        field, words = schema.worded
        code = data.get(field)
        if isinstance(code, str) and code in words:
            return f"{schema.label}: {words[code]}"
    return str(schema.label)
