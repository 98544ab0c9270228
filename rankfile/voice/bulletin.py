"""Every write of the members' discussion bulletin: one atomic function per use case, each on the ledger.

Members in good standing submit contributions (a title and Markdown). The editors (whoever sits on the body the
bylaws name in ``voice.bulletin_editors``) accept one or reject it with a reason; they never change its text: an
editor proposes an edit, and only the author's agreement makes it the text (every version is kept). Issues collect
the accepted contributions: the editors publish one whenever they choose, and the periodic job publishes one when
the bylaws' ``voice.bulletin_every_days`` have passed since the last. The ledger holds ids and hashes, never the
text or a rejection's reason."""

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile import policy
from rankfile.deadlines import kinds
from rankfile.errors import Conflict, InvalidInput
from rankfile.ledger import actions as ledger
from rankfile.ledger import schema as ls
from rankfile.org import queries as org_queries
from rankfile.org.models import Person
from rankfile.transactions import action
from rankfile.voice import bulletin_notify as notify
from rankfile.voice.bulletin_models import (
    BulletinIssue,
    Contribution,
    ContributionStatus,
    ContributionVersion,
    VersionStatus,
)

TITLE_MOST = 200
BODY_MOST = 20000
REASON_MOST = 4000

CONTRIBUTION_SUBMITTED = ls.define(
    "voice.contribution_submitted",
    label=gettext_lazy("A member submitted a contribution to the bulletin"),
    fields={"sha256": ls.HASH},
)
CONTRIBUTION_ACCEPTED = ls.define(
    "voice.contribution_accepted",
    label=gettext_lazy("An editor accepted a contribution for the bulletin's next issue"),
    fields={"contribution": ls.ID},
)
CONTRIBUTION_REJECTED = ls.define(
    "voice.contribution_rejected",
    label=gettext_lazy("An editor rejected a contribution to the bulletin, giving a reason"),
    fields={"contribution": ls.ID, "reason_sha256": ls.HASH},
)
EDIT_PROPOSED = ls.define(
    "voice.contribution_edit_proposed",
    label=gettext_lazy("An editor proposed an edit to a contribution, for its author to accept or decline"),
    fields={"contribution": ls.ID, "version": ls.COUNT, "sha256": ls.HASH},
)
EDIT_ACCEPTED = ls.define(
    "voice.contribution_edit_accepted",
    label=gettext_lazy("An author accepted an editor's edit to their contribution"),
    fields={"contribution": ls.ID, "version": ls.COUNT},
)
EDIT_DECLINED = ls.define(
    "voice.contribution_edit_declined",
    label=gettext_lazy("An author declined an editor's edit to their contribution"),
    fields={"contribution": ls.ID, "version": ls.COUNT},
)
ISSUE_PUBLISHED = ls.define(
    "voice.bulletin_issue_published",
    label=gettext_lazy("An issue of the members' bulletin was published"),
    fields={"number": ls.COUNT, "contributions": ls.COUNT, "on_schedule": ls.BOOL},
)


def bulletin_rules() -> dict[str, Any]:
    """What the bylaws in force say about the bulletin (the defaults for a version adopted before they did)."""
    from rankfile.org import bylaws

    found = org_queries.bylaws_document(day=timezone.localdate()).get("voice", {})
    defaults = bylaws.defaults()["voice"]
    return {name: found.get(name, defaults[name]) for name in ("bulletin_editors", "bulletin_every_days")}


def next_issue_due() -> datetime | None:
    """When the schedule publishes the next issue: the bylaws' days after the last one; the first, as soon as a
    contribution is accepted. None while no accepted contribution waits."""
    waiting = Contribution.objects.filter(status=ContributionStatus.ACCEPTED, issue__isnull=True)
    first = waiting.order_by("decided_at").values_list("decided_at", flat=True).first()
    if first is None:
        return None
    last = BulletinIssue.objects.order_by("-number").first()
    if last is None:
        return first
    return max(first, last.published_at + timedelta(days=int(bulletin_rules()["bulletin_every_days"])))


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _person(by: Any) -> Person:
    person = org_queries.person_of(user=by)
    if person is None:
        raise InvalidInput(_("Only a member can do this."), code="not_a_person")
    return person


def _text(field: str, value: str, *, most: int, what: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > most:
        message = _("Write %(what)s, in at most %(most)s characters.") % {"what": what, "most": f"{most:,}"}
        raise InvalidInput(message, code=field, field_errors={field: [message]})
    return value


def _waiting_edit(contribution: Contribution) -> ContributionVersion | None:
    return contribution.versions.filter(status=VersionStatus.PROPOSED).first()


@action
def contribution_submit(*, title: str, body: str, by: Any) -> Contribution:
    """A member in good standing submits a contribution; the editors are asked to review it."""
    policy.require(by, "voice.contribute")
    author = _person(by)
    title = _text("title", title, most=TITLE_MOST, what=_("a title"))
    body = _text("body", body, most=BODY_MOST, what=_("your contribution"))
    contribution = Contribution.objects.create(ledger_seq=ledger.next_seq(), author=author, title=title, body=body)
    ContributionVersion.objects.create(
        contribution=contribution, number=1, title=title, body=body, by=author, status=VersionStatus.ORIGINAL
    )
    ledger.record(
        seq=contribution.ledger_seq,
        actor=by,
        action=CONTRIBUTION_SUBMITTED,
        subject=contribution,
        data={"sha256": _sha256(title, body)},
    )
    notify.contribution_to_editors(contribution)
    return contribution


def _review(contribution: Contribution, by: Any) -> Contribution:
    """The contribution, locked, once ``by`` may review it."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    policy.require(by, "voice.see_contribution", contribution)
    policy.require(by, "voice.review_contribution", contribution)
    return contribution


@action
def contribution_accept(*, contribution: Contribution, by: Any) -> Contribution:
    """An editor accepts a contribution for the next issue, as its text stands: never while an edit waits."""
    contribution = _review(contribution, by)
    if _waiting_edit(contribution) is not None:
        raise Conflict(
            _("An edit waits for the author's answer: accept the contribution once they have answered."),
            code="edit_waiting",
        )
    contribution.status, contribution.decided_at = ContributionStatus.ACCEPTED, timezone.now()
    contribution.decided_by = _person(by)
    contribution.save(update_fields=["status", "decided_at", "decided_by"])
    ledger.record(actor=by, action=CONTRIBUTION_ACCEPTED, subject=contribution, data={"contribution": contribution.pk})
    notify.contribution_decided(contribution)
    return contribution


@action
def contribution_reject(*, contribution: Contribution, reason: str, by: Any) -> Contribution:
    """An editor rejects a contribution with a reason, which its author and the oversight body read. An edit the
    author had not answered lapses."""
    contribution = _review(contribution, by)
    reason = _text("reason", reason, most=REASON_MOST, what=_("why it is rejected"))
    now = timezone.now()
    contribution.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.LAPSED, answered_at=now)
    contribution.status, contribution.decided_at, contribution.reason = ContributionStatus.REJECTED, now, reason
    contribution.decided_by = _person(by)
    contribution.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    ledger.record(
        actor=by,
        action=CONTRIBUTION_REJECTED,
        subject=contribution,
        data={"contribution": contribution.pk, "reason_sha256": _sha256(reason)},
    )
    notify.contribution_decided(contribution)
    return contribution


@action
def edit_propose(*, contribution: Contribution, title: str, body: str, by: Any) -> ContributionVersion:
    """An editor proposes an edit: a new version that becomes the text only if the author accepts it."""
    contribution = _review(contribution, by)
    if _waiting_edit(contribution) is not None:
        raise Conflict(_("An edit already waits for the author's answer."), code="edit_waiting")
    title = _text("title", title, most=TITLE_MOST, what=_("a title"))
    body = _text("body", body, most=BODY_MOST, what=_("the edited text"))
    if (title, body) == (contribution.title, contribution.body):
        message = _("The edit changes nothing: change the title or the text.")
        raise InvalidInput(message, code="unchanged", field_errors={"body": [message]})
    number = (contribution.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ContributionVersion.objects.create(
        contribution=contribution, number=number, title=title, body=body, by=_person(by), status=VersionStatus.PROPOSED
    )
    ledger.record(
        actor=by,
        action=EDIT_PROPOSED,
        subject=contribution,
        data={"contribution": contribution.pk, "version": number, "sha256": _sha256(title, body)},
    )
    notify.edit_to_author(contribution)
    return version


@action
def edit_answer(*, contribution: Contribution, agree: bool, by: Any) -> ContributionVersion:
    """The author accepts the edit waiting (it becomes the text) or declines it (the text stays theirs)."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    policy.require(by, "voice.see_contribution", contribution)
    policy.require(by, "voice.answer_edit", contribution)
    version = _waiting_edit(contribution)
    assert version is not None  # the rule above holds only while one waits
    version.status = VersionStatus.AGREED if agree else VersionStatus.DECLINED
    version.answered_at = timezone.now()
    version.save(update_fields=["status", "answered_at"])
    if agree:
        contribution.title, contribution.body = version.title, version.body
        contribution.save(update_fields=["title", "body"])
    ledger.record(
        actor=by,
        action=EDIT_ACCEPTED if agree else EDIT_DECLINED,
        subject=contribution,
        data={"contribution": contribution.pk, "version": version.number},
    )
    return version


def _publish(*, by: Any, publisher: Person | None) -> BulletinIssue:
    waiting = Contribution.objects.select_for_update().filter(status=ContributionStatus.ACCEPTED, issue__isnull=True)
    count = len(waiting)
    if not count:
        raise Conflict(_("No accepted contribution waits for an issue."), code="nothing_to_publish")
    number = (BulletinIssue.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    issue = BulletinIssue.objects.create(
        ledger_seq=ledger.next_seq(), number=number, published_at=timezone.now(), published_by=publisher
    )
    Contribution.objects.filter(pk__in=[c.pk for c in waiting]).update(issue=issue)
    ledger.record(
        seq=issue.ledger_seq,
        actor=by,
        action=ISSUE_PUBLISHED,
        subject=issue,
        data={"number": number, "contributions": count, "on_schedule": publisher is None},
    )
    notify.issue_to_members(issue)
    return issue


@action
def issue_publish(*, by: Any) -> BulletinIssue:
    """An editor publishes the next issue now: every contribution accepted since the last one."""
    policy.require(by, "voice.edit_bulletin")
    return _publish(by=by, publisher=_person(by))


@action
def issues_publish_due(*, now: datetime | None = None) -> int:
    """The periodic job: publish the next issue once the schedule says it is due. Returns how many it published."""
    due = next_issue_due()
    if due is None or due > (now or timezone.now()):
        return 0
    _publish(by=ledger.SYSTEM, publisher=None)
    return 1


kinds.register_periodic(
    "voice bulletin issues published on the bylaws' schedule", lambda now: issues_publish_due(now=now)
)
