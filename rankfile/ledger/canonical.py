"""The canonical byte form of an entry: what its leaf hash covers.

Compact JSON with sorted keys, UTF-8, no floats, no NaN:
``{"action":…,"actor":{"id":…,"type":…},"at":"…Z","data":{…},"seq":…,"subject":{"id":…,"type":…},"v":…}``
The envelope's keys are fixed and already in sorted order, so it is assembled by formatting; only ``data``
goes through the JSON encoder.
"""

import json
from datetime import UTC, datetime
from typing import Any

_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode
ENVELOPE = '{"action":%s,"actor":{"id":%s,"type":%s},"at":"%s","data":%s,"seq":%d,"subject":{"id":%s,"type":%s},"v":%d}'


def time_text(moment: datetime) -> str:
    """UTC with microseconds and a Z, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def data_text(data: dict[str, Any]) -> str:
    _reject_floats(data)
    return _encode(data)


def _reject_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError("ledger data may not hold floats (their text form is not canonical)")
    if isinstance(value, dict):
        for item in value.values():
            _reject_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_floats(item)


class EntryEncoder:
    """Encodes rows to canonical bytes; remembers the encoded form of repeated strings (actions, types)."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}

    def _string(self, value: str) -> str:
        encoded = self._strings.get(value)
        if encoded is None:
            encoded = self._strings[value] = _encode(value)
        return encoded

    def encode(
        self,
        *,
        seq: int,
        recorded_at: str,
        actor_type: str,
        actor_id: int | None,
        action: str,
        subject_type: str,
        subject_id: int | None,
        data: str,
        schema_version: int,
    ) -> bytes:
        text = ENVELOPE % (
            self._string(action),
            "null" if actor_id is None else int(actor_id),
            self._string(actor_type),
            recorded_at,
            data,
            seq,
            "null" if subject_id is None else int(subject_id),
            self._string(subject_type),
            schema_version,
        )
        return text.encode("utf-8")
