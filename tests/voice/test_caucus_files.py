"""Files in a caucus's space: sealed for its members like case evidence, refused when too large or of a kind not
accepted, each open on the ledger, never opened by rank, and a clear error page when the vault lost one."""

import json

import pytest
from django.test import override_settings

from rankfile.errors import NotAllowed
from rankfile.ledger.models import Entry
from rankfile.vault.errors import VaultError
from rankfile.voice import actions, caucus_files
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.vault.helpers import PNG, upload
from tests.voice.helpers import formed_caucus, site_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    settings.VAULT_ROOT = tmp_path / "vault"
    return settings.VAULT_ROOT


def opened_by(item) -> int:
    return Entry.objects.filter(action="voice.caucus_file_opened", subject_id=str(item.pk)).count()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_member_adds_a_file_through_the_page_and_another_member_saves_it_on_the_ledger():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    rae, dora = org["rae"], org["dora"]
    added = signed_in(rae.user, rae.key).post(f"/voice/caucuses/{caucus.pk}/files/", {"file": upload(PNG, "flyer.png")})
    assert added.status_code == 302
    item = caucus.files.get()
    added_entry = Entry.objects.get(action="voice.caucus_file_added")
    assert added_entry.actor_type == "system"
    assert "caucus" not in json.loads(added_entry.data)
    member = signed_in(dora.user, dora.key)
    page = member.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    assert "flyer.png" in page
    read = Entry.objects.filter(action="voice.caucus_space_read").latest("seq")
    assert json.loads(read.data)["files"] == 1  # the page opened the file's sealed name
    saved = member.get(f"/voice/caucuses/{caucus.pk}/files/{item.pk}/")
    assert body(saved) == PNG
    assert saved["Content-Type"] == "image/png"
    assert saved["Content-Disposition"].startswith('attachment; filename="flyer.png"')
    assert opened_by(item) == 1
    assert Entry.objects.get(action="voice.caucus_file_opened").actor_type == "system"


def test_nobody_by_rank_opens_a_caucus_file_and_it_looks_missing_to_them():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    item = caucus_files.caucus_file_add(
        caucus=caucus, upload=upload(PNG, "plan.png"), by=org["rae"].user, key=org["rae"].key
    )
    admin = site_admin()
    for outsider in (admin, org["lee"], org["olu"]):
        with pytest.raises(NotAllowed):
            caucus_files.caucus_file_open(item=item, by=outsider.user, key=outsider.key)
        client = signed_in(outsider.user, outsider.key)
        real = client.get(f"/voice/caucuses/{caucus.pk}/files/{item.pk}/")
        made_up = client.get(f"/voice/caucuses/{caucus.pk}/files/987654/")
        assert real.status_code == made_up.status_code == 404
        assert client.post(f"/voice/caucuses/{caucus.pk}/files/", {"file": upload(PNG)}).status_code == 404
    assert caucus.files.count() == 1
    assert opened_by(item) == 0


@override_settings(VAULT_MAX_FILE_BYTES=1024)
def test_a_file_too_large_or_of_a_kind_not_accepted_is_refused_by_its_field_and_nothing_is_stored():
    org = cb.full_organization()
    caucus = formed_caucus(org)
    client = signed_in(org["rae"].user, org["rae"].key)
    too_large = client.post(f"/voice/caucuses/{caucus.pk}/files/", {"file": upload(PNG * 10, "big.png")})
    assert too_large.status_code == 400
    assert "files up to 1 KB are accepted" in too_large.content.decode()
    program = client.post(f"/voice/caucuses/{caucus.pk}/files/", {"file": upload(b"MZ\x90\x00" * 50, "run.exe")})
    assert program.status_code == 400
    assert "this kind of file is not accepted" in program.content.decode().lower()
    assert caucus.files.count() == 0
    assert not Entry.objects.filter(action="voice.caucus_file_added").exists()


def test_a_newcomer_receives_the_files_with_the_next_post_and_leaving_takes_them_back():
    org = cb.full_organization()
    caucus = formed_caucus(org, listed=True)
    rae, lee = org["rae"], org["lee"]
    item = caucus_files.caucus_file_add(caucus=caucus, upload=upload(PNG, "a.png"), by=rae.user, key=rae.key)
    actions.caucus_join(caucus=caucus, by=lee.user)
    assert caucus_files.caucus_space_read(caucus=caucus, by=lee.user, key=lee.key).files == []
    actions.caucus_post(caucus=caucus, text="Welcome.", by=rae.user, key=rae.key)
    [listed] = caucus_files.caucus_space_read(caucus=caucus, by=lee.user, key=lee.key).files
    assert (listed.name, listed.content_type) == ("a.png", "image/png")
    assert b"".join(caucus_files.caucus_file_open(item=item, by=lee.user, key=lee.key).chunks) == PNG
    actions.caucus_leave(caucus=caucus, by=lee.user)
    assert not item.document.versions.get().wrapped_keys.filter(keypair=lee.key.keypair).exists()
    with pytest.raises(NotAllowed):
        caucus_files.caucus_file_open(item=item, by=lee.user, key=lee.key)


def test_a_file_missing_from_the_vault_is_an_error_page_saying_to_restore_it_and_no_read_is_recorded(vault_root):
    org = cb.full_organization()
    caucus = formed_caucus(org)
    rae = org["rae"]
    item = caucus_files.caucus_file_add(caucus=caucus, upload=upload(PNG, "gone.png"), by=rae.user, key=rae.key)
    (vault_root / item.document.versions.get().blob).unlink()
    client = signed_in(rae.user, rae.key)
    response = client.get(f"/voice/caucuses/{caucus.pk}/files/{item.pk}/")
    assert response.status_code == 500
    assert not response.streaming
    assert "restore the vault directory from a backup" in response.content.decode()
    assert opened_by(item) == 0
    page = client.get(f"/voice/caucuses/{caucus.pk}/").content.decode()
    assert "its content is missing from the vault" in page
    with pytest.raises(VaultError):
        caucus_files.caucus_file_open(item=item, by=rae.user, key=rae.key)
