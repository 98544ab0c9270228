"""Every timer of members' voice, in one table (DESIGN.md invariant 10).

A concern must be answered by the body it is addressed to within the bylaws' days: the body is reminded before, and
the deadline engine alerts the oversight body once it passes unanswered."""

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from rankfile.deadlines import kinds

REMIND_BEFORE = timedelta(days=2)


def _describe_concern(deadline: Any) -> str:
    """A concern the members may read is named in the oversight alert by its title; a private one is not."""
    from rankfile.voice.models import Concern

    concern = Concern.objects.filter(pk=deadline.subject_id).first()
    return concern.title if concern is not None and not concern.private else ""


# Subject: the concern.
ANSWER_CONCERN = kinds.register(
    kinds.Kind(code="voice.answer_concern", label=_("answering a member's concern"), describe=_describe_concern)
)


def page_of_voice_deadline(deadline: Any, reader: Any) -> kinds.Page | None:
    """A concern's timer is dealt with on the concern's page, for whoever may read the concern."""
    from django.urls import reverse

    from rankfile import policy
    from rankfile.voice.models import Concern

    concern = Concern.objects.filter(pk=deadline.subject_id).first()
    if concern is None or not policy.allows(reader, "voice.see_concern", concern):
        return None
    return kinds.Page(url=reverse("voice:concern_detail", args=[concern.reference]), words=concern.title)


kinds.register_page("voice.", page_of_voice_deadline)
