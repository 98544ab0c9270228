"""What each section of a stored report shows: its title, its rows in words, its numbers (a hidden one as "fewer
than 5"), a bar chart's geometry, and how it was counted. Read by the page, the PDF and the CSV alike."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.cases.models import AppealOutcome, CaseKind, FindingOutcome, InterimKind, MeasureKind, ReportPath
from rankfile.deadlines import kinds
from rankfile.org import queries as org_queries
from rankfile.transparency.figures import COUNTED
from rankfile.transparency.models import TransparencyReport

TITLES = {
    "received": gettext_lazy("Reports received"),
    "timings": gettext_lazy("Time taken, against the bylaws' deadlines"),
    "findings": gettext_lazy("Findings of decisions"),
    "sanctions": gettext_lazy("Sanctions decided"),
    "appeals": gettext_lazy("Appeals"),
    "overridden": gettext_lazy("Decisions set aside and re-admissions, by vote"),
    "missed": gettext_lazy("Deadlines missed"),
    "interim": gettext_lazy("Interim measures"),
    "supportive": gettext_lazy("Supportive measures"),
    "mandates": gettext_lazy("Mandates due in the period"),
    "concerns": gettext_lazy("Members' concerns due an answer"),
}
WORDS = {
    "person": gettext_lazy("A person"),
    "handling": gettext_lazy("Officials' handling"),
    "person_and_handling": gettext_lazy("Both"),
    "pending": gettext_lazy("Not yet decided"),
    "done": gettext_lazy("Done by the due day"),
    "late": gettext_lazy("Done late"),
    "overdue": gettext_lazy("Overdue"),
    "open": gettext_lazy("Open, not yet due"),
    "rescinded": gettext_lazy("Rescinded"),
    "on_time": gettext_lazy("Answered in time"),
    "unanswered": gettext_lazy("Not answered in time, still open"),
    "override": gettext_lazy("Decision set aside"),
    "readmission": gettext_lazy("Re-admitted"),
}
LABELS = {
    "received": {**dict(ReportPath.choices), **WORDS},
    "findings": {
        **dict(CaseKind.choices),
        FindingOutcome.RESPONSIBLE: gettext_lazy("Proven"),
        FindingOutcome.NOT_RESPONSIBLE: gettext_lazy("Not proven"),
    },
    "appeals": {**dict(AppealOutcome.choices), **WORDS},
    "overridden": WORDS,
    "interim": dict(InterimKind.choices),
    "supportive": dict(MeasureKind.choices),
    "mandates": {**WORDS, "late": gettext_lazy("Done after the due day")},
    "concerns": {**WORDS, "late": gettext_lazy("Answered late"), "open": gettext_lazy("Not yet due")},
}
# The columns of a timing, in the words of the page's table.
TIMING_WORDS = {
    "allowed": gettext_lazy("Days the bylaws allow"),
    "count": gettext_lazy("Met in the period"),
    "on_time": gettext_lazy("On time"),
    "late": gettext_lazy("Of which late"),
    "median": gettext_lazy("Middle time (median), in days"),
    "worst": gettext_lazy("Longest time, in days"),
}
CHART_WIDTH = 320
BAR_SPACE = 200  # the longest bar; the rest of the width holds its number
ROW_HEIGHT = 40


@dataclass
class Bar:
    label: str
    shown: str  # the number, or "fewer than 5"
    width: int  # 0 for a hidden count
    y: int
    hidden: bool = False

    @property
    def text_y(self) -> int:
        return self.y + 13

    @property
    def bar_y(self) -> int:
        return self.y + 19

    @property
    def value_x(self) -> int:
        return self.width + 6


@dataclass
class Section:
    key: str
    kind: str
    title: str
    counted: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[str], str]] = field(default_factory=list)  # label, shown cells, shown row total
    totals: list[str] = field(default_factory=list)  # the column totals, then the grand total
    bars: list[Bar] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)  # timings and listed records, in words
    # For the spreadsheet: row, row in words, column, column in words, number (and a listed record's vote and day).
    csv_rows: list[list[str]] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4


def shown(value: int | str | None, *, minimum: int) -> str:
    """A published count in words: the number; "fewer than 5" for a small one; "not shown" for one hidden only so that
    a small one cannot be worked out (it is not small, and saying so would be untrue)."""
    if value is None:
        return _("fewer than %(minimum)d") % {"minimum": minimum}
    if not isinstance(value, int):
        return str(_("not shown"))
    return str(value)


def _label(section: str, code: str, sanctions: dict[str, str]) -> str:
    if section == "sanctions":
        return sanctions.get(code) or code.replace("_", " ").capitalize()
    if section in ("missed", "timings"):
        known = kinds.registered().get(code)
        return str(known.label).capitalize() if known else _("Another deadline")
    found = LABELS.get(section, {}).get(code)
    text = str(found) if found is not None else code.replace("_", " ")
    return text[:1].upper() + text[1:]


def _bars(values: list[tuple[str, int | str | None]], *, minimum: int) -> list[Bar]:
    largest = max([value for _label, value in values if isinstance(value, int)] + [1])
    return [
        Bar(
            label=label,
            shown=shown(value, minimum=minimum),
            width=round(BAR_SPACE * value / largest) if isinstance(value, int) else 0,
            y=n * ROW_HEIGHT,
            hidden=not isinstance(value, int),
        )
        for n, (label, value) in enumerate(values)
    ]


def _day(text: str) -> str:
    return date_format(date.fromisoformat(text), "j F Y")


def report_sections(report: TransparencyReport) -> list[Section]:
    """The report's sections, in the order they are shown, from its stored figures alone."""
    figures = report.figures
    minimum = int(figures["minimum"])
    catalog = org_queries.bylaws_document(day=report.ends_on).get("sanctions", [])
    sanctions = {entry["code"]: str(entry.get("label", "")) for entry in catalog}
    dates = {"start": _day(figures["starts_on"]), "end": _day(figures["ends_on"]), "minimum": minimum}
    total = _("Total")
    found = []
    # In the order of TITLES: a database may keep the keys of stored JSON in an order of its own (PostgreSQL does).
    for key in [key for key in TITLES if key in figures["sections"]]:
        data = figures["sections"][key]
        section = Section(
            key=key, kind=data["kind"], title=str(TITLES.get(key, key)), counted=str(COUNTED[key]) % dates
        )
        if data["kind"] == "grid":
            section.columns = [_label(key, code, sanctions) for code in data["columns"]]
            for i, code in enumerate(data["rows"]):
                cells = [shown(value, minimum=minimum) for value in data["cells"][i]]
                section.rows.append(
                    (_label(key, code, sanctions), cells, shown(data["row_totals"][i], minimum=minimum))
                )
                row_words = _label(key, code, sanctions)
                for j, column in enumerate(data["columns"]):
                    section.csv_rows.append([code, row_words, column, section.columns[j], cells[j]])
                row_total = shown(data["row_totals"][i], minimum=minimum)
                section.csv_rows.append([code, row_words, "total", total, row_total])
            section.totals = [shown(v, minimum=minimum) for v in data["column_totals"]]
            section.totals.append(shown(data["total"], minimum=minimum))
            for j, column in enumerate(data["columns"]):
                section.csv_rows.append(["total", total, column, section.columns[j], section.totals[j]])
            section.csv_rows.append(["total", total, "total", total, section.totals[-1]])
            section.bars = _bars(
                [(_label(key, code, sanctions), data["row_totals"][i]) for i, code in enumerate(data["rows"])],
                minimum=minimum,
            )
        elif data["kind"] == "counts":
            for item in data["items"]:
                section.rows.append((_label(key, item["code"], sanctions), [], shown(item["count"], minimum=minimum)))
                row_words = _label(key, item["code"], sanctions)
                section.csv_rows.append([item["code"], row_words, "", "", shown(item["count"], minimum=minimum)])
            section.totals = [shown(data["total"], minimum=minimum)]
            section.csv_rows.append(["total", total, "", "", section.totals[0]])
            section.bars = _bars(
                [(_label(key, item["code"], sanctions), item["count"]) for item in data["items"]], minimum=minimum
            )
        elif data["kind"] == "timings":
            for item in data["items"]:
                words = {
                    "label": _label(key, item["code"], sanctions),
                    "allowed": item["allowed_days"],
                    "count": shown(item["count"], minimum=minimum),
                    "on_time": shown(item["on_time"], minimum=minimum),
                    "late": shown(item["late"], minimum=minimum),
                    "median": item["median_days"],
                    "worst": item["worst_days"],
                }
                section.items.append(words)
                for column, column_words in TIMING_WORDS.items():
                    value = words[column]
                    cell = "" if value is None else str(value)  # a count as shown; no median of too few
                    section.csv_rows.append([item["code"], words["label"], column, str(column_words), cell])
        else:
            for item in data["items"]:
                section.items.append({**item, "label": _label(key, item["what"], sanctions), "day": _day(item["on"])})
                what = _label(key, item["what"], sanctions)
                section.csv_rows.append([item["what"], what, item["case"], "", item["vote"], item["on"]])
        found.append(section)
    return found
