"""Drafting a transparency report: the period's figures from the records, small numbers hidden, at a checkpoint."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Checkpoint, Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org import queries as org_queries
from rankfile.transparency import actions
from rankfile.transparency.models import ReportStatus, TransparencyReport
from rankfile.transparency.periods import periods_begun
from rankfile.transparency.sections import TITLES, report_sections
from tests.cases.helpers import signed_in
from tests.transparency.world import PERIOD, World, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def test_a_draft_counts_the_period_from_the_records_and_hides_small_numbers(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    sections = report.figures["sections"]

    received = sections["received"]
    assert received["rows"] == ["record_only", "support_only", "informal", "formal"]
    assert received["columns"] == ["person", "handling", "person_and_handling"]
    # support only (2) is small; informal (5) hides with it, or the person column would give the 2 away. The 2 is
    # published as small (None: "fewer than 5"), the 5 as hidden to protect it ("not shown"), never as small.
    assert received["cells"] == [[8, 0, 0], [None, 0, 0], ["hidden", 0, 0], [7, 0, 0]]
    assert received["row_totals"] == [8, None, "hidden", 7]
    assert received["column_totals"] == [22, 0, 0]
    assert received["total"] == 22

    acknowledged = sections["timings"]["items"][0]
    assert acknowledged == {
        "code": "cases.acknowledge_report",
        "allowed_days": 3,
        "count": 6,
        "on_time": None,  # 3 and 3: each under 5
        "late": None,
        "median_days": 3.5,
        "worst_days": 6.0,
    }
    assert sections["timings"]["items"][1]["count"] == 0

    findings = sections["findings"]
    assert findings["cells"] == [[None, None], [0, 0]]
    assert findings["total"] is None
    sanctions = {item["code"]: item["count"] for item in sections["sanctions"]["items"]}
    assert sanctions["expulsion"] is None
    assert sanctions["warning"] == 0

    # Overrides are listed by case and vote, whatever their number.
    assert sections["overridden"]["items"] == [
        {"what": "override", "case": "C-2026-7", "vote": "CONV-2026-M9", "on": "2026-09-02"}
    ]

    # Computed at a signed checkpoint, which the report carries; the draft is on the ledger with its figures' hash.
    checkpoint = Checkpoint.objects.get(size=report.checkpoint_size)
    assert bytes(checkpoint.root).hex() == report.checkpoint_root
    assert report.ledger_seq is not None
    entry = Entry.objects.get(seq=report.ledger_seq)
    assert entry.action == "transparency.report_drafted"
    assert actions.figures_hash(report) in entry.data
    assert report.status == ReportStatus.DRAFT
    assert report.publisher == w.org.base.oversight


def test_the_period_is_as_long_as_the_bylaws_say(w: World) -> None:
    with pytest.raises(InvalidInput, match="write the period like 2026H2"):
        actions.report_draft(period="2026Q3", by=OPERATOR)
    with pytest.raises(InvalidInput, match="is not a period"):
        actions.report_draft(period="H2-2026", by=OPERATOR)
    with pytest.raises(InvalidInput, match="A year has 2 such periods"):
        actions.report_draft(period="2026H3", by=OPERATOR)
    with pytest.raises(InvalidInput, match="has not begun"):
        actions.report_draft(period="2999H1", by=OPERATOR)
    assert not TransparencyReport.objects.exists()
    document = org_queries.bylaws_document(day=date(2026, 1, 1))
    document["transparency"] = {"period_months": 3, "publisher": "", "minimum": 5}
    org_actions.bylaws_adopt(
        document=document, effective_from=date(2020, 1, 3), adopted_by_vote="Convention 2020, motion 4", by=OPERATOR
    )
    quarter = actions.report_draft(period="2026q3", by=OPERATOR)
    assert (quarter.period, quarter.starts_on, quarter.ends_on) == ("2026Q3", date(2026, 7, 1), date(2026, 9, 30))


def test_only_the_oversight_body_drafts(w: World) -> None:
    with pytest.raises(NotAllowed):
        actions.report_draft(period=PERIOD, by=w.org["lee"].user)
    assert actions.report_draft(period=PERIOD, by=w.org["olu"].user).drafted_by == w.org["olu"].user


def test_the_command_drafts_and_refuses_in_words(w: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("transparency", "draft", "--period", "2026h2")
    out = capsys.readouterr().out
    assert "Drafted the transparency report 2026H2 (01 July 2026 to 31 December 2026)" in out
    with pytest.raises(CommandError, match=r"Refused \(bad_period\): The bylaws set reports of 6 months"):
        call_command("transparency", "draft", "--period", "2026")


def test_bylaws_check_the_transparency_settings() -> None:
    document = bylaws.defaults()
    document["transparency"] = {"period_months": 5, "publisher": "nobody", "minimum": 0}
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(document, body_slugs={"oversight-commission"})
    problems = [str(p) for p in refused.value.field_errors["document"]]
    assert "transparency.period_months: 3 (a quarter), 6 (half a year) or 12 (a year)" in problems
    assert "transparency.publisher: 'nobody' is not a body" in problems
    assert "transparency.minimum: a whole number from 1 to 100" in problems
    document["transparency"] = {"period_months": 12, "publisher": "oversight-commission", "minimum": 10}
    assert bylaws.check(document, body_slugs={"oversight-commission"})["transparency"]["minimum"] == 10


def test_the_oversight_body_drafts_on_its_page_and_a_wrong_period_is_explained(w: World) -> None:
    olu = signed_in(w.org["olu"].user)
    page = olu.get("/transparency/").content.decode()
    assert "Draft the report" in page
    # The periods of the bylaws' length that have begun, newest first, in words: nothing to write in a code.
    assert '<option value="2026H2">July to December 2026</option>' in page
    assert page.index("July to December 2026</option>") < page.index("January to June 2026</option>")
    assert "2027H1" not in page
    assert "Write the period like" not in page
    refused = olu.post("/transparency/", {"period": "2026Q3"})
    assert refused.status_code == 400
    assert "Choose a period from the list." in refused.content.decode()
    assert not TransparencyReport.objects.exists()
    drafted = olu.post("/transparency/", {"period": "2026H2"})
    report = TransparencyReport.objects.get()
    assert drafted["Location"] == f"/transparency/{report.pk}/"
    assert "Draft the report" not in signed_in(w.org["lee"].user).get("/transparency/").content.decode()


def test_sections_are_shown_in_their_order_whatever_order_the_database_keeps_them_in(w: World) -> None:
    report = actions.report_draft(period=PERIOD, by=OPERATOR)
    figures = report.figures
    figures["sections"] = dict(reversed(list(figures["sections"].items())))  # as PostgreSQL's jsonb may return them
    TransparencyReport.objects.filter(pk=report.pk).update(figures=figures)
    report.refresh_from_db()
    assert [section.key for section in report_sections(report)] == list(TITLES)


def test_the_periods_offered_follow_the_bylaws_length_and_cross_the_new_year() -> None:
    assert periods_begun(months=3, today=date(2026, 2, 10), count=3) == [
        ("2026Q1", "January to March 2026"),
        ("2025Q4", "October to December 2025"),
        ("2025Q3", "July to September 2025"),
    ]
    assert periods_begun(months=12, today=date(2026, 2, 10), count=2) == [("2026", "2026"), ("2025", "2025")]
