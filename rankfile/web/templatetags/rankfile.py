from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A time span in words: "15 minutes", "1 hour, 30 minutes"."""
    if not value:
        return ""
    now = timezone.now()
    return timeuntil(now + value, now)
