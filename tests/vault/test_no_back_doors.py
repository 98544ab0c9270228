"""No back doors: no admin site, page, API or command shows sealed content, and rank opens nothing."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import get_resolver

from rankfile.errors import NotAllowed
from rankfile.vault import documents
from tests.vault.helpers import LedgeredRead, key_for

pytestmark = pytest.mark.django_db


def all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from all_url_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def test_there_is_no_django_admin_site():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not [route for route, _ in all_url_patterns() if route.startswith("admin")]


def test_the_admin_address_is_not_found(client, admin):
    client.force_login(admin)
    assert client.get("/admin/").status_code == 404


def test_no_page_or_api_endpoint_belongs_to_the_vault():
    vault_views = [
        route
        for route, pattern in all_url_patterns()
        if getattr(pattern.callback, "__module__", "").startswith("rankfile.vault")
    ]
    assert vault_views == []


def test_invariant_5_a_site_administrator_cannot_open_what_is_not_theirs(admin, reporter):
    reporters_key = key_for(reporter)
    admins_key = key_for(admin)
    assert admin.is_site_admin
    version = documents.seal(kind="narrative", content="only mine", readers=[reporters_key.keypair])
    with pytest.raises(NotAllowed):
        documents.open_text(version, key=admins_key, purpose=LedgeredRead())


def test_the_user_model_has_no_rank_that_passes_every_check(admin):
    assert not hasattr(admin, "is_superuser")
    assert not hasattr(admin, "is_staff")


def test_no_command_shows_sealed_content():
    listed = subprocess.run(
        [sys.executable, "-m", "rankfile", "help", "--commands"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "vault" in listed
    vault_help = subprocess.run(
        [sys.executable, "-m", "rankfile", "vault", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "{sweep,check}" in vault_help  # maintenance only (check compares hashes): nothing opens, prints or exports
    assert "shell_plus" not in listed


def test_every_way_to_open_needs_a_key_and_a_purpose_with_no_default():
    """What a shell user could call: each function that returns content demands both, and the vault has no
    other function that decrypts a version."""
    import inspect

    from rankfile.vault import crypto

    openers = [documents.open_text, documents.open_bytes, documents.open_file]
    for opener in openers:
        parameters = inspect.signature(opener).parameters
        for name in ("key", "purpose"):
            assert parameters[name].default is inspect.Parameter.empty, (opener.__name__, name)
    callers_of_decrypt = [
        name
        for name, function in inspect.getmembers(documents, inspect.isfunction)
        if function.__module__ == documents.__name__ and "crypto.decrypt(" in inspect.getsource(function)
    ]
    assert callers_of_decrypt == ["_opened"]
    assert crypto.decrypt.__module__ == "rankfile.vault.crypto"
