"""What the access matrix posts to each route: what the page's own form, or an API client, sends for the step the
thing is at. An empty post that validation refuses proves nothing about access; this data does something for
whoever may do it (``PROOFS`` holds the matrix to that), so that everyone else's refusal is a refusal of access."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone

from rankfile.cases.actions.process import NOTICE_REASONS
from tests.cases import casebuilders as cb
from tests.personas import PASSWORD
from tests.web.matrix_world import RECORDER, Target, World


class RewoundFile(SimpleUploadedFile):
    """An uploaded file the test client reads whole each time it is posted, as the same data goes to every persona."""

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        self.seek(0)
        return bytes(super().read(*args, **kwargs))


@dataclass(frozen=True)
class Posted:
    label: str
    data: dict[str, Any] | str
    content_type: str = MULTIPART_CONTENT


def _day(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


REPORT_FIELDS = {"what_happened": "It happened again.", "when": "Last week"}
CONFIRM = [Posted("confirm", {})]  # a page whose form only asks to confirm


def _workspace(world: World, target: Target) -> list[Posted]:
    """The panel's step at the case's stage: drafting the notice, an interim measure, stepping down."""
    if target.label == "before_notice":
        allegation = cb.ALLEGATIONS[0]
        return [
            Posted(
                "draft the notice",
                {
                    "step": "notice_draft",
                    "notice-TOTAL_FORMS": "1",
                    "notice-INITIAL_FORMS": "0",
                    "notice-MIN_NUM_FORMS": "0",
                    "notice-MAX_NUM_FORMS": "20",
                    "notice-0-text": allegation["text"],
                    "notice-0-provisions": allegation["provisions"],
                },
            )
        ]
    if target.label == "after_notice":
        return [
            Posted(
                "impose an interim measure",
                {
                    "step": "interim",
                    "interim-kind": "suspended_from_leadership",
                    "interim-reason_code": "risk_to_reporter",
                    "interim-reasons": "While the case runs.",
                    "interim-review_on": _day(30),
                },
            )
        ]
    return [Posted("step down", {"step": "recuse"})]


def _party(world: World, target: Target) -> list[Posted]:
    """A party's step at the case's stage: challenging a panelist, the response, naming an adviser."""
    if target.label == "before_notice":
        seat = world.cases["before_notice"].panel.get(person=world.person("panelist"))
        grounds = {"step": "challenge", "challenge-member": seat.pk, "challenge-grounds": "They know him."}
        return [Posted("challenge a panelist", grounds)]
    if target.label == "after_notice":
        return [Posted("respond", {"step": "respond", "response-text": "I deny it.", "confirm": "yes"})]
    return [Posted("name an adviser", {"step": "adviser", "adviser-adviser": world.person("member").pk})]


def _api_step(world: World, target: Target) -> list[Posted]:
    step = target.label.split(", step ")[1]
    case = world.cases[target.label.split(",")[0]]
    bodies: dict[str, dict[str, Any]] = {
        "notice_draft": {"allegations": cb.ALLEGATIONS},
        "notice_delay": {"until": _day(30), "reason_code": NOTICE_REASONS[0]},
        "review_open": {"items": list(case.documents.values_list("pk", flat=True))},
        "respond": {"text": "I deny it."},
        "investigation_report": {"text": "The investigation found…"},
        "decision": {"findings": {"1": "responsible"}, "rationale": "On the evidence.", "sanctions": ["warning"]},
        "appeal": {"grounds": ["new_evidence"], "statement": "There is more."},
        "appeal_decide": {"outcome": "dismissed", "rationale": "It stands."},
        "override": {"vote_reference": world.vote_reference},
    }
    return [Posted(step, json.dumps(bodies.get(step, {})), content_type="application/json")]


def _one(label: str, data: Callable[[World], dict[str, Any]]) -> Callable[[World, Target], list[Posted]]:
    return lambda world, target: [Posted(label, data(world))]


POSTS: dict[str, Callable[[World, Target], list[Posted]]] = {
    "cases:report": _one("a message", lambda w: {"step": "message", "text": "Any news?", **REPORT_FIELDS}),
    "cases:report_edit": _one("save", lambda w: REPORT_FIELDS),
    "cases:report_autosave": _one("save", lambda w: REPORT_FIELDS),
    "cases:report_send": _one("send", lambda w: {"path": "support_only"}),
    "cases:handler_report": _one("a note", lambda w: {"step": "note", "note-text": "For the handlers."}),
    "cases:workspace": _workspace,
    "cases:panel_declaration": _one("declare", lambda w: {"conflict": "no"}),
    "cases:party_case": _party,
    "cases:appeal_case": _one(
        "decide", lambda w: {"step": "appeal_decide", "decide-outcome": "dismissed", "decide-rationale": "It stands."}
    ),
    "api:case_step": _api_step,
    "governance:mandate_detail": _one(
        "progress", lambda w: {"status": "in_progress", "percent": "50", "text": "Halfway there."}
    ),
    "governance:mandate_extend": _one(
        "extend", lambda w: {"extend-vote_reference": w.vote_reference, "extend-due_within_days": "200"}
    ),
    "governance:mandate_rescind": _one("rescind", lambda w: {"rescind-vote_reference": w.vote_reference}),
    "governance:mandate_amend": _one(
        "amend",
        lambda w: {
            "amend-vote_reference": w.vote_reference,
            "amend-title": "Publish the accounts quarterly",
            "amend-text": "Every quarter.",
            "amend-responsible_body": w.org.steering.pk,
            "amend-visibility": "members",
            "amend-due_within_days": "200",
        },
    ),
    "governance:meeting_agenda": _one("agenda", lambda w: {"agenda-agenda": "1. Thanks"}),
    "governance:meeting_attendance": _one("attendance", lambda w: {"attendance-present": [w.people["cleo"].person.pk]}),
    "governance:meeting_depart": _one("departure", lambda w: {"depart-person": w.people["two"].person.pk}),
    "governance:meeting_minutes": _one("minutes", lambda w: {"minutes-text": "We met."}),
    "governance:motion_create": _one(
        "motion",
        lambda w: {
            "motion-text": "That the convention thanks the committee.",
            "motion-mover": w.people["one"].person.pk,
            "motion-threshold": "majority",
        },
    ),
    "governance:vote_create": _one("vote", lambda w: {"method": "unanimous"}),
    "governance:mandate_adopt": _one(
        "adopt",
        lambda w: {
            "title": "Thank the committee",
            "text": "In writing.",
            "responsible_body": w.org.steering.pk,
            "due_within_days": "30",
            "visibility": "members",
        },
    ),
    "governance:seat_by_vote": _one(
        "seat",
        lambda w: {
            "person": w.person("respondent_after_notice").pk,
            "body": w.org.steering.pk,
            "role": "member",
            "starts_on": _day(),
        },
    ),
    "governance:eligibility_override": _one(
        "override", lambda w: {"person": w.person("respondent_after_notice").pk, "body": w.org.steering.pk}
    ),
    "org:person_status_change": _one(
        "suspend", lambda w: {"status": "suspended", "effective_from": _day(), "reason_code": "dues", "reason": "."}
    ),
    "org:person_seat": _one(
        "seat", lambda w: {"body": w.branch.pk, "role": "member", "basis": "appointed", "starts_on": _day()}
    ),
    "org:person_email": _one("save", lambda w: {"email": "a.new.address@example.org"}),
    "org:seat_end": _one("end", lambda w: {"ends_on": _day(), "reason": "resigned"}),
    "accounts:invitation_accept": _one(
        "accept", lambda w: {"name": "New Comer", "password1": PASSWORD, "password2": PASSWORD}
    ),
    "elections:detail": _one("nominate", lambda w: {"nominee": w.person("oversight").pk, "statement": ""}),
    "elections:nomination_answer": _one("accept", lambda w: {"answer": "accept", "statement": "I will serve."}),
    "elections:vote": _one("vote", lambda w: {"marks": ["1"]}),
    "voice:caucus_detail": _one("post", lambda w: {"text": "A post."}),
    "voice:caucus_file_add": _one("add a file", lambda w: {"file": RewoundFile("notes.txt", b"Our notes.")}),
    "voice:caucus_meeting_schedule": _one("schedule", lambda w: {"held_on": _day(7), "agenda": "The budget."}),
    "voice:caucus_minutes_write": _one("minutes", lambda w: {"minutes": "We met."}),
    "voice:caucus_invite": _one("invite", lambda w: {"person": w.person("oversight").pk, "note": "Join us."}),
    "voice:caucus_invitation_answer": _one("accept", lambda w: {"answer": "accept"}),
    "voice:concern_petition": _one("make it a petition", lambda w: {"aim": "agenda_item"}),
    "voice:caucus_support_card": _one("take it off", lambda w: {"listed": "no"}),
    "voice:support_card_name": _one("name me", lambda w: {"named": "yes"}),
    "voice:support_message": _one("write", lambda w: {"text": "Can we talk?", "reply_to": ""}),
    "voice:concern_detail": _one("answer", lambda w: {"answer": "Our answer."}),
    "voice:contribution_reject": _one("reject", lambda w: {"reason": "It repeats last month's."}),
    "voice:contribution_edit": _one("propose an edit", lambda w: {"title": "Shorter", "body": "Shorter."}),
    "voice:statement_detail": _one(
        "a new version",
        lambda w: {"title": "Fuller", "text": "We are truly sorry.", "vote_reference": w.statement_vote},
    ),
    "voice:caucus_statement_new": _one(
        "publish", lambda w: {"kind": "statement", "visibility": "public", "title": "We are here", "text": "Here."}
    ),
    # Routes without an id.
    "voice:statement_new": _one(
        "publish",
        lambda w: {
            "body": w.org.convention.pk,
            "kind": "statement",
            "visibility": "members",
            "title": "On the budget",
            "text": "We said.",
            "vote_reference": w.vote_reference,
        },
    ),
    "voice:members_meeting_new": _one(
        "call", lambda w: {"body": w.org.convention.pk, "title": "All members again", "held_on": _day()}
    ),
    "voice:caucus_new": _one(
        "form",
        lambda w: {
            "name": "Tenants",
            "purpose": "Housing.",
            "founding_statement": "We organize.",
            "join_rule": "open",
            "founders": [w.person("oversight").pk, w.person("panelist").pk],
        },
    ),
    "voice:petition_new": _one(
        "start",
        lambda w: {"body": w.org.steering.pk, "aim": "agenda_item", "title": "Accounts", "text": "Publish them."},
    ),
    "voice:contribution_new": _one("submit", lambda w: {"title": "A letter", "body": "Dear members."}),
    "voice:concern_new": _one(
        "raise", lambda w: {"body": w.org.steering.pk, "title": "Hiring", "text": "Who decided?", "private": "on"}
    ),
    "accounts:invitation_list": _one("invite", lambda w: {"email": "another@example.org", "name": "Another"}),
    "accounts:recovery_requests": _one("ask", lambda w: {"email": w.people["mo"].user.email}),
    "governance:meeting_create": _one(
        "create",
        lambda w: {"bodies": [w.org.convention.pk], "title": "Convention", "kind": "regular", "held_on": _day()},
    ),
    "org:person_create": _one("add", lambda w: {"name": "Nia Newmember", "joined_on": _day()}),
    "org:body_create": _one("add", lambda w: {"name": "West branch", "slug": "west-branch", "kind": "branch"}),
    "org:bylaws_adopt": _one(
        "adopt",
        lambda w: {"document": "[panel]\nsize = 5\nquorum = 3\n", "effective_from": _day(1), "adopted_by_vote": "V1"},
    ),
    "elections:call": _one(
        "call",
        lambda w: {
            "title": "Branch officers",
            "body": w.org.steering.pk,
            "seats": 1,
            "term_starts_on": _day(30),
            "method": "block",
            "ballot_kind": "paper",
            "electorate": "body",
            "electorate_body": w.org.convention.pk,
            "nominations_open_at": f"{_day(1)}T10:00",
            "nominations_close_at": f"{_day(2)}T10:00",
            "voting_open_at": f"{_day(3)}T10:00",
            "voting_close_at": f"{_day(3)}T18:00",
        },
    ),
    "cases:investigation_new": _one(
        "open", lambda w: {"official_names": w.person("leader").name, "examines": w.cases["final"].reference}
    ),
    "transparency:report_list": _one(
        "draft", lambda w: {"period": f"{timezone.localdate().year}H{1 if timezone.localdate().month <= 6 else 2}"}
    ),
    "cases:overrides": _one(
        "override",
        lambda w: {
            "step": "override",
            "override-case_reference": w.cases["final"].reference,
            "override-vote_reference": w.vote_reference,
        },
    ),
}


def route_table_name(route_name: str) -> str:
    """The name the tables know a route by: the API's one route per step is "api:case_step" to them."""
    return "api:case_step" if route_name.startswith("api:case_step_") else route_name


def posts_for(route_name: str, world: World, target: Target) -> list[Posted]:
    make = POSTS.get(route_table_name(route_name))
    return make(world, target) if make else CONFIRM


# Whose post of the data above must change something, by route and thing: the data is plausible.
PROOFS: dict[str, dict[str, str]] = {
    "cases:report": {"report of the case before notice": "reporter_before_notice"},
    "cases:report_edit": {"private record": "reporter_after_notice"},
    "cases:report_send": {"private record": "reporter_after_notice"},
    "cases:handler_report": {"report of the case before notice": "panelist"},
    "cases:workspace": {"before_notice": "panelist", "after_notice": "panelist"},
    "cases:party_case": {"before_notice": "reporter_before_notice", "after_notice": "respondent_after_notice"},
    "api:case_step": {"before_notice, step notice_draft": "panelist", "before_notice, step notice_delay": "panelist"},
    "governance:mandate_detail": {"members mandate": "leader"},
    "governance:meeting_agenda": {"the convention": RECORDER},
    "governance:meeting_minutes": {"the convention": RECORDER},
    "governance:motion_create": {"the convention": RECORDER},
    "org:person_status_change": {"the respondent before notice": "site_admin"},
    "org:person_seat": {"the respondent before notice": "site_admin"},
    "org:person_email": {"the respondent before notice": "site_admin"},
    "org:seat_end": {"the leader's seat": "site_admin"},
    "org:caucus_leave": {"the old caucus": "panelist"},
    "accounts:invitation_accept": {"an open invitation": "anonymous"},
    "accounts:api_token_revoke": {"the leader's token": "leader"},
    "accounts:invitation_list": {"": "site_admin"},
    "governance:meeting_create": {"": RECORDER},
    "org:person_create": {"": "site_admin"},
    "org:body_create": {"": "site_admin"},
    "org:bylaws_adopt": {"": "site_admin"},
    "cases:investigation_new": {"": "oversight"},
    "transparency:report_list": {"": "oversight"},
    "elections:detail": {"the election in nominations": "member"},
    "elections:nomination_answer": {"Mo's nomination": "member"},
    "elections:vote": {"the election in voting": "member"},
    "voice:caucus_detail": {"the caucus": "member"},
    "voice:caucus_file_add": {"the caucus": "member"},
    "voice:caucus_meeting_schedule": {"the caucus": "member"},
    "voice:caucus_minutes_write": {"a meeting of the caucus": "member"},
    "voice:caucus_invite": {"the caucus": "member"},
    "voice:caucus_invitation_answer": {"the caucus": "panelist"},
    "voice:caucus_join": {"the caucus": "leader"},
    "voice:join_approve": {"Ray's request to join": "member"},
    "voice:concern_detail": {"a signed concern": "leader", "a private concern": "leader"},
    "voice:concern_support": {"a signed concern": "member"},
    "voice:concern_petition": {"a signed concern": "reporter_after_notice"},
    "voice:caucus_support_card": {"the caucus": "member"},
    "voice:support_card_name": {"the caucus": "member"},
    "voice:support_message": {"the caucus on the support card": "anonymous"},
    "voice:caucus_new": {"": "member"},
    "voice:concern_new": {"": "member"},
    "voice:petition_sign": {"a petition collecting signatures": "member"},
    "voice:petition_withdraw": {"a petition collecting signatures": "reporter_after_notice"},
    "voice:petition_new": {"": "member"},
    "voice:contribution_accept": {"a contribution in review": "leader"},
    "voice:contribution_reject": {"a contribution in review": "leader", "an edit waiting for its author": "leader"},
    "voice:contribution_edit": {"a contribution in review": "leader"},
    "voice:edit_accept": {"an edit waiting for its author": "member"},
    "voice:edit_decline": {"an edit waiting for its author": "member"},
    "voice:contribution_new": {"": "member"},
    "voice:issue_publish": {"": "leader"},
    "voice:statement_detail": {"a public statement": RECORDER, "a members statement": RECORDER},
    "voice:caucus_statement_new": {"the caucus": "member"},
    "voice:statement_new": {"": RECORDER},
    "voice:members_meeting_new": {"": RECORDER},
    "voice:members_meeting_attend": {"the meeting of all members": "member"},
}
