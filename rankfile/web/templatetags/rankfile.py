import re
from datetime import timedelta
from typing import Any

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A time span in words: "15 minutes", "1 hour, 30 minutes"."""
    if not value:
        return ""
    now = timezone.now()
    return timeuntil(now + value, now)


@register.filter
def days_or_hours(value: timedelta | None) -> str:
    """How long, in whole days ("69 days"), or in hours under a day ("5 hours"): to compare at a glance."""
    if value is None or value < timedelta(hours=1):
        return gettext("less than an hour")
    if value.days >= 1:
        return ngettext("%(count)d day", "%(count)d days", value.days) % {"count": value.days}
    hours = value.seconds // 3600
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


CODE_RUN = re.compile(r"[A-Za-z0-9+/=]{16,}")  # a hash or a key, in hex or base64: too long to fit a phone's line


def _groups_of(run: str, size: int = 8) -> SafeString:
    groups = ((run[i : i + size],) for i in range(0, len(run), size))
    return format_html_join(mark_safe("<wbr>"), '<span class="code-group">{}</span>', groups)


@register.filter
def code_groups(value: str) -> SafeString:
    """Text whose long codes (hashes, keys) show in groups of 8 characters that a narrow line breaks between, never
    inside; the groups are spaced by the style sheet, so that copying the code gives it as one string."""
    text = str(value)
    parts: list[tuple[SafeString]] = []
    done = 0
    for found in CODE_RUN.finditer(text):
        parts += [(escape(text[done : found.start()]),), (_groups_of(found.group(0)),)]
        done = found.end()
    parts.append((escape(text[done:]),))
    return format_html_join("", "{}", parts)


@register.filter
def only_refused(form: Any) -> bool:
    """Whether the form's only errors are refusals that nothing in the form can fix (a hold of a final decision)."""
    errors = getattr(form, "errors", None)
    if not isinstance(errors, dict) or set(errors) != {NON_FIELD_ERRORS}:
        return False
    return all(error.code == "refused" for error in errors[NON_FIELD_ERRORS].as_data())
