"""The Ledger page in words: each entry says what happened, who did it, when (one date format) and what it is about,
linked where the reader may open it; the hashes and the proof are folded away; fifty entries a page, the filters kept
from page to page. The proof page says what it proves before it shows how."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape

from rankfile.governance import mandates
from rankfile.governance.models import Mandate, Vote
from rankfile.ledger import actions as ledger
from rankfile.ledger.models import Entry
from rankfile.ledger.views import ENTRIES_PER_PAGE
from rankfile.org.models import Body
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.ledger.helpers import append
from tests.ledger.test_pages_actors import entry_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> cb.Org:
    return cb.full_organization()


def outside_details(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.DOTALL)


def adopted_mandate(org: cb.Org) -> Mandate:
    reference = cb.convention_vote(org, text="That the steering committee publishes its accounts.", about="", effect="")
    vote = Vote.objects.get(reference=reference)
    return mandates.mandate_adopt(
        vote=vote,
        title="Publish the accounts",
        text="The steering committee publishes its accounts.",
        responsible_body=org.steering,
        due_within_days=30,
        visibility="members",
        by=ledger.OPERATOR,
    )


def test_an_entry_says_what_happened_by_whom_and_when_and_folds_the_hashes_away(org):
    case = cb.noticed(org)
    notice = Entry.objects.filter(action="cases.notice_given").latest("seq")
    html = signed_in(org["oona"].user, org["oona"].key).get("/ledger/").content.decode()
    row = entry_rows(html)[notice.seq]
    shown = outside_details(row)
    assert "Notice was given to the respondent" in shown
    assert f"case {case.reference}" in shown
    assert '<a href="/org/people/' in shown
    assert "Dana Discipline" in shown
    when = timezone.localtime(notice.recorded_at_time)
    assert f'<time datetime="{notice.recorded_at}">{date_format(when, "j F Y, H:i")}</time>' in shown
    # The technical part is there, folded away: the action's code, the data, the leaf hash, the proof.
    assert bytes(notice.leaf_hash).hex() in row
    assert bytes(notice.leaf_hash).hex() not in shown
    assert "cases.notice_given" not in shown
    assert "cases.notice_given" in row
    assert escape(notice.data) in row
    assert escape(notice.data) not in shown
    assert f"/ledger/entries/{notice.seq}/proof/" in row
    assert f"/ledger/entries/{notice.seq}/proof/" not in shown


def test_a_case_is_named_but_not_linked_for_the_oversight_body_that_does_not_run_it(org):
    case = cb.noticed(org)
    html = signed_in(org["oona"].user, org["oona"].key).get("/ledger/").content.decode()
    assert f"case {case.reference}" in html
    assert f"/cases/case/{case.reference}/" not in html


def test_what_an_entry_is_about_links_to_its_page_where_the_reader_may_open_it(org):
    adopted = adopted_mandate(org)
    steering = Body.objects.get(pk=org.steering.pk)
    oona = signed_in(org["oona"].user, org["oona"].key)
    html = oona.get("/ledger/").content.decode()
    adoption = Entry.objects.get(action="governance.mandate_adopted")
    row = outside_details(entry_rows(html)[adoption.seq])
    assert "A mandate was adopted" in row
    assert f'<a href="/mandates/{adopted.reference}/">mandate {adopted.reference}</a>' in row
    created = Entry.objects.get(action="org.body_created", subject_id=steering.pk)
    bodies = oona.get("/ledger/", {"action": "org.body_created"}).content.decode()
    assert f'<a href="/org/bodies/{steering.slug}/">{steering.name}</a>' in entry_rows(bodies)[created.seq]
    # A deadline is named by its kind of step, nothing about the matter.
    timer = Entry.objects.filter(action="deadlines.set").latest("seq")
    assert "the deadline for carrying out a mandate" in entry_rows(html)[timer.seq]


def test_fifty_entries_a_page_and_the_filter_kept_from_page_to_page(client, admin):
    append(ENTRIES_PER_PAGE * 2 + 20)
    client.force_login(admin)
    first = client.get("/ledger/", {"action": "test."}).content.decode()
    assert ENTRIES_PER_PAGE == 50
    assert len(entry_rows(first)) == 50
    # Filtered, the entries are not counted (that could read a million of them): the page says which page it is.
    assert "Matching entries 1 to 50, newest first." in first
    assert "<span>Page 1</span>" in first
    assert "?action=test.&amp;page=2" in first
    last = client.get("/ledger/", {"action": "test.", "page": 3}).content.decode()
    assert len(entry_rows(last)) == 20
    assert all("A test step was taken" in row for row in entry_rows(last).values())
    assert "<span>Page 3</span>" in last
    assert "?action=test.&amp;page=2" in last
    assert "page=4" not in last
    past = client.get("/ledger/", {"action": "test.", "page": 9}).content.decode()
    assert "No entries on this page: the matching entries end before it." in past
    assert '<a href="?action=test.">The newest matching entries</a>' in past


def test_the_whole_ledger_is_counted_by_its_last_entry_and_a_far_page_found_by_entry_numbers(client, db):
    oona = cb.full_organization()["oona"]
    entries = append(ENTRIES_PER_PAGE * 3 + 7)
    watcher = signed_in(oona.user, oona.key)
    size = Entry.objects.count()
    assert size == entries[-1].seq
    first = watcher.get("/ledger/").content.decode()
    assert f"Entries 1 to 50 of {size}, newest first." in first
    assert list(entry_rows(first)) == list(range(size, size - 50, -1))
    last_page = -(-size // ENTRIES_PER_PAGE)
    assert f"Page 1 of {last_page}" in first
    far = watcher.get("/ledger/", {"page": last_page}).content.decode()
    assert list(entry_rows(far)) == list(range(size - (last_page - 1) * 50, 0, -1))
    assert "Older" not in far
    assert "page=" + str(last_page - 1) in far
    # Past the last page: the last page.
    assert list(entry_rows(watcher.get("/ledger/", {"page": 10**9}).content.decode())) == list(entry_rows(far))
    assert list(entry_rows(watcher.get("/ledger/", {"page": "x"}).content.decode())) == list(entry_rows(first))


def test_the_proof_page_says_in_plain_words_what_it_shows_and_folds_the_hashes_away(client, db):
    entries = append(5)
    checkpoint = ledger.checkpoint_create()
    html = client.get(f"/ledger/entries/{entries[3].seq}/proof/").content.decode()
    shown = outside_details(html)
    assert f"Entry {entries[3].seq} is part of the ledger signed at {checkpoint.size} entries" in shown
    assert "nobody has changed it since it was recorded" in shown
    assert "If anyone had changed or deleted this entry afterwards" in shown
    root = bytes(checkpoint.root).hex()
    assert root in html
    assert root not in shown
    assert bytes(entries[3].leaf_hash).hex() not in shown
    assert checkpoint.note.split("\n")[2] not in shown
    assert '<details class="proof-technical">' in html


def test_the_proof_page_tells_the_watcher_what_the_entry_says_in_words(org):
    case = cb.noticed(org)
    notice = Entry.objects.filter(action="cases.notice_given").latest("seq")
    ledger.checkpoint_create()
    html = signed_in(org["oona"].user, org["oona"].key).get(f"/ledger/entries/{notice.seq}/proof/").content.decode()
    shown = outside_details(html)
    assert "Notice was given to the respondent" in shown
    assert f"case {case.reference}" in shown
    assert "Dana Discipline" in shown
    assert escape(notice.data) not in shown
    assert escape(notice.data) in html


def test_a_late_page_number_says_the_entries_end_before_it_where_they_are_not_counted(client, admin):
    append(3)
    client.force_login(admin)  # a site administrator: some entries are kept from them, so the list is not counted
    page = client.get("/ledger/", {"page": 99})
    assert page.status_code == 200
    assert "No entries on this page: the matching entries end before it." in page.content.decode()


def test_times_are_shown_in_the_organizations_time_zone(client, admin, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    [entry] = append(1)
    client.force_login(admin)
    html = client.get("/ledger/").content.decode()
    berlin = timezone.localtime(entry.recorded_at_time, timezone.get_default_timezone())
    assert date_format(berlin, "j F Y, H:i") in entry_rows(html)[entry.seq]
    assert berlin.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
