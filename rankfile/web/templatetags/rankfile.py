from datetime import timedelta

from django import template
from django.utils import timezone
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
