"""The tracker as files: an iCalendar feed of open mandates' due dates, and a CSV export of the tracker.

Each due date is an all-day event on the due day (a mandate is due by the end of that day, local time). CSV cells
that a spreadsheet would read as a formula are prefixed with an apostrophe.
"""

import csv
from collections.abc import Iterable
from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rankfile.errors import RankfileError
from rankfile.governance.models import OPEN_STATUSES, Mandate, MandateStatus

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_SPECIALS = frozenset("\\;,\r\n")


def mandate_page_url(mandate: Mandate, *, public: bool = False) -> str:
    prefix = "/public" if public else ""
    return f"{settings.BASE_URL}{prefix}/mandates/{mandate.reference}/"


def ical_text(value: str) -> str:
    """A TEXT value of RFC 5545 (section 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    if TEXT_SPECIALS.isdisjoint(value):
        return value
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ical_line(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 section 3.1), never inside a UTF-8 character."""
    if line.isascii():  # an octet a character: cut by slicing
        if len(line) <= 75:
            return line
        return "\r\n ".join([line[:75], *(line[start : start + 74] for start in range(75, len(line), 74))])
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode())
        if size + octets > (75 if not parts else 74):  # a continuation line starts with a space
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar_of(events: Iterable[tuple[str, str, date, str, str]], *, name: str, public: bool = False) -> bytes:
    """One all-day event per (reference, title, due day, status, responsible body) given.

    Written directly rather than through a calendar library's object model: a feed has thousands of events and
    is fetched often, and building it object by object takes twenty times as long."""
    host = urlsplit(settings.BASE_URL).hostname or "rankfile"
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    statuses = {value: str(label) for value, label in MandateStatus.choices}  # translated once, not per event
    prefix = f"{settings.BASE_URL}{'/public' if public else ''}/mandates/"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rankfile//Mandates//EN",
        "CALSCALE:GREGORIAN",
        ical_line("X-WR-CALNAME:" + ical_text(f"{settings.ORG_NAME}: {name}")),
    ]
    days: dict[date, tuple[str, str]] = {}  # many mandates share a due day
    descriptions: dict[tuple[str, str], str] = {}  # and a body and a status
    for reference, title, due_on, status, body in events:
        if due_on not in days:
            days[due_on] = (f"{due_on:%Y%m%d}", f"{due_on + timedelta(days=1):%Y%m%d}")
        start, end = days[due_on]
        description = descriptions.get((body, status))
        if description is None:
            words = f"Responsible: {body}\nStatus: {statuses.get(status, status)}"
            description = descriptions[body, status] = ical_line("DESCRIPTION:" + ical_text(words))
        uid = ical_line(f"UID:mandate-{reference}@{host}")
        summary = ical_line("SUMMARY:" + ical_text(f"Due: {title} ({reference})"))
        url = ical_line(f"URL:{prefix}{reference}/")  # references are capital letters, digits, hyphens and dots
        # One string an event, its lines joined as the calendar's are.
        lines.append(
            f"BEGIN:VEVENT\r\n{uid}\r\nDTSTAMP:{stamp}\r\nDTSTART;VALUE=DATE:{start}\r\nDTEND;VALUE=DATE:{end}\r\n"
            f"{summary}\r\n{description}\r\n{url}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT"
        )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def calendar_response(mandates: QuerySet[Mandate], *, name: str, public: bool = False) -> HttpResponse:
    """The due dates of the open mandates among ``mandates``."""
    # Of open ones only, the tracker's order (overdue first, then by due day) is the due day's, without its two
    # computed columns to sort by.
    open_ones = (
        mandates.filter(status__in=OPEN_STATUSES)
        .order_by("due_on", "pk")
        .values_list("reference", "title", "due_on", "status", "responsible_body__name")
    )
    response = HttpResponse(calendar_of(open_ones, name=name, public=public), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="mandates.ics"'
    return response


def spreadsheet_safe(value: object) -> str:
    """The text of a cell, with an apostrophe before anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Each code, for machines, beside its words, for people, as in the transparency report's spreadsheet.
CSV_COLUMNS = [
    "reference",
    "title",
    "responsible body",
    "adopted by",
    "adopted on",
    "due on",
    "status",
    "status in words",
    "overdue",
    "percent",
    "done on",
    "visibility",
    "visibility in words",
    "page",
]


def csv_rows(mandates: Iterable[Mandate]) -> Iterable[list[str]]:
    yield CSV_COLUMNS
    for mandate in mandates:
        row = [
            mandate.reference,
            mandate.title,
            mandate.responsible_body.name,
            mandate.adopting_body.name,
            mandate.adopted_on.isoformat(),
            mandate.due_on.isoformat(),
            mandate.status,
            capfirst(mandate.get_status_display()),
            "yes" if mandate.is_overdue else "no",
            "" if mandate.percent is None else mandate.percent,
            mandate.done_on.isoformat() if mandate.done_on else "",
            mandate.visibility,
            capfirst(mandate.get_visibility_display()),
            mandate_page_url(mandate),
        ]
        yield [spreadsheet_safe(cell) for cell in row]


def csv_response(mandates: Iterable[Mandate], *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(csv_rows(mandates))
    return response


def _refuse_to_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    # The report is made from the page alone: nothing is fetched, from this server or from anywhere else.
    raise ValueError(f"not fetched: {url}")


class PrintingUnavailable(RankfileError):
    status = 503
    code = "printing_unavailable"
    title = _("Printing is not set up on this server")

    def __init__(self) -> None:
        super().__init__(
            _(
                "The printable report needs the Pango library on the server (see the deployment guide). "
                "Everything else works without it."
            )
        )


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """The printable report: ``html`` as a PDF (WeasyPrint, imported here: it takes a second to load)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError):
        # Pango is missing on this server (docs/deployment.md): say so rather than fail.
        raise PrintingUnavailable() from None
    document = HTML(string=html, url_fetcher=_refuse_to_fetch).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
