"""Every timer of members' voice, in one table (DESIGN.md invariant 10).

A concern must be answered by the body it is addressed to within the bylaws' days: the body is reminded before, and
the deadline engine alerts the oversight body once it passes unanswered. A petition for a special meeting that
reaches its threshold gives the body the bylaws' days to call it (met when a special meeting of the body is
scheduled); a periodic job places on a body's next meeting the petitioned items that found none scheduled."""

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


def _describe_petition(deadline: Any) -> str:
    from rankfile.voice.models import Petition

    petition = Petition.objects.filter(pk=deadline.subject_id).first()
    return petition.title if petition is not None else ""


# Subject: the concern.
ANSWER_CONCERN = kinds.register(
    kinds.Kind(code="voice.answer_concern", label=_("answering a member's concern"), describe=_describe_concern)
)


# Subject: the petition.
CALL_SPECIAL_MEETING = kinds.register(
    kinds.Kind(
        code="voice.call_special_meeting",
        label=_("calling the special meeting the members petitioned for"),
        describe=_describe_petition,
    )
)


def page_of_voice_deadline(deadline: Any, reader: Any) -> kinds.Page | None:
    """A concern's timer is dealt with on the concern's page, a petition's on the petition's, for whoever may read
    it."""
    from django.urls import reverse

    from rankfile import policy
    from rankfile.voice.models import Concern, Petition

    if deadline.kind == CALL_SPECIAL_MEETING.code:
        petition = Petition.objects.filter(pk=deadline.subject_id).first()
        if petition is None or not policy.allows(reader, "voice.see_petition", petition):
            return None
        return kinds.Page(url=reverse("voice:petition_detail", args=[petition.reference]), words=petition.title)
    concern = Concern.objects.filter(pk=deadline.subject_id).first()
    if concern is None or not policy.allows(reader, "voice.see_concern", concern):
        return None
    return kinds.Page(url=reverse("voice:concern_detail", args=[concern.reference]), words=concern.title)


kinds.register_page("voice.", page_of_voice_deadline)


def _petitions_followed(now: Any) -> int:
    from rankfile.voice import actions

    return actions.petitions_follow_up(now=now)


kinds.register_periodic("voice petitions placed and special meetings called", _petitions_followed)
