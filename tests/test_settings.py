"""Settings come from the environment; mistakes in it get a message that says what to fix."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection


def rankfile(*args: str, env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("RANKFILE_", "DJANGO_"))}
    full_env.update({"RANKFILE_DATA_DIR": str(data_dir), **env})
    return subprocess.run(
        [sys.executable, "-m", "rankfile", *args, *(["--no-imports"] if args[0] == "shell" else [])],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "RANKFILE_BASE_URL": "https://rankfile.example.org",
    "RANKFILE_SECRET_KEY": "a-long-random-production-key-9f8e7d6c5b4a39281706fedcba",
    "RANKFILE_EMAIL_BACKEND": "smtp",
    "RANKFILE_DATABASE_URL": "sqlite:///:memory:",
}


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = rankfile("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_about_plain_http(tmp_path):
    result = rankfile(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "RANKFILE_BASE_URL": "http://x.example.org"},
        data_dir=tmp_path,
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr or "SECURE_HSTS_SECONDS" in result.stderr


def test_secret_key_from_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 60 + "\n")
    env = {**PRODUCTION, "RANKFILE_SECRET_KEY": "", "RANKFILE_SECRET_KEY_FILE": str(key_file)}
    result = rankfile(
        "shell", "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))", env=env, data_dir=tmp_path
    )
    assert result.stdout.strip() == "60", result.stderr


def test_secret_key_is_generated_once_into_the_data_directory(tmp_path):
    show = ("shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    first = rankfile(*show, env={}, data_dir=tmp_path)
    second = rankfile(*show, env={}, data_dir=tmp_path)
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RANKFILE_DEBUG": "maybe"}, "RANKFILE_DEBUG must be true or false"),
        ({"RANKFILE_SESSION_IDLE_MINUTES": "ten"}, "RANKFILE_SESSION_IDLE_MINUTES must be a whole number"),
        ({"RANKFILE_BASE_URL": "ftp://example.org"}, "RANKFILE_BASE_URL must be an http(s) address"),
        ({"RANKFILE_EMAIL_BACKEND": "pigeon"}, "RANKFILE_EMAIL_BACKEND must be one of"),
        ({"RANKFILE_SECRET_KEY_FILE": "/nonexistent/key"}, "cannot be read"),
    ],
)
def test_bad_environment_is_explained(tmp_path, env, message):
    result = rankfile("check", env=env, data_dir=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_postgresql_by_url_its_connections_without_jit(tmp_path):
    env = {"RANKFILE_DATABASE_URL": "postgres://user:pw@db.example.org:5433/rankfile"}
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['OPTIONS']['options'])"
    )
    result = rankfile("shell", "-c", code, env=env, data_dir=tmp_path)
    # JIT compiled the case rules' queries for seconds where they run in milliseconds (docs/deployment.md)
    expected = ["django.db.backends.postgresql", "db.example.org", "5433", "-c", "jit=off"]
    assert result.stdout.split() == expected, result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a setting of PostgreSQL's")
def test_postgresql_runs_the_queries_of_the_tests_without_jit_too():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_uses_wal_and_immediate_transactions_that_reach_the_disk_before_they_are_reported_done(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "mode = c.fetchone()[0]; c.execute('PRAGMA synchronous');"
        "print(mode, connection.settings_dict['OPTIONS']['transaction_mode'], c.fetchone()[0])"
    )
    result = rankfile("shell", "-c", code, env={}, data_dir=tmp_path)
    # synchronous 2 is FULL: a commit a person was told of outlasts a power cut (docs/deployment.md)
    assert result.stdout.split() == ["wal", "IMMEDIATE", "2"], result.stderr


def _setting(name: str, *, env: dict[str, str], data_dir: Path) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    result = rankfile("shell", "-c", code, env=env, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_in_email_follow_the_address_the_server_listens_on(tmp_path):
    assert _setting("BASE_URL", env={}, data_dir=tmp_path) == "http://127.0.0.1:8000"
    assert _setting("BASE_URL", env={"RANKFILE_BIND": "127.0.0.1:8731"}, data_dir=tmp_path) == "http://127.0.0.1:8731"
    behind_a_proxy = {"RANKFILE_BIND": "127.0.0.1:8731", "RANKFILE_BASE_URL": "https://rankfile.example.org/"}
    assert _setting("BASE_URL", env=behind_a_proxy, data_dir=tmp_path) == "https://rankfile.example.org"


def test_the_organization_is_named_by_the_environment_else_by_the_data_directory(tmp_path):
    assert _setting("ORG_NAME", env={}, data_dir=tmp_path) == "Rankfile"
    (tmp_path / "org_name").write_text("Harbour Tenants' Union\n", encoding="utf-8")
    assert _setting("ORG_NAME", env={}, data_dir=tmp_path) == "Harbour Tenants' Union"
    assert _setting("ORG_NAME", env={"RANKFILE_ORG_NAME": "Co-op"}, data_dir=tmp_path) == "Co-op"
