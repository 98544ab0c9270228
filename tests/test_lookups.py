"""A whole number no column can hold matches no row, in a list as on its own (rankfile/lookups.py)."""

import pytest

from rankfile.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_number_no_column_holds_matches_no_row_in_a_list_and_the_others_still_match(member: User) -> None:
    users = User.objects.all()
    assert list(users.filter(pk__in=[2**64])) == []
    assert list(users.filter(pk__in=[-(2**70), 2**64, member.pk])) == [member]
    assert list(users.filter(pk__in=[str(2**64), str(member.pk)])) == [member]
    assert list(users.exclude(pk__in=[2**64])) == [member]
