"""Shapes of the case queries that PostgreSQL plans badly otherwise (bench/README.md, "PostgreSQL at scale 1"): the
rule stays the one in cases/policy.py; only how its SQL is written changes."""

import pytest

from rankfile.cases import policy as case_policy
from rankfile.cases.models import Case
from tests.cases.builders import member

pytestmark = pytest.mark.django_db


def test_the_parties_of_a_login_are_found_on_the_partys_own_columns_not_through_the_person_key_and_adviser():
    # An OR across the joined person, key and adviser made PostgreSQL walk every party of every case (65 ms on
    # every page's menu at 10,000 cases); on the party's columns it finds the few by their indexes.
    who = member("Pat Party")
    sql = str(Case.objects.filter(case_policy.login_party_q(who.user, prefix="parties__")).query)
    assert 'JOIN "org_person"' not in sql, sql
    assert 'JOIN "vault_keypair"' not in sql, sql
    assert '"cases_party"."person_id" =' in sql, sql
