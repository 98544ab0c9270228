"""Queries built once per process and day, then run with each request's ids: the layout asks some on every page view,
and building a query of several EXISTS through the ORM costs milliseconds where the database answers in microseconds.

``rows(key, build, user_id=..., person_id=...)`` calls ``build`` only the first time a process meets ``key`` on a
day, with stand-in ids, and keeps the SQL it compiles to; every call runs that SQL with the ids given, and converts
the values as the query would (a boolean, a date). So ``build`` may depend on the ids only as values in the query (a
different shape of query needs a different key), and may read the clock for today's date alone (the SQL is built
again on the next day). ``objects`` does the same for a plain query of a model's rows. A query about another day than
today (``on``) is built and run as any other: only today's are asked on every page.
"""

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# Stand-ins for ids, two sets (odd and even): no row has a negative id, and a value that does not move between the two
# compilations is not a parameter (the check below refuses it rather than keep one request's id for every other).
_STAND_INS = (-7_300_001, -8_400_002)

Build = Callable[..., QuerySet[Any]]


class _Compiled:
    def __init__(self, compiler: SQLCompiler, sql: str, params: list[Any], slots: list[str | None]) -> None:
        self.compiler = compiler
        self.converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        self.columns = [getattr(getattr(column, "target", None), "attname", None) for column, _s, _a in compiler.select]
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
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = [next((name for name, value in stand_ins.items() if param == value), None) for param in params]
        found.append((compiler, sql, list(params), slots))
    (compiler, sql, params, slots), (_other, other_sql, other_params, other_slots) = found
    constants_agree = all(a == b for a, b, slot in zip(params, other_params, slots, strict=True) if slot is None)
    if sql != other_sql or slots != other_slots or not constants_agree:
        raise ValueError("the ids must be parameters of the query, never part of its text or its shape")
    return _Compiled(compiler, sql, params, slots)


def _run(key: Hashable, build: Build, using: str, ids: dict[str, int]) -> tuple[_Compiled, list[tuple[Any, ...]]]:
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
        found = cursor.fetchall()
    if compiled.converters:
        found = list(compiled.compiler.apply_converters(found, compiled.converters))
    return compiled, [tuple(row) for row in found]


def rows(
    key: Hashable, build: Build, *, on: date | None = None, using: str = "default", **ids: int
) -> list[tuple[Any, ...]]:
    """The rows of ``build(**ids)``, a ``values_list`` query (about the day ``on``, if it is about a day)."""
    if on is not None and on != timezone.localdate():
        return [tuple(row) for row in build(**ids).using(using)]
    return _run(key, build, using, ids)[1]


def objects(key: Hashable, build: Build, *, on: date | None = None, using: str = "default", **ids: int) -> list[Model]:
    """The rows of ``build(**ids)``, a plain query of a model (no annotation, nothing selected with it)."""
    if on is not None and on != timezone.localdate():
        return list(build(**ids).using(using))
    compiled, found = _run(key, build, using, ids)
    model = compiled.compiler.query.model
    columns = [column for column in compiled.columns if column is not None]
    if model is None or len(columns) != len(compiled.columns):
        raise ValueError("objects() takes a plain query of a model's own columns")
    return [model.from_db(using, columns, row) for row in found]
