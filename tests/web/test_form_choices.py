"""No form of the site shows Django's empty choice, "---------": a select's empty option says what to do ("Choose a
body") or what leaving it means ("None: a body of its own"). Every form class of Rankfile is rendered here; a new
form whose arguments this test cannot fill fails until it is taught them (``ARGUMENTS``)."""

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.forms import ReauthenticateForm
from django import forms
from django.db.models import QuerySet

import rankfile
from rankfile.cases.models import CaseDocument, Report
from rankfile.governance.models import Mandate, Milestone, MinutesVersion
from rankfile.org.importing import MemberFile
from rankfile.org.models import Body, Person
from rankfile.voice.models import Concern, Petition
from tests.personas import make_person

pytestmark = pytest.mark.django_db

DASHES = "---------"

# What each keyword argument of a form's constructor is given: empty querysets and lists are enough, since the empty
# option is shown whatever the choices; a few one-item values make the fields built from them appear.
ARGUMENTS: dict[str, Callable[[], Any]] = {
    "bodies": Body.objects.none,
    "meeting_bodies": Body.objects.none,
    "people": Person.objects.none,
    "members": Person.objects.none,
    "handlers": Person.objects.none,
    "candidates": list,
    "subjects": Person.objects.none,
    "seated": Person.objects.none,
    "others": Person.objects.none,
    "present": Person.objects.none,
    "voters": Person.objects.none,
    "documents": CaseDocument.objects.none,
    "reports": Report.objects.none,
    "minutes": MinutesVersion.objects.none,
    "mandates": Mandate.objects.none,
    "milestones": Milestone.objects.none,
    "petitions": Petition.objects.none,
    "concerns": Concern.objects.none,
    "votes": list,
    "periods": list,
    "reasons": dict,
    "numbers": lambda: [1, 2],
    "catalog": list,
    "ranked": lambda: False,
    "with_person": lambda: True,
    "categories": list,
    "initial_codes": list,
    "member_file": lambda: MemberFile(
        text="Name,Email\nAna,ana@example.org\n",
        delimiter=",",
        headers=["Name", "Email"],
        rows=[(2, ["Ana", "ana@example.org"])],
    ),
    "user": lambda: make_person("member"),
}


def rankfile_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module in pkgutil.walk_packages(rankfile.__path__, "rankfile."):
        if ".migrations" in module.name or module.name.endswith("__main__"):
            continue
        for name, value in vars(importlib.import_module(module.name)).items():
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.name:
                found[f"{module.name}.{name}"] = value
    return [found[name] for name in sorted(found)]


def keyword_arguments(form_class: type[forms.BaseForm]) -> dict[str, Any]:
    """The form's keyword arguments, through its parents' constructors: each one this test knows, and every one the
    form requires."""
    given: dict[str, Any] = {}
    for klass in form_class.__mro__:
        if "__init__" not in vars(klass) or not klass.__module__.startswith("rankfile."):
            continue
        for parameter in inspect.signature(vars(klass)["__init__"]).parameters.values():
            if parameter.kind != parameter.KEYWORD_ONLY or parameter.name in given:
                continue
            if parameter.name in ARGUMENTS:
                given[parameter.name] = ARGUMENTS[parameter.name]()
                if _is_queryset(parameter.annotation) and not isinstance(given[parameter.name], QuerySet):
                    given[parameter.name] = Person.objects.none()  # the elections' candidates are a list
            elif parameter.default is parameter.empty:
                pytest.fail(f"teach this test the argument {parameter.name!r} of {form_class.__qualname__}")
    if issubclass(form_class, ReauthenticateForm):  # allauth's: it takes the person whose password it asks
        given["user"] = ARGUMENTS["user"]()
    return given


def _is_queryset(annotation: Any) -> bool:
    return annotation is QuerySet or typing.get_origin(annotation) is QuerySet


def test_every_form_is_found():
    names = {form_class.__name__ for form_class in rankfile_forms()}
    assert {"ConcernForm", "SeatForm", "ElectionCallForm", "ProposeForm", "ReviewForm"} <= names


def test_no_form_shows_djangos_empty_choice():
    shown = []
    for form_class in rankfile_forms():
        if form_class.__name__.startswith("_"):
            continue  # a part of other forms, rendered with them
        form = form_class(**keyword_arguments(form_class))
        assert str(form)  # it renders
        shown += [
            f"{form_class.__module__}.{form_class.__qualname__}.{field.name}" for field in form if DASHES in str(field)
        ]
    assert shown == [], "\n".join(shown)
