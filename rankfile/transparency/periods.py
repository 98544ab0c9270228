"""A report's period, as people write it: 2026H2 (a half year), 2026Q3 (a quarter), 2026 (a year)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NoReturn

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rankfile.errors import InvalidInput

_PERIOD = re.compile(r"(?P<year>\d{4})(?:(?P<part>[HQ])(?P<n>\d))?", re.ASCII)
MONTHS = {"H": 6, "Q": 3, None: 12}
EXAMPLES = {6: "2026H2", 3: "2026Q3", 12: "2026"}


@dataclass(frozen=True)
class Period:
    code: str
    starts_on: date
    ends_on: date  # the last day

    @property
    def months(self) -> int:
        return (self.ends_on.year - self.starts_on.year) * 12 + self.ends_on.month - self.starts_on.month + 1


def period_words(*, starts_on: date, ends_on: date) -> str:
    """A period as people say it: "July to December 2026", or "2026" for a whole year."""
    if (starts_on.month, ends_on.month) == (1, 12):
        return str(starts_on.year)
    return _("%(first)s to %(last)s %(year)d") % {
        "first": date_format(starts_on, "F"),
        "last": date_format(ends_on, "F"),
        "year": starts_on.year,
    }


def periods_begun(*, months: int, today: date, count: int = 8) -> list[tuple[str, str]]:
    """The ``count`` latest periods of ``months`` that have begun by ``today``, newest first: (code, words), for
    choosing one from a list."""
    part = {6: "H", 3: "Q", 12: ""}[months]
    n = (today.month - 1) // months + 1
    year = today.year
    found = []
    for _step in range(count):
        period = period_parse(f"{year}{part}{n}" if part else str(year), months=months)
        found.append((period.code, period_words(starts_on=period.starts_on, ends_on=period.ends_on)))
        n -= 1
        if n == 0:
            year, n = year - 1, 12 // months
    return found


def period_parse(text: str, *, months: int) -> Period:
    """The period ``text`` names, which must be as long as the bylaws say (``months``)."""
    code = text.strip().upper()
    found = _PERIOD.fullmatch(code)
    if found is None or not 2000 <= int(found["year"]) <= 2999:
        _refuse(
            _("“%(text)s” is not a period: write a year (2026), a half year (2026H2) or a quarter (2026Q3).")
            % {"text": text[:20]}
        )
    part = found["part"]
    if MONTHS[part] != months:
        _refuse(
            _("The bylaws set reports of %(months)d months: write the period like %(example)s.")
            % {"months": months, "example": EXAMPLES[months]}
        )
    n = int(found["n"]) if part else 1
    if n < 1 or n > 12 // months:
        _refuse(_("A year has %(count)d such periods; “%(text)s” is not one.") % {"count": 12 // months, "text": code})
    year = int(found["year"])
    first_month = (n - 1) * months + 1
    starts_on = date(year, first_month, 1)
    after = date(year + 1, 1, 1) if first_month + months > 12 else date(year, first_month + months, 1)
    return Period(code=code, starts_on=starts_on, ends_on=after - timedelta(days=1))


def _refuse(message: str) -> NoReturn:
    raise InvalidInput(message, code="bad_period", field_errors={"period": [message]})
