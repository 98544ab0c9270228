"""A query built once per process and day runs with each caller's ids, and refuses a query in which an id is not a
parameter (it would answer every later caller with the first one's)."""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from rankfile import prepared

pytestmark = pytest.mark.django_db


def test_a_prepared_query_is_built_once_and_answers_each_caller_with_their_ids():
    users = get_user_model().objects
    ann = users.create_user(email="ann@example.org", password=None, name="Ann")
    bo = users.create_user(email="bo@example.org", password=None, name="Bo")
    built = []

    def emails(*, user_id: int) -> QuerySet[Any]:
        built.append(user_id)
        return users.filter(pk=user_id).values_list("email")

    with CaptureQueriesContext(connection) as captured:
        assert prepared.rows("test.emails", emails, user_id=ann.pk) == [("ann@example.org",)]
        assert prepared.rows("test.emails", emails, user_id=bo.pk) == [("bo@example.org",)]
        assert prepared.rows("test.emails", emails, user_id=-1) == []
    assert len(captured) == 3
    assert len(built) == 2  # twice at first, with two sets of stand-ins, and never again that day
    assert ann.pk not in built
    assert bo.pk not in built


def test_a_query_is_built_again_on_the_next_day(monkeypatch):
    built = []

    def count(*, user_id: int) -> QuerySet[Any]:
        built.append(user_id)
        return get_user_model().objects.filter(pk=user_id).values_list("pk")

    prepared.rows("test.days", count, user_id=1)
    monkeypatch.setattr(prepared.timezone, "localdate", lambda: date(2031, 1, 1))
    prepared.rows("test.days", count, user_id=1)
    assert len(built) == 4


def test_an_id_that_is_not_a_parameter_is_refused():
    users = get_user_model().objects

    def in_the_text(*, user_id: int) -> QuerySet[Any]:
        mine = RawSQL(f"id = {user_id}", [])  # noqa: S611 (the mistake refused)
        return users.annotate(mine=mine).values_list("mine")

    def in_the_shape(*, user_id: int) -> QuerySet[Any]:
        found = users.filter(pk=user_id)
        return (found if user_id % 2 else found.filter(is_active=True)).values_list("pk")

    for build in (in_the_text, in_the_shape):
        with pytest.raises(ValueError, match="the ids must be parameters"):
            prepared.rows(f"test.{build.__name__}", build, user_id=1)


def test_a_prepared_query_of_a_models_rows_gives_the_rows_as_the_orm_does():
    users = get_user_model().objects
    ann = users.create_user(email="ann@example.org", password=None, name="Ann")

    def by_id(*, user_id: int) -> QuerySet[Any]:
        return users.filter(pk=user_id)

    [found] = prepared.objects("test.users", by_id, user_id=ann.pk)
    assert isinstance(found, type(ann))
    assert (found.pk, found.email, found.date_joined, found.is_active) == (ann.pk, ann.email, ann.date_joined, True)
    assert prepared.objects("test.users", by_id, user_id=-1) == []
    with pytest.raises(ValueError, match="a plain query of a model's own columns"):
        prepared.objects("test.annotated", lambda user_id: users.filter(pk=user_id).annotate(one=Value(1)), user_id=1)


def test_a_query_about_another_day_is_built_and_run_as_any_other():
    built = []

    def joined_by(*, user_id: int) -> QuerySet[Any]:
        built.append(user_id)
        return get_user_model().objects.filter(pk=user_id).values_list("pk")

    ann = get_user_model().objects.create_user(email="ann@example.org", password=None, name="Ann")
    assert prepared.rows("test.another_day", joined_by, on=date(2020, 1, 1), user_id=ann.pk) == [(ann.pk,)]
    assert built == [ann.pk]  # with the real id, once
