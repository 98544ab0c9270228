"""Publishing a transparency report: a carried vote of the body the bylaws name, cited; then frozen, and readable by
the members or by anyone."""

import csv
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from rankfile.cases.models import Report, ReportPath
from rankfile.errors import InvalidInput, NotAllowed
from rankfile.governance import actions as governance
from rankfile.governance.models import Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.transparency import actions
from rankfile.transparency.models import Audience, ReportStatus, TransparencyReport
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.transparency.world import IN_PERIOD, PERIOD, World, oversight_vote, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def test_a_recorder_of_the_publishing_body_publishes_the_draft_by_its_carried_vote(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    drafted = dict(report.figures)
    reference = oversight_vote(w)
    chair = signed_in(w.chair.user)

    page = chair.get(f"/transparency/{report.pk}/publish/")
    assert page.status_code == 200
    assert reference.encode() in page.content  # offered among the votes it may cite
    vote = Vote.objects.get(motion__meeting__reference=reference.rsplit("-M", 1)[0])
    answer = chair.post(f"/transparency/{report.pk}/publish/", {"vote": vote.pk, "audience": Audience.PUBLIC})
    assert answer.status_code == 302

    report.refresh_from_db()
    assert (report.status, report.audience, report.vote_reference) == (ReportStatus.PUBLISHED, "public", reference)
    published = Entry.objects.get(action="transparency.report_published")
    drafted_entry = Entry.objects.get(action="transparency.report_drafted")
    assert actions.figures_hash(report) in published.data
    assert actions.figures_hash(report) in drafted_entry.data  # published as drafted

    # Frozen: records made later change nothing of it.
    template = Report.objects.order_by("pk").first()
    assert template is not None
    for _n in range(9):
        Report.objects.create(
            reporter_key=template.reporter_key, content=template.content, path=ReportPath.FORMAL, sent_at=IN_PERIOD
        )
    report.refresh_from_db()
    assert report.figures == drafted

    # Anyone reads it, signed in or not: the list, the page, the spreadsheet.
    anyone = Client()
    assert f"/public/transparency/{report.pk}/".encode() in anyone.get("/public/transparency/").content
    shown = anyone.get(f"/public/transparency/{report.pk}/")
    assert shown.status_code == 200
    assert b"fewer than 5" in shown.content
    assert b"not shown" in shown.content  # the 5 hidden to protect the 2: not small, so never "fewer than 5"
    assert b"How this is counted" in shown.content
    assert report.checkpoint_root.encode() in shown.content
    assert b"C-2026-7" in shown.content  # the override, by case
    spreadsheet = anyone.get(f"/public/transparency/{report.pk}/report.csv").content.decode()
    assert "received,Reports received,support_only,Support only,person,A person,fewer than 5," in spreadsheet
    assert "received,Reports received,record_only,Record only,person,A person,8," in spreadsheet


def test_only_a_carried_vote_of_the_publishing_body_taken_since_the_draft_publishes(w: World) -> None:
    earlier = oversight_vote(w, on=timezone.localdate() - timedelta(days=1))
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    with pytest.raises(InvalidInput, match="taken before this draft was made"):
        actions.report_publish(report=report, vote_reference=earlier, audience=Audience.MEMBERS, by=w.chair.user)
    convention = cb.convention_vote(w.org, text="That the report be published.", about="", effect="")
    with pytest.raises(InvalidInput, match="Only a vote of Oversight Commission can publish a transparency report"):
        actions.report_publish(report=report, vote_reference=convention, audience=Audience.MEMBERS, by=w.chair.user)
    later = oversight_vote(w)
    with pytest.raises(NotAllowed):  # a member of the body, but not its recorder
        actions.report_publish(report=report, vote_reference=later, audience=Audience.MEMBERS, by=w.org["olu"].user)
    actions.report_publish(report=report, vote_reference=later, audience=Audience.MEMBERS, by=w.chair.user)
    again = actions.report_draft(period=PERIOD, by=OPERATOR)
    with pytest.raises(InvalidInput, match="published already"):
        actions.report_publish(report=again, vote_reference=later, audience=Audience.MEMBERS, by=w.chair.user)


def test_a_members_only_report_is_for_the_members_and_a_draft_for_its_reviewers(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    member = signed_in(w.org["rae"].user)
    assert member.get(f"/transparency/{report.pk}/").status_code == 404  # a draft: not yet
    assert signed_in(w.org["olu"].user).get(f"/transparency/{report.pk}/").status_code == 200
    actions.report_publish(report=report, vote_reference=oversight_vote(w), audience=Audience.MEMBERS, by=w.chair.user)
    assert member.get(f"/transparency/{report.pk}/").status_code == 200
    assert Client().get(f"/public/transparency/{report.pk}/").status_code == 404
    pdf = member.get(f"/transparency/{report.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")


def test_spreadsheet_cells_a_spreadsheet_would_run_are_prefixed(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    figures = report.figures
    figures["sections"]["missed"]["items"] = [{"code": "=HYPERLINK(1)", "count": 7}, {"code": "-2", "count": 6}]
    TransparencyReport.objects.filter(pk=report.pk).update(figures=figures)
    text = signed_in(w.org["olu"].user).get(f"/transparency/{report.pk}/report.csv").content.decode()
    assert "missed,Deadlines missed,'=HYPERLINK(1),Another deadline,,,7," in text
    assert "missed,Deadlines missed,'-2,Another deadline,,,6," in text


def test_verify_finds_a_report_rewritten_in_the_database(w: World) -> None:
    """Someone with the database changes a report's figures: the reconciliation `rankfile ledger verify` runs names
    the row (this world's cases are made without their entries, so only the reports' check is run here)."""
    from rankfile.ledger.reconcile import Mismatch
    from rankfile.transparency import reconcile

    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    assert not [found for found in reconcile.check() if isinstance(found, Mismatch)]
    figures = dict(report.figures)
    figures["rewritten"] = True
    TransparencyReport.objects.filter(pk=report.pk).update(figures=figures)
    assert [str(found) for found in reconcile.check() if isinstance(found, Mismatch)] == [
        f"transparency_transparencyreport row {report.pk}: field figures does not match the ledger's hash "
        f"(entry {report.ledger_seq})"
    ]


def test_the_spreadsheet_puts_plain_words_beside_every_code(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    text = signed_in(w.org["olu"].user).get(f"/transparency/{report.pk}/report.csv").content.decode()
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == [
        "section",
        "section in words",
        "row",
        "row in words",
        "column",
        "column in words",
        "value",
        "note",
    ]
    by_code = {(row[0], row[2], row[4]): row for row in rows[1:]}
    assert by_code[("received", "total", "total")][1:6:2] == ["Reports received", "Total", "Total"]
    timing = by_code[("timings", "cases.acknowledge_report", "count")]
    assert timing[1] == "Time taken, against the bylaws' deadlines"
    assert timing[3] == "Acknowledging a report"
    assert (timing[5], timing[6]) == ("Met in the period", "6")  # the count as the page shows it, never left blank
    late = by_code[("timings", "cases.acknowledge_report", "late")]
    assert (late[5], late[6]) == ("Of which late", "fewer than 5")
    # Every code has its words: no row leaves a code's words empty.
    assert all(row[3] for row in rows[1:] if row[2])


def test_before_the_body_has_voted_the_publish_page_says_so_and_links_to_recording_its_meeting(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    chair = signed_in(w.chair.user)
    page = chair.get(f"/transparency/{report.pk}/publish/").content.decode()
    assert "has no carried vote since this draft was made" in page
    assert '<a href="/meetings/new/">record a meeting</a>' in page
    oversight_vote(w)
    page = chair.get(f"/transparency/{report.pk}/publish/").content.decode()
    assert "has no carried vote since this draft was made" not in page


def test_a_site_administrator_not_on_the_publishing_body_neither_records_its_vote_nor_publishes(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    sita = get_user_model().objects.create_user(email="sita@example.org", password=None, is_site_admin=True)
    before = Entry.objects.count()
    with pytest.raises(NotAllowed):  # the vote a report cites is the publishing body's own
        governance.meeting_create(
            bodies=[w.org.base.oversight], held_on=timezone.localdate(), title="Oversight", by=sita
        )
    assert Entry.objects.count() == before
    vote = Vote.objects.get(motion__meeting__reference=oversight_vote(w).rsplit("-M", 1)[0])
    page = signed_in(sita)
    assert page.get(f"/transparency/{report.pk}/publish/").status_code == 404
    posted = page.post(f"/transparency/{report.pk}/publish/", {"vote": vote.pk, "audience": Audience.PUBLIC})
    assert posted.status_code == 404
    report.refresh_from_db()
    assert report.status != ReportStatus.PUBLISHED
