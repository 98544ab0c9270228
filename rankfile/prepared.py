"""Queries built once per process and day, then run with each request's ids: the layout asks some on every page view,
and building a query of several EXISTS through the ORM costs milliseconds where the database answers in microseconds.

``rows(key, build, user_id=..., person_id=...)`` calls ``build`` only the first time a process meets ``key`` on a
day, with stand-in ids, and keeps the SQL it compiles to; every call runs that SQL with the ids given. So ``build``
may depend on the ids only as values in the query (a different shape of query needs a different key), and may read
the clock for today's date alone (the SQL is built again on the next day).
"""

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

# Stand-ins for ids, two sets (odd and even): no row has a negative id, and a value that does not move between the two
# compilations is not a parameter (the check below refuses it rather than keep one request's id for every other).
_STAND_INS = (-7_300_001, -8_400_002)

Build = Callable[..., QuerySet[Any]]


class _Compiled:
    def __init__(self, sql: str, params: list[Any], slots: list[str | None]) -> None:
        self.sql = sql
        self.params = params
        self.slots = slots  # for each parameter, the id it takes (None: a constant of the query)

    def params_for(self, ids: dict[str, int]) -> list[Any]:
        return [ids[slot] if slot is not None else value for value, slot in zip(self.params, self.slots, strict=True)]


_compiled: dict[tuple[Hashable, str, date], _Compiled] = {}


def _stand_ins(names: list[str], which: int) -> dict[str, int]:
    return {name: _STAND_INS[which] - n for n, name in enumerate(names)}


def _compile(build: Build, names: list[str]) -> _Compiled:
    found = []
    for which in (0, 1):
        stand_ins = _stand_ins(names, which)
        queryset = build(**stand_ins)
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        slots = [next((name for name, value in stand_ins.items() if param == value), None) for param in params]
        found.append((sql, list(params), slots))
    (sql, params, slots), (other_sql, other_params, other_slots) = found
    constants_agree = all(a == b for a, b, slot in zip(params, other_params, slots, strict=True) if slot is None)
    if sql != other_sql or slots != other_slots or not constants_agree:
        raise ValueError("the ids must be parameters of the query, never part of its text or its shape")
    return _Compiled(sql, params, slots)


def rows(key: Hashable, build: Build, *, using: str = "default", **ids: int) -> list[tuple[Any, ...]]:
    """The rows of ``build(**ids)`` (a ``values_list`` query), as the database gives them: no field's conversion is
    applied (a boolean may come back as 0 or 1)."""
    connection = connections[using]
    cache_key = (key, connection.vendor, timezone.localdate())
    compiled = _compiled.get(cache_key)
    if compiled is None:
        compiled = _compile(build, sorted(ids))
        if len(_compiled) > 100:  # days of them, in a process that has run that long
            _compiled.clear()
        _compiled[cache_key] = compiled
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params_for(ids))
        return [tuple(row) for row in cursor.fetchall()]
