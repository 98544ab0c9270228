"""Importing members from the spreadsheets and CRM exports organizations already have.

Reading a CSV file, matching its columns to what Rankfile knows, checking every row, and then importing all of it
or nothing, through the same ledgered actions as every other change. Running the same file again changes nothing.
"""

import copy
import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from rankfile import policy, transactions
from rankfile.errors import InvalidInput, NotAllowed, RankfileError
from rankfile.ledger import actions as ledger
from rankfile.org import actions, eligibility, hooks, queries
from rankfile.org.models import Body, BodyKind, MembershipStatus, Person, Seat, SeatBasis, SeatRole, StatusChange

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
REASON_CODE = "imported"
_CHUNK = 500  # ids per IN (...) list: well below every database's limit on query parameters

# What a column can hold, in the words shown to the person importing; "" means the column is not imported.
FIELDS = {
    "name": "name",
    "first_name": "first name",
    "last_name": "last name",
    "email": "email",
    "member_number": "member number",
    "status": "membership status",
    "status_date": "status date",
    "joined": "joined",
    "branch": "branch",
}
NOT_IMPORTED = ""

# Header names recognised for each field, compared after _normal(): case, spaces, "-", "_" and "." do not matter.
HEADERS = {
    "name": {"name", "full name", "fullname", "member name", "display name"},
    "first_name": {"first name", "firstname", "first", "given name", "forename", "forenames"},
    "last_name": {"last name", "lastname", "last", "surname", "family name"},
    "email": {"email", "e mail", "email address", "e mail address", "mail"},
    "member_number": {
        "member number",
        "member id",
        "membership number",
        "membership id",
        "member no",
        "membership no",
        "id",
    },
    "status": {"status", "membership status", "member status", "standing"},
    "status_date": {"status date", "status since", "status from", "status changed", "status effective"},
    "joined": {"joined", "join date", "joined on", "date joined", "joining date", "member since", "start date"},
    "branch": {"branch", "chapter", "local", "branch name", "chapter name"},
}


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[-_.]+", " ", text.casefold()).split())


# Words spreadsheets use for a membership status, after _normal(), and the status each one means.
STATUS_WORDS = {
    **{_normal(status): status for status in MembershipStatus.values},
    "current": MembershipStatus.ACTIVE,
    "good standing": MembershipStatus.ACTIVE,
    "in good standing": MembershipStatus.ACTIVE,
    "paid up": MembershipStatus.ACTIVE,
    "leave": MembershipStatus.ON_LEAVE,
    "leave of absence": MembershipStatus.ON_LEAVE,
    "expired": MembershipStatus.LAPSED,
    "not renewed": MembershipStatus.LAPSED,
}

DATE_FORMATS = {"iso": "YYYY-MM-DD", "dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?")
_DAY_MONTH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_SEPARATOR_HINT = re.compile(r"sep=([,;\t|])\n")


@dataclass(frozen=True)
class Problem:
    """Something to fix in the file, at a spreadsheet row (the header is row 1) and column, when there is one."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("row %(row)d, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass(frozen=True)
class MemberFile:
    """A CSV file as read: its text (newlines made uniform), header and data rows (blank rows left out)."""

    text: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)

    def column_title(self, index: int) -> str:
        title = self.headers[index].strip()
        return title or _("column %(number)d") % {"number": index + 1}

    def example(self, index: int) -> str:
        """The first value in the column, to show next to it while choosing what it holds."""
        for _row, cells in self.rows:
            if index < len(cells) and cells[index].strip():
                return cells[index].strip()
        return ""


def member_file_read(*, data: bytes) -> MemberFile:
    """Decode and parse an uploaded file; refuse one that is too large or not UTF-8, saying what to do."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            _("The file is %(size).1f MB; at most %(limit)d MB can be imported at once. Split it into smaller files.")
            % {"size": len(data) / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024},
            code="file_too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            _(
                "The file is not UTF-8 text (byte 0x%(byte)02X on line %(line)d). Save the file as CSV UTF-8 "
                "(in Excel: Save As, then CSV UTF-8; in LibreOffice: Text CSV with the character set Unicode UTF-8) "
                "and try again."
            )
            % {"byte": data[exc.start], "line": line},
            code="file_not_utf8",
        ) from None
    return member_file_parse(text=text)


def member_file_parse(*, text: str) -> MemberFile:
    """Parse CSV text with a header row. The delimiter (comma, semicolon or tab) is detected; comma if unsure."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // 1024 // 1024})
    if not text.strip():
        raise InvalidInput(_("The file is empty."), code="file_empty")
    if "\x00" in text:  # no text holds one, PostgreSQL stores none, and the person form refuses it too
        raise InvalidInput(
            _(
                "Line %(line)d holds a NUL character (\\u0000), which is no text: the file may be damaged or not a CSV "
                "file. Remove it, or export the file again as CSV UTF-8, and try again."
            )
            % {"line": text[: text.index("\x00")].count("\n") + 1},
            code="file_nul_character",
        )
    delimiter = _delimiter(text)
    body = text
    hint = _SEPARATOR_HINT.match(text)
    if hint:  # Excel's "sep=;" line names the delimiter; Excel hides it, so the header is still row 1
        delimiter, body = hint[1], text[hint.end() :]
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    row_number = 0
    try:
        for row_number, cells in enumerate(reader, start=1):
            if headers is None:
                headers = cells
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": f"{MAX_ROWS:,}"},
                    code="file_too_long",
                )
            rows.append((row_number, cells))
    except csv.Error as exc:
        raise InvalidInput(
            _("Row %(row)d cannot be read (%(error)s). Check it for a quotation mark that is not closed.")
            % {"row": row_number + 1, "error": exc},
            code="file_unreadable",
        ) from None
    if not headers or not any(cell.strip() for cell in headers):
        raise InvalidInput(_("Row 1 must name the columns (Name, Email, …)."), code="file_without_header")
    return MemberFile(text=text, delimiter=delimiter, headers=headers, rows=rows)


def _delimiter(text: str) -> str:
    sample = "\n".join(text.split("\n", 50)[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def mapping_detect(*, headers: Sequence[str]) -> list[str]:
    """The field each column holds, recognised from its header; NOT_IMPORTED for the rest and for repeats."""
    mapping: list[str] = []
    for header in headers:
        name = _normal(header)
        found = next((f for f, names in HEADERS.items() if name in names), NOT_IMPORTED)
        mapping.append(NOT_IMPORTED if found and found in mapping else found)
    return mapping


def mapping_override(*, headers: Sequence[str], mapping: Sequence[str], overrides: Iterable[str]) -> list[str]:
    """Apply ``COLUMN=FIELD`` choices (FIELD may be "ignore"). A column chosen for a field takes it from the
    column detected for it."""
    result = list(mapping)
    by_title: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        by_title.setdefault(header.strip().casefold(), []).append(index)
    for override in overrides:
        column, sep, chosen = override.rpartition("=")
        column, chosen = column.strip(), chosen.strip().lower()
        if not sep or not column:
            raise InvalidInput(_('Write each mapping as COLUMN=FIELD, e.g. "E-mail address=email".'))
        if chosen in ("ignore", "none", "-"):
            chosen = NOT_IMPORTED
        elif chosen not in FIELDS:
            raise InvalidInput(
                _("%(field)r is not a field. Fields: %(fields)s, or ignore.")
                % {"field": chosen, "fields": ", ".join(FIELDS)}
            )
        indexes = by_title.get(column.casefold(), [])
        if len(indexes) != 1:
            raise InvalidInput(
                _("The file has no column %(column)r. Its columns: %(columns)s.")
                % {"column": column, "columns": ", ".join(repr(h) for h in headers)}
                if not indexes
                else _("More than one column is called %(column)r; rename one in the file.") % {"column": column}
            )
        if chosen:
            result = [NOT_IMPORTED if f == chosen else f for f in result]
        result[indexes[0]] = chosen
    return result


@dataclass
class _Row:
    row: int
    name: str
    email: str
    member_number: str
    status: str | None
    status_date: date | None
    joined: date | None
    branch: Body | None
    person: Person | None = None


@dataclass
class ImportOutcome:
    """What an import did, or would do, or why it could not."""

    total_rows: int
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # status -> changes recorded
    seats: Counter[str] = field(default_factory=Counter)  # branch name -> people seated
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # differences the import leaves as they are
    committed: bool = False
    changed_since_preview: bool = False
    # Rows a hold of a final decision or an interim measure refused: (person id, what the row tried).
    held: list[tuple[int, str]] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        """What the import changes; the confirmation of a preview must find the same."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "statuses": dict(sorted(self.statuses.items())),
            "seats": dict(sorted(self.seats.items())),
        }

    def counts_text(self) -> str:
        return _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged") % {
            "new": f"{self.new:,}",
            "updated": f"{self.updated:,}",
            "unchanged": f"{self.unchanged:,}",
        }

    def statuses_text(self) -> str:
        return ", ".join(f"{MembershipStatus(s).label} {n:,}" for s, n in sorted(self.statuses.items())) or _("none")

    def seats_text(self) -> str:
        return ", ".join(f"{name} {n:,}" for name, n in sorted(self.seats.items())) or _("none")


def held_import_key(*, person_id: int, file_text: str) -> str:
    """What makes a refused import one attempt on a person's held state: the file's text and the holds it met. A
    preview checked again, or the same file imported from the command line, is the same attempt; another file, or the
    same file against another hold, is a new one."""
    person = Person.objects.get(pk=person_id)
    held = sorted(f"{hold.reference}|{hold.status}|{sorted(hold.restrictions)}" for hold in hooks.holds_on(person))
    return hashlib.sha256("\n".join([file_text, *held]).encode()).hexdigest()


class _RollBack(Exception):
    """Leaves the import's transaction without keeping anything."""


class _Refused(Exception):
    """A row was refused during the quick pass; its transaction cannot go on."""


def members_import(
    *,
    member_file: MemberFile,
    mapping: Sequence[str],
    by: Any,
    date_format: str = "iso",
    dry_run: bool = False,
    expected: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Check every row, then import them all in one transaction, or nothing if any row has a problem.

    With ``dry_run`` (and for the rows of a file that has problems) the actions run and are rolled back, so that
    what the eligibility check would refuse is found too. With ``expected`` (the summary of a preview) nothing is
    kept unless the import does exactly what the preview said.
    """
    policy.require(by, "org.manage_people")
    if "branch" in mapping:
        policy.require(by, "org.seat_people")
    if date_format not in DATE_FORMATS:
        raise InvalidInput(_("Unknown date format %(format)r.") % {"format": date_format})
    outcome = ImportOutcome(total_rows=len(member_file.rows))
    outcome.problems.extend(_mapping_problems(member_file, mapping))
    if outcome.problems:
        return outcome
    today = timezone.localdate()
    rows = _rows_checked(member_file, mapping, date_format=date_format, today=today, outcome=outcome)
    _rows_matched(member_file, mapping, rows, outcome=outcome)
    current = _current_statuses([r.person.pk for r in rows if r.person is not None], today=today)
    seated = _current_branch_seats([r.person.pk for r in rows if r.person is not None], today=today)
    for plan in rows:
        since = current.get(plan.person.pk) if plan.person is not None else None
        if since and plan.status and plan.status != since[0] and (plan.status_date or today) < since[1]:
            outcome.problems.append(
                Problem(
                    _(
                        "%(date)s is before the current status (%(status)s since %(since)s); an import adds to the "
                        "history and cannot change what came before"
                    )
                    % {"date": plan.status_date, "status": MembershipStatus(since[0]).label, "since": since[1]},
                    row=plan.row,
                    column=_title(member_file, mapping, "status_date"),
                )
            )
    rows_with_problems = {p.row for p in outcome.problems}
    clean = [plan for plan in rows if plan.row not in rows_with_problems]
    keep = not dry_run and not outcome.problems
    # The quick way first: all rows in one transaction without savepoints, the ledger written in batches. The first
    # refusal ends that transaction; then every row runs again, each action in its savepoint, to find every problem.
    careful = bool(outcome.problems)
    checked = copy.deepcopy(outcome)
    while True:
        try:
            with transaction.atomic(), _quick_unless(careful):
                for done, plan in enumerate(clean, start=1):
                    _row_apply(plan, by=by, today=today, current=current, seated=seated, outcome=outcome)
                    if not careful and outcome.problems:
                        raise _Refused
                    if progress is not None and (done % 1000 == 0 or done == len(clean)):
                        progress(done, len(clean))
                outcome.problems.sort(key=lambda p: p.row or 0)
                if expected is not None and outcome.summary != expected and not outcome.problems:
                    outcome.changed_since_preview = True
                if not keep or outcome.problems or outcome.changed_since_preview:
                    raise _RollBack
        except _RollBack:
            # A refused import tried to undo held state: flagged once per person it tried to change, a preview too
            # (the page imports nothing a preview refused, so its preview is the attempt). Checking the same file
            # again, or importing it from the command line, is the same attempt: flagged once per file and hold.
            for person_id, _attempt in dict.fromkeys(outcome.held):
                import_of = held_import_key(person_id=person_id, file_text=member_file.text)
                if not queries.held_import_recorded(person_id=person_id, import_of=import_of):
                    actions.held_refusal_record(person_id=person_id, attempt="import", by=by, import_of=import_of)
            return outcome
        except _Refused:
            careful = True
            outcome = copy.deepcopy(checked)
            continue
        outcome.committed = True
        return outcome


@contextmanager
def _quick_unless(careful: bool) -> Iterator[None]:
    if careful:
        yield
        return
    with transactions.bulk(), ledger.batch():
        yield


def _title(member_file: MemberFile, mapping: Sequence[str], name: str) -> str | None:
    return member_file.column_title(mapping.index(name)) if name in mapping else None


def _mapping_problems(member_file: MemberFile, mapping: Sequence[str]) -> list[Problem]:
    problems = []
    if len(mapping) != len(member_file.headers):
        return [Problem(_("Choose what each column holds."))]
    for name in FIELDS:
        columns = [member_file.column_title(i) for i, f in enumerate(mapping) if f == name]
        if len(columns) > 1:
            problems.append(
                Problem(
                    _("The columns %(columns)s all hold the %(field)s; choose one and leave the others out.")
                    % {"columns": ", ".join(f"“{c}”" for c in columns), "field": FIELDS[name]}
                )
            )
    if not {"name", "first_name", "last_name"} & set(mapping):
        problems.append(
            Problem(
                _("No column holds the name. Call it Name (or First name and Last name), or choose it for a column.")
            )
        )
    if not {"email", "member_number"} & set(mapping):
        problems.append(
            Problem(
                _(
                    "No column holds an email address or a member number; without one, running the import again "
                    "could not find the same people."
                )
            )
        )
    return problems


def _rows_checked(
    member_file: MemberFile, mapping: Sequence[str], *, date_format: str, today: date, outcome: ImportOutcome
) -> list[_Row]:
    """Each row's values, checked one by one; a problem for every value that cannot be used."""
    columns = {name: mapping.index(name) for name in FIELDS if name in mapping}
    branches = _branch_names()
    rows: list[_Row] = []
    for row_number, cells in member_file.rows:

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def problem(name: str | None, message: str, row_number: int = row_number) -> None:
            column = member_file.column_title(columns[name]) if name in columns else None
            outcome.problems.append(Problem(message, row=row_number, column=column))

        extra = [c for c in cells[len(member_file.headers) :] if c.strip()]
        if extra:
            problem(
                None,
                _("it has %(cells)d cells, but row 1 names %(columns)d columns")
                % {"cells": len(cells), "columns": len(member_file.headers)},
            )
        name = " ".join((cell("name") or f"{cell('first_name')} {cell('last_name')}").split())
        if not name:
            problem("name" if "name" in columns else ("first_name" if "first_name" in columns else None), _("empty"))
        elif len(name) > 200:
            problem("name", _("longer than 200 characters"))
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", _("%(value)r is not a valid email address") % {"value": cell("email")})
        member_number = cell("member_number")
        if len(member_number) > 64:
            problem("member_number", _("longer than 64 characters"))
        if not email and not member_number:
            problem(
                None,
                _("it needs an email address or a member number, so that a later import finds the same person"),
            )
        status = None
        if cell("status"):
            status = STATUS_WORDS.get(_normal(cell("status")))
            if status is None:
                problem(
                    "status",
                    _("%(value)r is not a membership status (use one of: %(allowed)s)")
                    % {"value": cell("status"), "allowed": ", ".join(str(s.label) for s in MembershipStatus)},
                )
        dates: dict[str, date | None] = {}
        for name_of_date in ("joined", "status_date"):
            dates[name_of_date] = None
            if cell(name_of_date):
                try:
                    dates[name_of_date] = _date(cell(name_of_date), date_format=date_format, today=today)
                except ValueError as exc:
                    problem(name_of_date, str(exc))
        branch = None
        if cell("branch"):
            branch = branches.get(_normal(cell("branch")))
            if branch is None:
                known = sorted({b.name for b in branches.values() if b is not None})
                problem(
                    "branch",
                    _("%(value)r is not a branch (branches: %(known)s)")
                    % {"value": cell("branch"), "known": ", ".join(known) or _("none yet")}
                    if _normal(cell("branch")) not in branches
                    else _("%(value)r could be more than one branch; use the branch's short name (slug)")
                    % {"value": cell("branch")},
                )
        rows.append(
            _Row(
                row=row_number,
                name=name,
                email=email,
                member_number=member_number,
                status=status,
                status_date=dates["status_date"],
                joined=dates["joined"],
                branch=branch,
            )
        )
    return rows


def _date(value: str, *, date_format: str, today: date) -> date:
    iso = _ISO_DATE.fullmatch(value)
    other = _DAY_MONTH_DATE.fullmatch(value)
    try:
        if iso:
            found = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif other and date_format == "dmy":
            found = date(int(other[3]), int(other[2]), int(other[1]))
        elif other and date_format == "mdy":
            found = date(int(other[3]), int(other[1]), int(other[2]))
        else:
            raise ValueError
    except ValueError:
        message = _("%(value)r is not a date written %(format)s") % {
            "value": value,
            "format": DATE_FORMATS["iso" if iso else date_format],
        }
        if other and date_format == "iso":
            message += _(" (for dates written DD/MM/YYYY or MM/DD/YYYY, choose that date format)")
        raise ValueError(message) from None
    if found > today:
        raise ValueError(_("%(value)r is in the future") % {"value": value})
    return found


def _branch_names() -> dict[str, Body | None]:
    """Branches by name, by short name, and by name without the word "branch"; None where that is ambiguous."""
    found: dict[str, Body | None] = {}
    for body in Body.objects.filter(kind=BodyKind.BRANCH):
        name = _normal(body.name)
        keys = {name, _normal(body.slug), _normal(name.removesuffix(" branch")), _normal(name.removeprefix("branch "))}
        for key in keys - {""}:
            found[key] = body if found.get(key, body) == body else None
    return found


def _rows_matched(member_file: MemberFile, mapping: Sequence[str], rows: list[_Row], *, outcome: ImportOutcome) -> None:
    """Find the person each row is about (by member number, then by email), and the same person twice."""
    numbers = {r.member_number for r in rows if r.member_number}
    emails = {r.email for r in rows if r.email}
    by_number: dict[str, Person] = {}
    by_email: dict[str, list[Person]] = {}
    for chunk in _chunks(sorted(numbers)):
        for known in Person.objects.filter(member_number__in=chunk):
            by_number[known.member_number] = known
    for chunk in _chunks(sorted(emails)):
        for known in Person.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            by_email.setdefault(known.email.lower(), []).append(known)
    email_column = _title(member_file, mapping, "email")
    number_column = _title(member_file, mapping, "member_number")
    first_row_of: dict[tuple[str, str], int] = {}
    person_row: dict[int, int] = {}
    for plan in rows:
        for key, value, column in (
            ("member_number", plan.member_number, number_column),
            ("email", plan.email, email_column),
        ):
            if not value:
                continue
            earlier = first_row_of.setdefault((key, value), plan.row)
            if earlier != plan.row:
                outcome.problems.append(
                    Problem(_("%(value)r is also on row %(row)d") % {"value": value, "row": earlier}, plan.row, column)
                )
        person = by_number.get(plan.member_number) if plan.member_number else None
        if person is None and plan.email:
            candidates = by_email.get(plan.email, [])
            if len(candidates) > 1:
                outcome.problems.append(
                    Problem(
                        _("%(count)d people have the email address %(email)r; add their member numbers to the file")
                        % {"count": len(candidates), "email": plan.email},
                        plan.row,
                        email_column,
                    )
                )
                continue
            person = candidates[0] if candidates else None
            if person is not None and plan.member_number and person.member_number:
                outcome.problems.append(
                    Problem(
                        _("%(email)r belongs to %(name)s, whose member number is %(theirs)s, not %(number)s")
                        % {
                            "email": plan.email,
                            "name": person.name,
                            "theirs": person.member_number,
                            "number": plan.member_number,
                        },
                        plan.row,
                        email_column,
                    )
                )
                continue
        if person is None:
            continue
        if person.pk in person_row:
            outcome.problems.append(
                Problem(
                    _("this is %(name)s again, as on row %(row)d")
                    % {"name": person.name, "row": person_row[person.pk]},
                    plan.row,
                )
            )
            continue
        person_row[person.pk] = plan.row
        plan.person = person
        differences = []
        if plan.name != person.name:
            differences.append(_("the name on record is %(name)s") % {"name": person.name})
        if plan.email and plan.email != person.email.lower():
            differences.append(_("the email address on record is %(email)s") % {"email": person.email or _("empty")})
        if plan.member_number and not person.member_number:
            differences.append(_("there is no member number on record"))
        if differences:
            outcome.notes.append(
                Problem(
                    _("%(differences)s; the import leaves these details as they are")
                    % {"differences": "; ".join(differences)},
                    plan.row,
                )
            )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _current_statuses(person_ids: Sequence[int], *, today: date) -> dict[int, tuple[str, date]]:
    """Each person's status today and since when, in a few queries (the rule of ``queries.status_on``)."""
    found: dict[int, tuple[str, date]] = {}
    for chunk in _chunks(person_ids):
        changes = (
            StatusChange.objects.filter(Q(until__isnull=True) | Q(until__gt=today), effective_from__lte=today)
            .filter(person_id__in=chunk)
            .order_by("person_id", "effective_from", "pk")
            .values_list("person_id", "status", "effective_from")
        )
        for person_id, status, since in changes:
            found[person_id] = (status, since)
    return found


def _current_branch_seats(person_ids: Sequence[int], *, today: date) -> set[tuple[int, int]]:
    """(person, branch) for everyone sitting on a branch today."""
    found: set[tuple[int, int]] = set()
    for chunk in _chunks(person_ids):
        seats = (
            Seat.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today), starts_on__lte=today)
            .filter(person_id__in=chunk, body__kind=BodyKind.BRANCH)
            .values_list("person_id", "body_id")
        )
        found.update(seats)
    return found


def _row_apply(
    plan: _Row,
    *,
    by: Any,
    today: date,
    current: dict[int, tuple[str, date]],
    seated: set[tuple[int, int]],
    outcome: ImportOutcome,
) -> None:
    """One row's changes: the person, their status, their branch. A refusal becomes a problem of the row."""
    writes = 0
    try:
        person = plan.person
        if person is None:
            person = actions.person_create(name=plan.name, email=plan.email, member_number=plan.member_number, by=by)
        status_now = current.get(person.pk)
        first_membership = status_now is None
        if status_now is None:
            writes += _first_status(plan, person=person, by=by, today=today, outcome=outcome)
        elif plan.status and plan.status != status_now[0]:
            _status_record(person, plan.status, plan.status_date or today, by=by, outcome=outcome)
            writes += 1
        if plan.branch is not None and (person.pk, plan.branch.pk) not in seated:
            # New members join their branch when they joined; someone already on record joins it today.
            starts_on = (plan.joined or today) if first_membership else today
            try:
                actions.person_seat(
                    person=person,
                    body=plan.branch,
                    basis=SeatBasis.EX_OFFICIO,
                    role=SeatRole.MEMBER,
                    starts_on=starts_on,
                    by=by,
                )
            except RankfileError as exc:
                if isinstance(exc, NotAllowed):
                    raise
                if exc.held is not None:
                    outcome.held.append(exc.held)
                outcome.problems.append(
                    Problem(
                        _("not seated on %(branch)s: %(reason)s")
                        % {
                            "branch": plan.branch.name,
                            "reason": eligibility.reason_in_words(exc.code, on_date=starts_on)
                            if exc.code in eligibility.EXPLAINED
                            else exc.message,
                        },
                        plan.row,
                    )
                )
                return
            outcome.seats[plan.branch.name] += 1
            writes += 1
    except NotAllowed:
        raise
    except RankfileError as exc:
        if exc.held is not None:
            outcome.held.append(exc.held)
        outcome.problems.append(Problem(str(exc.message), plan.row))
        return
    if plan.person is None:
        outcome.new += 1
    elif writes:
        outcome.updated += 1
    else:
        outcome.unchanged += 1


def _first_status(plan: _Row, *, person: Person, by: Any, today: date, outcome: ImportOutcome) -> int:
    """A person with no membership yet: active from the day they joined, then the file's status if it differs."""
    status = plan.status or MembershipStatus.ACTIVE
    if status == MembershipStatus.ACTIVE:
        _status_record(person, status, plan.joined or plan.status_date or today, by=by, outcome=outcome)
        return 1
    since = plan.status_date or today
    if plan.joined is not None and plan.joined < since:
        _status_record(person, MembershipStatus.ACTIVE, plan.joined, by=by, outcome=outcome)
        _status_record(person, status, since, by=by, outcome=outcome)
        return 2
    _status_record(person, status, plan.status_date or plan.joined or today, by=by, outcome=outcome)
    return 1


def _status_record(person: Person, status: str, effective_from: date, *, by: Any, outcome: ImportOutcome) -> None:
    actions.membership_status_change(
        person=person, status=status, effective_from=effective_from, reason_code=REASON_CODE, by=by
    )
    outcome.statuses[status] += 1
