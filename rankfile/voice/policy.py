"""Who may see and do what in members' voice: the one place it is decided.

Caucuses follow membership of the caucus, never rank (DESIGN.md invariant 5): only its active members read its
space or learn who belongs; a founder named on a caucus not yet formed sees its founding statement and signs it; a
member a convener invited sees the caucus's name and purpose and accepts or declines.
A listed caucus shows its name and purpose to members in good standing, who may join or ask to join. No site
administrator, leadership body or oversight body reads a caucus or learns its membership by virtue of the role.

Concerns: any member in good standing raises one to a body. Members in good standing, the oversight body and site
administrators (as for mandates) read a concern unless it is private; the author, the body it is addressed to and
the oversight body read every one. The body answers; the author or the body closes it once answered. Who raised an
anonymous concern is told to the author and the oversight body only.

Petitions: any member in good standing starts one and signs it until it reaches its threshold; they are read as a
concern that is not private is (members in good standing, the oversight body, site administrators) and by whoever
sits on the body petitioned.

Statements: a body's is published, and given a new version, by whoever records its meetings (its chair, vice chair
or secretary sitting today; never a site administrator who does not), citing a carried vote of the body; a caucus's
by its conveners. A public statement is read by anyone, signed in or not; a members-only one as the members read
meetings (members in good standing, the oversight body, site administrators).

Membership-wide meetings: called by whoever records a body's meetings (the body hosts it and keeps its record); read
as meetings are; attended by any member in good standing on its days.
"""

from typing import Any

import rules
from django.utils import timezone

from rankfile.governance.policy import RECORDING_ROLES, acts_by_its_own_authority, records_for, sees_members_business
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Seat
from rankfile.org.policy import is_member_in_good_standing, watches_over
from rankfile.per_request import remembered
from rankfile.policy import rule_set
from rankfile.voice.bulletin_models import Contribution, ContributionStatus, VersionStatus
from rankfile.voice.models import Caucus, CaucusMember, Concern, MembersMeeting, MemberStatus, Petition, Statement


def _person_pk(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    person = org_queries.person_of(user=user)
    return person.pk if person is not None else None


def membership_of(user: Any, caucus: Caucus | None) -> CaucusMember | None:
    person = _person_pk(user)
    if caucus is None or person is None:
        return None
    return CaucusMember.objects.filter(caucus=caucus, person_id=person).first()


def sits_on(user: Any, body: Body | None) -> bool:
    person = _person_pk(user)
    if body is None or person is None:
        return False
    return body.pk in org_queries.bodies_sat_on(person_id=person, day=timezone.localdate())


@rules.predicate
def is_in_the_caucus(user: Any, caucus: Caucus | None) -> bool:
    found = membership_of(user, caucus)
    return found is not None and found.status == MemberStatus.ACTIVE and caucus is not None and caucus.formed


@rules.predicate
def is_a_founder_to_sign(user: Any, caucus: Caucus | None) -> bool:
    found = membership_of(user, caucus)
    return found is not None and caucus is not None and not caucus.formed and found.status == MemberStatus.NAMED


@rules.predicate
def is_a_founder(user: Any, caucus: Caucus | None) -> bool:
    found = membership_of(user, caucus)
    return found is not None and caucus is not None and not caucus.formed and found.status != MemberStatus.LEFT


@rules.predicate
def is_invited(user: Any, caucus: Caucus | None) -> bool:
    found = membership_of(user, caucus)
    return found is not None and caucus is not None and caucus.formed and found.status == MemberStatus.INVITED


@rules.predicate
def is_listed(user: Any, caucus: Caucus | None) -> bool:
    return caucus is not None and caucus.formed and caucus.listed


@rules.predicate
def may_join(user: Any, caucus: Caucus | None) -> bool:
    found = membership_of(user, caucus)
    return found is None or found.status == MemberStatus.LEFT


@rules.predicate
def convenes(user: Any, caucus: Caucus | None) -> bool:
    found = membership_of(user, caucus)
    return bool(is_in_the_caucus(user, caucus)) and found is not None and found.convener


@rules.predicate
def is_private(user: Any, concern: Concern | None) -> bool:
    return concern is not None and concern.private


@rules.predicate
def is_the_author(user: Any, concern: Concern | None) -> bool:
    return concern is not None and _person_pk(user) == concern.author_id


@rules.predicate
def sits_on_the_body_asked(user: Any, concern: Concern | None) -> bool:
    return concern is not None and sits_on(user, concern.body)


def _has_officers(body: Body) -> bool:
    """Someone sits on ``body`` today as its chair, vice chair or secretary."""
    today = timezone.localdate()
    officers = Seat.objects.filter(body=body, role__in=list(RECORDING_ROLES), starts_on__lte=today)
    return remembered(("voice.has_officers", body.pk, today), lambda: officers.exclude(ends_on__lte=today).exists())


@rules.predicate
def answers_for_the_body(user: Any, concern: Concern | None) -> bool:
    """Answers for the body asked: its officers (chair, vice chair, secretary) where it has any, else whoever sits on
    it; never the concern's own author, who cannot close their concern by answering it as the body."""
    if concern is None or is_the_author(user, concern):
        return False
    if _has_officers(concern.body):
        return bool(records_for(user, concern.body))
    return bool(sits_on(user, concern.body))


@rules.predicate
def is_signed(user: Any, concern: Concern | None) -> bool:
    return concern is not None and not concern.anonymous


@rules.predicate
def is_open(user: Any, concern: Concern | None) -> bool:
    return concern is not None and concern.closed_at is None


@rules.predicate
def is_not_petitioned(user: Any, concern: Concern | None) -> bool:
    return concern is not None and not Petition.objects.filter(from_concern=concern).exists()


@rules.predicate
def is_collecting(user: Any, petition: Petition | None) -> bool:
    return petition is not None and petition.reached_at is None


@rules.predicate
def sits_on_the_body_petitioned(user: Any, petition: Petition | None) -> bool:
    return petition is not None and sits_on(user, petition.body)


concern_parties = is_the_author | sits_on_the_body_asked | watches_over

rule_set.add_rule("voice.view", sees_members_business)
rule_set.add_rule("voice.form_caucus", is_member_in_good_standing)
rule_set.add_rule(
    "voice.see_caucus", is_in_the_caucus | is_a_founder | is_invited | (is_member_in_good_standing & is_listed)
)
rule_set.add_rule("voice.sign_founding", is_member_in_good_standing & is_a_founder_to_sign)
rule_set.add_rule("voice.read_caucus", is_in_the_caucus)
rule_set.add_rule("voice.see_roster", is_in_the_caucus | is_a_founder)
rule_set.add_rule("voice.join_caucus", is_member_in_good_standing & is_listed & may_join)
rule_set.add_rule("voice.convene", convenes)
rule_set.add_rule("voice.answer_invitation", is_member_in_good_standing & is_invited)
rule_set.add_rule("voice.raise_concern", is_member_in_good_standing)
rule_set.add_rule("voice.see_concern", (~is_private & sees_members_business) | concern_parties)
rule_set.add_rule("voice.see_author", is_signed | is_the_author | watches_over)
rule_set.add_rule("voice.answer_concern", is_open & answers_for_the_body)
rule_set.add_rule("voice.close_concern", is_open & (is_the_author | sits_on_the_body_asked))
rule_set.add_rule("voice.support_concern", is_open & is_member_in_good_standing & ~is_private & ~is_the_author)
rule_set.add_rule("voice.start_petition", is_member_in_good_standing)
rule_set.add_rule(
    "voice.petition_concern",
    is_member_in_good_standing & is_the_author & is_signed & ~is_private & is_open & is_not_petitioned,
)
rule_set.add_rule("voice.see_petition", sees_members_business | sits_on_the_body_petitioned)
rule_set.add_rule("voice.sign_petition", is_collecting & is_member_in_good_standing)


# --- the discussion bulletin ------------------------------------------------------------------------------------
# Members in good standing (and the oversight body) read the bulletin's issues and submit contributions. The editors
# are whoever sits on the body the bylaws name (voice.bulletin_editors); until they name one, nobody edits. An editor
# reviews and proposes edits to others' contributions, never their own. A contribution not yet published is read by
# its author and the editors; a rejected one, with its reason, also by the oversight body.


def bulletin_editors() -> Body | None:
    """The body the bylaws in force name to edit the bulletin, if they name one."""
    slug = org_queries.bylaws_document(day=timezone.localdate()).get("voice", {}).get("bulletin_editors", "")
    return remembered(("org.body_named", slug), lambda: Body.objects.filter(slug=slug).first()) if slug else None


@rules.predicate
def edits_the_bulletin(user: Any) -> bool:
    return sits_on(user, bulletin_editors())


@rules.predicate
def is_the_contributor(user: Any, contribution: Contribution | None) -> bool:
    return contribution is not None and _person_pk(user) == contribution.author_id


@rules.predicate
def is_waiting_for_the_editors(user: Any, contribution: Contribution | None) -> bool:
    return contribution is not None and contribution.status == ContributionStatus.SUBMITTED


@rules.predicate
def is_rejected(user: Any, contribution: Contribution | None) -> bool:
    return contribution is not None and contribution.status == ContributionStatus.REJECTED


@rules.predicate
def is_published(user: Any, contribution: Contribution | None) -> bool:
    return contribution is not None and contribution.issue_id is not None


@rules.predicate
def has_an_edit_waiting(user: Any, contribution: Contribution | None) -> bool:
    return contribution is not None and contribution.versions.filter(status=VersionStatus.PROPOSED).exists()


@rules.predicate
def edits_this_contribution(user: Any, contribution: Contribution | None) -> bool:
    return bool(edits_the_bulletin(user)) and not is_the_contributor(user, contribution)


reads_the_bulletin = is_member_in_good_standing | watches_over

rule_set.add_rule("voice.read_bulletin", reads_the_bulletin)
rule_set.add_rule("voice.contribute", is_member_in_good_standing)
rule_set.add_rule("voice.edit_bulletin", edits_the_bulletin)
rule_set.add_rule(
    "voice.see_contribution",
    is_the_contributor | edits_the_bulletin | (is_rejected & watches_over) | (is_published & reads_the_bulletin),
)
rule_set.add_rule("voice.review_contribution", is_waiting_for_the_editors & edits_this_contribution)
rule_set.add_rule("voice.answer_edit", is_the_contributor & has_an_edit_waiting)


@rules.predicate
def is_a_public_statement(user: Any, statement: Statement | None) -> bool:
    return statement is not None and statement.is_public


@rules.predicate
def speaks_for(user: Any, statement: Statement | None) -> bool:
    """Publishes the statement's versions: a recorder of its body (never a site administrator who does not sit on
    it), or its caucus's convener."""
    if statement is None:
        return False
    if statement.caucus is not None:
        return bool(convenes(user, statement.caucus))
    return bool(acts_by_its_own_authority(user)) or bool(records_for(user, statement.body))


@rules.predicate
def is_on_its_days(user: Any, members_meeting: MembersMeeting | None) -> bool:
    if members_meeting is None:
        return False
    meeting, today = members_meeting.meeting, timezone.localdate()
    return meeting.held_on <= today <= meeting.last_day and not meeting.is_locked


rule_set.add_rule("voice.publish_statement", acts_by_its_own_authority | records_for)
rule_set.add_rule("voice.see_statement", is_a_public_statement | sees_members_business)
rule_set.add_rule("voice.revise_statement", speaks_for)
rule_set.add_rule("voice.call_members_meeting", acts_by_its_own_authority | records_for)
rule_set.add_rule("voice.attend_members_meeting", is_member_in_good_standing & is_on_its_days)
