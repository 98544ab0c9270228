"""One key for the least founders of a caucus: voice.caucus_minimum. The old ``[caucus] minimum_members`` of older
bylaws files is read as it, or refused with a message saying which to keep when the file gives both differently."""

from datetime import date

import pytest

from rankfile.errors import InvalidInput
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions, bylaws
from rankfile.org.models import BylawsVersion
from rankfile.voice.actions import voice_rules

pytestmark = pytest.mark.django_db

OLD_FILE = """
[caucus]
minimum_members = 4
"""


def adopt(text: str) -> BylawsVersion:
    return actions.bylaws_adopt(
        document=bylaws.from_toml(text), effective_from=date(2024, 6, 1), adopted_by_vote="Motion 3", by=OPERATOR
    )


def test_the_defaults_hold_only_voice_caucus_minimum():
    document = bylaws.defaults()
    assert "caucus" not in document
    assert document["voice"]["caucus_minimum"] == 3


def test_an_older_file_with_caucus_minimum_members_is_read_as_voice_caucus_minimum():
    version = adopt(OLD_FILE)
    assert "caucus" not in version.document
    assert version.document["voice"]["caucus_minimum"] == 4
    assert voice_rules(day=date(2024, 6, 2))["caucus_minimum"] == 4


def test_the_same_number_under_both_names_is_accepted():
    version = adopt(OLD_FILE + "\n[voice]\ncaucus_minimum = 4\n")
    assert version.document["voice"]["caucus_minimum"] == 4


def test_different_numbers_under_both_names_are_refused_saying_which_to_keep():
    with pytest.raises(InvalidInput) as refused:
        adopt(OLD_FILE + "\n[voice]\ncaucus_minimum = 3\n")
    [problem] = [str(p) for p in refused.value.field_errors["document"]]
    assert problem.startswith("caucus.minimum_members: the old name of voice.caucus_minimum")
    assert problem.endswith("keep only voice.caucus_minimum")
    assert not BylawsVersion.objects.exists()


def test_the_old_number_is_held_to_the_new_keys_limits_and_anything_else_under_caucus_is_refused():
    with pytest.raises(InvalidInput) as too_few:
        adopt("[caucus]\nminimum_members = 1\n")
    assert [str(p) for p in too_few.value.field_errors["document"]] == [
        "voice.caucus_minimum: a whole number from 2 to 1000"
    ]
    with pytest.raises(InvalidInput) as other:
        adopt("[caucus]\nveto = true\n")
    assert str(other.value.field_errors["document"][0]).startswith("caucus: no longer a part of the bylaws")
