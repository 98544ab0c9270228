"""The tracker's pages and files: what members and the public see, the progress form, following, the calendar
feed and the CSV export."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar

from rankfile.governance import demo as governance_demo
from rankfile.governance import mandates
from rankfile.governance.feeds import calendar_of, spreadsheet_safe
from rankfile.governance.models import Mandate
from rankfile.ledger.actions import OPERATOR
from rankfile.org import demo
from tests.governance.builders import login, mandate, organization, person_for, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


@pytest.fixture
def member_login(member):
    person_for(member)
    return member


@pytest.fixture
def steward_login(org, leader):
    seat(person_for(leader), org.steering, role="chair")
    return leader


def titled(org, title: str, **kw) -> Mandate:
    adopted = mandate(org, **kw)
    Mandate.objects.filter(pk=adopted.pk).update(title=title)
    adopted.refresh_from_db()
    return adopted


def test_the_tracker_shows_overdue_mandates_first_in_words_with_counts(client, org, member_login):
    titled(org, "Organize a conference", days=60)
    titled(org, "Publish an apology", adopted_days_ago=100, days=90)
    client.force_login(member_login)
    response = client.get("/mandates/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Publish an apology") < page.index("Organize a conference")
    assert ">Overdue</span>" in page
    assert "<strong>1</strong> overdue" in page
    assert "<strong>2</strong> not started" in page
    assert "<td>Steering Committee</td>" in page


def test_the_tracker_filters_with_a_plain_get_form(client, org, member_login):
    titled(org, "For the steering committee", days=60)
    titled(org, "For the national committee", days=60, responsible=org.national)
    titled(org, "Late and open", adopted_days_ago=100, days=90)
    client.force_login(member_login)
    page = client.get("/mandates/", {"body": org.national.slug}).content.decode()
    assert "For the national committee" in page
    assert "For the steering committee" not in page
    page = client.get("/mandates/", {"overdue": "yes"}).content.decode()
    assert "Late and open" in page
    assert "For the national committee" not in page
    today = timezone.localdate()
    page = client.get("/mandates/", {"due_until": today.isoformat()}).content.decode()
    assert "Late and open" in page
    assert "For the steering committee" not in page
    page = client.get("/mandates/", {"status": "not-a-status"}).content.decode()
    assert "Select a valid choice" in page


def test_the_tracker_needs_a_login_and_the_public_tracker_does_not(client, org):
    titled(org, "Public apology", visibility="public")
    assert client.get("/mandates/").status_code == 302
    assert "Public apology" in client.get("/public/mandates/").content.decode()


def test_public_pages_show_no_members_only_mandate(client, org, member_login):
    public = titled(org, "Publish public perspectives", visibility="public")
    private = titled(org, "Internal budget review", visibility="members")
    page = client.get("/public/mandates/").content.decode()
    assert "Publish public perspectives" in page
    assert "Internal budget review" not in page
    assert "<strong>1</strong> not started" in page  # the public one only
    assert client.get(f"/public/mandates/{public.reference}/").status_code == 200
    assert client.get(f"/public/mandates/{private.reference}/").status_code == 404
    feed = client.get("/public/mandates/calendar.ics").content.decode()
    assert "Publish public perspectives" in feed
    assert "Internal budget review" not in feed
    # Signed in as a member, the public pages still show public mandates only.
    client.force_login(member_login)
    assert "Internal budget review" not in client.get("/public/mandates/").content.decode()
    assert client.get(f"/public/mandates/{private.reference}/").status_code == 404
    assert client.get(f"/mandates/{private.reference}/").status_code == 200


def test_public_mandate_pages_name_no_poster(client, org, steward_login):
    public = titled(org, "Public apology", visibility="public")
    mandates.progress_post(mandate=public, status="in_progress", text="Drafting.", by=steward_login)
    page = client.get(f"/public/mandates/{public.reference}/").content.decode()
    assert "Drafting." in page
    assert "Lee Leader" not in page


def test_a_member_without_rights_cannot_post_progress(client, org, member_login):
    adopted = titled(org, "Publish an apology")
    client.force_login(member_login)
    page = client.get(f"/mandates/{adopted.reference}/").content.decode()
    assert "Report progress" not in page
    response = client.post(f"/mandates/{adopted.reference}/", {"status": "in_progress", "text": "Sneaky."})
    assert response.status_code == 404
    adopted.refresh_from_db()
    assert adopted.status == "not_started"
    assert not adopted.updates.exists()


def test_the_responsible_body_reports_progress_and_sees_errors_by_field(client, org, steward_login):
    adopted = titled(org, "Publish an apology")
    client.force_login(steward_login)
    page = client.get(f"/mandates/{adopted.reference}/").content.decode()
    assert "Report progress" in page
    refused = client.post(f"/mandates/{adopted.reference}/", {"status": "done", "text": "All done."})
    assert refused.status_code == 400
    assert 'href="#id_delivered"' in refused.content.decode()
    blocked = client.post(f"/mandates/{adopted.reference}/", {"status": "blocked", "percent": "10"})
    assert 'href="#id_text"' in blocked.content.decode()
    too_much = client.post(f"/mandates/{adopted.reference}/", {"status": "in_progress", "percent": "150"})
    assert 'href="#id_percent"' in too_much.content.decode()
    posted = client.post(
        f"/mandates/{adopted.reference}/",
        {"status": "in_progress", "percent": "40", "text": "Drafted.", "links": "https://example.org/draft\n"},
    )
    assert posted.status_code == 302
    done = client.post(f"/mandates/{adopted.reference}/", {"status": "done", "delivered": "Published on the website."})
    assert done.status_code == 302
    adopted.refresh_from_db()
    assert (adopted.status, adopted.percent) == ("done", 100)
    page = client.get(f"/mandates/{adopted.reference}/").content.decode()
    assert page.index("Published on the website.") < page.index("Drafted.")  # newest first
    assert "https://example.org/draft" in page
    assert "Report progress" not in page  # done takes no more updates
    assert "/ledger/entries/" in page


def test_the_history_links_each_ledgered_event_to_its_proof(client, org, member_login):
    adopted = titled(org, "Publish an apology")
    client.force_login(member_login)
    page = client.get(f"/mandates/{adopted.reference}/").content.decode()
    seq = adopted.terms.get().ledger_seq
    assert f'href="/ledger/entries/{seq}/proof/"' in page
    assert "adopted by a vote at Meeting" in page


def test_a_member_follows_and_unfollows_a_mandate(client, org, member_login):
    adopted = titled(org, "Publish an apology")
    client.force_login(member_login)
    assert client.post(f"/mandates/{adopted.reference}/follow/").status_code == 302
    assert adopted.follows.filter(user=member_login, ended_at__isnull=True).exists()
    assert "Unfollow" in client.get(f"/mandates/{adopted.reference}/").content.decode()
    assert client.post(f"/mandates/{adopted.reference}/unfollow/").status_code == 302
    assert not adopted.follows.filter(user=member_login, ended_at__isnull=True).exists()
    assert client.get(f"/mandates/{adopted.reference}/follow/").status_code == 405


def test_someone_who_may_not_see_a_mandate_finds_nothing(client, org):
    private = titled(org, "Internal budget review")
    ally = login("Al Ally")
    client.force_login(ally)
    assert client.get(f"/mandates/{private.reference}/").status_code == 404
    assert client.post(f"/mandates/{private.reference}/follow/").status_code == 404
    assert client.get("/mandates/CONV-1999-M1.1/").status_code == 404
    assert "Internal budget review" not in client.get("/mandates/").content.decode()


def test_the_calendar_has_one_all_day_event_per_open_mandate_the_member_may_see(client, org, member_login):
    open_one = titled(org, "Organize a conference; plan, book, invite", days=60)
    done = titled(org, "Form a commission", days=30)
    mandates.progress_post(mandate=done, status="done", delivered="Formed.", by=OPERATOR)
    client.force_login(member_login)
    response = client.get("/mandates/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    (event,) = events
    assert event.decoded("DTSTART") == open_one.due_on
    assert event.decoded("DTEND") == open_one.due_on + timedelta(days=1)
    assert str(event["SUMMARY"]) == f"Due: Organize a conference; plan, book, invite ({open_one.reference})"
    assert str(event["URL"]).endswith(f"/mandates/{open_one.reference}/")
    assert "Form a commission" not in response.content.decode()
    client.logout()
    assert client.get("/mandates/calendar.ics").status_code == 302


def test_the_calendar_lists_the_open_mandates_overdue_first_then_by_due_day(client, org, member_login):
    later = titled(org, "Later", days=60)
    late = titled(org, "Late", adopted_days_ago=100, days=90)
    sooner = titled(org, "Sooner", days=10)
    client.force_login(member_login)
    events = Calendar.from_ical(client.get("/mandates/calendar.ics").content).walk("VEVENT")
    assert [str(event["SUMMARY"]).split(" (")[0] for event in events] == ["Due: Late", "Due: Sooner", "Due: Later"]
    uids = [str(event["UID"]).split("@")[0] for event in events]
    assert uids == [f"mandate-{m.reference}" for m in (late, sooner, later)]


def test_calendar_lines_are_folded_at_75_octets_and_read_back_whole():
    long_title = "Veröffentlichung der Perspektiven des Parteitags, mit Übersetzungen; " * 3
    feed = calendar_of([("CONV-2026-M3.1", long_title, date(2026, 3, 31), "in_progress", "NC")], name="Test")
    assert all(len(line) <= 75 for line in feed.split(b"\r\n"))
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Due: {long_title} (CONV-2026-M3.1)"


def test_long_plain_lines_are_folded_at_75_octets_and_each_event_keeps_its_own_words():
    title = "Publish the perspectives of the convention, with translations; " * 3
    body = "National Committee of the Organization, " * 3
    events = [(f"CONV-2026-M3.{n}", title, date(2026, 3, 31), status, body) for n, status in ((1, "blocked"), (2, "x"))]
    feed = calendar_of(events, name="Test")
    lines = feed.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert sum(len(line) == 75 for line in lines) >= 4  # the summaries and descriptions, cut at the limit
    first, second = Calendar.from_ical(feed).walk("VEVENT")
    assert str(first["SUMMARY"]) == f"Due: {title} (CONV-2026-M3.1)"
    assert str(first["DESCRIPTION"]) == f"Responsible: {body}\nStatus: blocked"
    assert str(second["DESCRIPTION"]) == f"Responsible: {body}\nStatus: x"


def test_the_csv_export_follows_the_filters_and_defuses_formulas(client, org, member_login):
    titled(org, '=HYPERLINK("http://evil.example")', days=60)
    titled(org, "For the national committee", days=60, responsible=org.national)
    client.force_login(member_login)
    response = client.get("/mandates/export.csv", {"body": org.steering.slug})
    assert response["Content-Disposition"] == 'attachment; filename="mandates.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["reference", "title", "responsible body"]
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'


def test_the_csv_export_gives_each_status_and_visibility_code_its_words_beside_it(client, org, member_login):
    adopted = titled(org, "Organize a conference", days=60)
    Mandate.objects.filter(pk=adopted.pk).update(status="in_progress")
    client.force_login(member_login)
    rows = list(csv.reader(io.StringIO(client.get("/mandates/export.csv").content.decode())))
    (row,) = (dict(zip(rows[0], cells, strict=True)) for cells in rows[1:])
    assert (row["status"], row["status in words"]) == ("in_progress", "In progress")
    assert (row["visibility"], row["visibility in words"]) == ("members", "Members only")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_spreadsheet_formulas_are_prefixed(value):
    assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("A plain title") == "A plain title"


def test_every_demo_mandate_page_renders_for_a_member_and_public_ones_for_anyone(client):
    demo.load(members=60)
    governance_demo.load()
    anonymous_client = client.__class__()
    client.force_login(get_user_model().objects.get(name="Mo Member"))
    tracker = client.get("/mandates/").content.decode()
    assert tracker.count("overdue-mark") == 2
    for adopted in Mandate.objects.all():
        page = client.get(f"/mandates/{adopted.reference}/").content.decode()
        motion = adopted.adopted_by_vote.motion
        assert f'href="/meetings/{motion.meeting.reference}/#motion-{motion.number}"' in page
        public = anonymous_client.get(f"/public/mandates/{adopted.reference}/")
        assert public.status_code == (200 if adopted.visibility == "public" else 404)


def test_members_read_meetings_with_their_votes_and_the_mandates_they_adopted(client, org, member_login):
    adopted = titled(org, "Publish an apology")
    meeting = adopted.adopted_by_vote.motion.meeting
    client.force_login(member_login)
    assert meeting.reference in client.get("/meetings/").content.decode()
    page = client.get(f"/meetings/{meeting.reference}/").content.decode()
    assert "Vote: carried" in page
    assert f'href="/mandates/{adopted.reference}/"' in page
    assert client.get("/meetings/NOPE-2026/").status_code == 404


def test_members_find_meetings_in_the_menu_with_the_meetings_of_all_members_beside_them(client, org, member_login):
    client.force_login(member_login)
    home = client.get("/").content.decode()
    menu = home[home.index('<nav aria-label="Main">') : home.index("</nav>")]
    assert '<a href="/meetings/">Meetings</a>' in menu
    listed = client.get("/meetings/").content.decode()
    assert '<a href="/meetings/" aria-current="page">Meetings</a>' in listed
    assert '<a href="/voice/meetings/">Meetings of all members</a>' in listed
    members = client.get("/voice/meetings/").content.decode()
    assert '<a href="/meetings/">Meetings of the bodies</a>' in members


def test_meetings_are_not_found_for_someone_who_is_not_a_member(client, org):
    adopted = titled(org, "Publish an apology", visibility="public")
    client.force_login(login("Al Ally"))
    assert client.get("/meetings/").status_code == 404
    assert '<a href="/meetings/">' not in client.get("/").content.decode()  # not in the menu either
    assert client.get(f"/meetings/{adopted.adopted_by_vote.motion.meeting.reference}/").status_code == 404
    assert "/meetings/" not in client.get(f"/mandates/{adopted.reference}/").content.decode()


def test_markdown_in_terms_and_updates_is_rendered_without_scripts(client, org, steward_login):
    adopted = titled(org, "Publish an apology")
    Mandate.objects.filter(pk=adopted.pk).update(text="# Apology\n\nPublish **it** <script>alert(1)</script>")
    mandates.progress_post(
        mandate=adopted,
        status="in_progress",
        text="[draft](https://example.org/draft) [bad](javascript:alert(1)) <img src=x onerror=alert(1)>",
        by=steward_login,
    )
    client.force_login(steward_login)
    page = client.get(f"/mandates/{adopted.reference}/").content.decode()
    assert "<h3>Apology</h3>" in page
    assert "<strong>it</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert '<a href="https://example.org/draft" rel="noopener noreferrer nofollow">draft</a>' in page
    assert 'href="javascript:' not in page
    assert "<img" not in page


def test_the_printable_report_of_a_meeting_is_a_pdf_for_members_only(client, org, member_login):
    adopted = titled(org, "Publish an apology", visibility="public")
    meeting = adopted.adopted_by_vote.motion.meeting.reference
    client.force_login(member_login)
    response = client.get(f"/meetings/{meeting}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    client.force_login(login("Al Ally"))
    assert client.get(f"/meetings/{meeting}/report.pdf").status_code == 404


def test_without_pango_the_printable_report_says_why_instead_of_failing(monkeypatch):
    import builtins

    from rankfile.governance import feeds

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(feeds.PrintingUnavailable) as refused:
        feeds.pdf_response("<p>report</p>", filename="report.pdf")
    assert refused.value.status == 503
    assert "Pango" in str(refused.value.message)
