"""How actions take their transaction: ``@action`` for every write, ``bulk()`` for work that does many at once.

An action normally runs in ``transaction.atomic()``: inside another transaction that is a savepoint, so a refused
action undoes only itself and the caller can go on. Bulk work (an import of thousands of rows) that ends its whole
transaction at the first refusal does not need those savepoints, and on PostgreSQL each costs two round trips. Inside
``bulk()`` actions join the surrounding transaction without one; a refusal then marks the whole transaction for
rollback, which is what the bulk caller wants.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.db import connection, transaction

_P = ParamSpec("_P")
_R = TypeVar("_R")

_bulk: ContextVar[bool] = ContextVar("rankfile_bulk", default=False)


def action(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` atomically: its own transaction, or a savepoint in the caller's (none inside ``bulk()``)."""

    @functools.wraps(func)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with transaction.atomic(savepoint=not _bulk.get()):
            return func(*args, **kwargs)

    return run


@contextmanager
def bulk() -> Iterator[None]:
    """Inside the caller's ``transaction.atomic()``: actions take no savepoints; any refusal ends the transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk() runs inside the caller's transaction.atomic()")
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def in_bulk() -> bool:
    return _bulk.get()


def part() -> transaction.Atomic:
    """A part of an action that may fail on its own, such as an insert a unique constraint can refuse: a savepoint,
    so that the action can explain the failure, except in bulk, where the failure ends the transaction anyway."""
    return transaction.atomic(savepoint=not _bulk.get())
