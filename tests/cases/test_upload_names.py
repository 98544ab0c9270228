"""The name of an uploaded file is case material (DESIGN.md invariant 4): the confirmation says that a file was added,
never its name, so the name travels in no cookie and lands in no session row. The page lists it, opened from the
vault; in the database it is only sealed. Each path that takes a file is tried: the reporter's evidence, a document
the panel adds, a document a party adds; with messages kept in a cookie (falling back to the session, as configured)
and kept in the session."""

import os
import re
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.test import Client

from rankfile.cases.models import Report
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.vault.helpers import PDF, database_rows_holding, forms_of, upload

pytestmark = pytest.mark.django_db

STORAGES = {
    "cookie, falling back to the session": "django.contrib.messages.storage.fallback.FallbackStorage",
    "session": "django.contrib.messages.storage.session.SessionStorage",
}


@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    settings.VAULT_ROOT = tmp_path / "vault"


@pytest.fixture(params=list(STORAGES), ids=list(STORAGES))
def message_storage(request, settings):
    settings.MESSAGE_STORAGE = STORAGES[request.param]


def long_name() -> tuple[str, str]:
    """A distinctive file name, as long as an upload keeps (255 characters), and the sentinel in it that no page text
    has."""
    sentinel = f"SENTINEL-{os.urandom(6).hex()}"
    stem = f"Notes of what Ray said to me after the branch meeting {sentinel} "
    return (stem * 5)[: 255 - len(".pdf")].strip() + ".pdf", sentinel


def cookie_texts(cookies: SimpleCookie) -> list[str]:
    """Each cookie's value, and for the messages cookie what it decodes to (it may be compressed)."""
    texts = []
    for morsel in cookies.values():
        texts.append(morsel.value)
        if morsel.key == CookieStorage.cookie_name and morsel.value:
            request = HttpRequest()
            request.COOKIES[morsel.key] = morsel.value
            texts.append(" ".join(str(message) for message in CookieStorage(request)))
    return texts


def session_texts() -> list[str]:
    return [text for s in Session.objects.all() for text in (s.session_data, repr(s.get_decoded()))]


def assert_the_name_is_only_on_the_page(
    client: Client, url: str, post: Callable[[str], Any], confirmation: str
) -> None:
    """Upload a file with ``post``; then no cookie, session row or database row holds its name, and the page says
    ``confirmation`` and lists the file, opened from the vault."""
    name, sentinel = long_name()
    response = post(name)
    assert response.status_code == 302, response.content.decode()
    texts = cookie_texts(response.cookies) + cookie_texts(client.cookies) + session_texts()
    assert [text for text in texts if any(form in text.encode() for form in forms_of(sentinel))] == []
    assert database_rows_holding(sentinel) == []
    page = client.get(url).content.decode()
    assert confirmation in page
    assert sentinel in page


def test_invariant_4_the_name_of_a_reporters_file_is_in_no_cookie_session_or_database_row(message_storage):
    org = cb.full_organization()
    rae = org["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    url = f"/report/{report.pk}/"

    def attach(name: str) -> Any:
        return client.post(url, {"step": "evidence", "file": upload(PDF, name)})

    assert_the_name_is_only_on_the_page(client, url, attach, "Your file was added.")


def test_invariant_4_the_name_of_a_file_the_panel_adds_is_in_no_cookie_session_or_database_row(message_storage):
    org = cb.full_organization()
    case = cb.investigating(org)
    dana = org["dana"]
    client = signed_in(dana.user, dana.key)
    url = f"/cases/case/{case.reference}/"

    def add(name: str) -> Any:
        data = {
            "step": "document",
            "document-kind": "evidence",
            "document-title": "",
            "document-file": upload(PDF, name),
        }
        return client.post(url, data)

    assert_the_name_is_only_on_the_page(client, url, add, "The document was added, sealed for the panel.")


@pytest.mark.parametrize("party", ["rae", "ray"])
def test_invariant_4_the_name_of_a_file_a_party_adds_is_in_no_cookie_session_or_database_row(message_storage, party):
    org = cb.full_organization()
    case = cb.investigating(org)
    who = org[party]
    client = signed_in(who.user, who.key)
    url = f"/cases/mine/{case.reference}/"

    def add(name: str) -> Any:
        data = {
            "step": "party_document",
            "document-kind": "evidence",
            "document-title": "",
            "document-file": upload(PDF, name),
        }
        return client.post(url, data)

    assert_the_name_is_only_on_the_page(client, url, add, "It was added for the panel and your side of the case.")


def test_a_partys_document_form_says_that_the_title_is_not_sealed():
    org = cb.full_organization()
    case = cb.investigating(org)
    ray = org["ray"]
    page = signed_in(ray.user, ray.key).get(f"/cases/mine/{case.reference}/").content.decode()
    field = re.search(r'<input type="text" name="document-title"[^>]*>', page)
    assert field
    assert 'aria-describedby="id_document-title_helptext"' in field.group(0)
    help_text = page.split('id="id_document-title_helptext"', 1)[1].split("</", 1)[0]
    assert "The title is not sealed" in help_text
    assert "no names, no content" in help_text
