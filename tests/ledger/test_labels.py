"""Every action the ledger may record says what happened in a plain sentence: the Ledger page shows that, never the
action's code alone."""

import importlib
import pkgutil

import pytest
from django.utils import translation

import rankfile
from rankfile.ledger import schema


def every_rankfile_module() -> list[str]:
    names = [
        module.name
        for module in pkgutil.walk_packages(rankfile.__path__, "rankfile.")
        if ".migrations." not in module.name and module.name not in {"rankfile.__main__", "rankfile.wsgi"}
    ]
    for name in names:
        importlib.import_module(name)
    return names


def test_every_defined_action_has_a_label():
    assert len(every_rankfile_module()) > 50
    actions = schema.defined_actions()
    assert "cases.report_sent" in actions
    assert "governance.mandate_adopted" in actions
    unlabelled = [name for name in actions if not str(schema.schema_for(name).label).strip()]
    assert unlabelled == [], f"give these actions a label= in their schema.define(...): {unlabelled}"


def test_a_label_is_a_sentence_not_a_code():
    every_rankfile_module()
    for name in schema.defined_actions():
        label = str(schema.schema_for(name).label)
        assert label[0].isupper(), name
        assert not set(label) & {".", "_"}, name


def test_the_label_of_an_action_is_its_sentence_and_an_unknown_action_gets_a_neutral_one():
    every_rankfile_module()
    assert schema.label_of("cases.report_sent") == "A report was sent"
    assert schema.label_of("deadlines.missed") == "A deadline was missed"
    assert schema.label_of("nobody.defined_this") == "Something was recorded"


def test_labels_are_translated_when_shown_not_when_defined():
    every_rankfile_module()
    label = schema.schema_for("cases.report_sent").label
    assert not isinstance(label, str)  # lazy: the language of the request that shows it, not of the import
    with translation.override("en"):
        assert str(label) == "A report was sent"


def test_a_label_does_not_make_an_action_defined_twice_differently():
    name = schema.define("test.labelled_twice", label="A test step was taken", fields={"n": schema.COUNT})
    assert schema.define(name, label="A test step was taken", fields={"n": schema.COUNT}) == name
    with pytest.raises(schema.LedgerSchemaError):
        schema.define(name, label="A test step was taken", fields={"m": schema.COUNT})
