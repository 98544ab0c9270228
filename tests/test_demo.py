import pytest
from django.core.management import call_command

from rankfile.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_loads_into_an_empty_database_and_prints_working_logins(tmp_path, capsys, client):
    logins = tmp_path / "demo-logins.txt"
    call_command("demo", "--logins-file", str(logins))
    out = capsys.readouterr().out
    assert "admin@example.org" in out
    assert "member@example.org" in out
    line = next(line for line in out.splitlines() if "admin@example.org" in line)
    password = line.split("password:")[1].split()[0]
    response = client.post("/accounts/login/", {"login": "admin@example.org", "password": password})
    assert response.status_code == 302
    assert User.objects.get(email="admin@example.org").is_site_admin


def test_demo_leaves_a_database_with_accounts_alone(tmp_path, capsys, member):
    call_command("demo", "--logins-file", str(tmp_path / "logins.txt"))
    assert "no demo loaded" in capsys.readouterr().out
    assert User.objects.count() == 1


def test_demo_prints_the_same_logins_again(tmp_path, capsys):
    logins = tmp_path / "demo-logins.txt"
    call_command("demo", "--logins-file", str(logins))
    first = capsys.readouterr().out
    call_command("demo", "--logins-file", str(logins))
    assert capsys.readouterr().out == first
