"""Invariants 5 and 11 for every route of the site, read from the URL conf: whoever is not entitled to a thing gets
for it exactly what they get for a thing that does not exist (the same status, the same redirect but for the id,
the same page but for the ids and the CSRF token), and changes nothing by posting to it: no row anywhere, the
ledger's included.

Each route's parameters are filled by what they name (``matrix_world.THINGS``): real things of one world, built once
for the module, and made-up ones. Who may see, and who may change, each route's thing is the table ``ACCESS`` below;
a route about a case or a report that it does not list is for the people assigned to the thing and nobody else.
Every request runs in a savepoint that is rolled back, so that each one meets the same world. A route the matrix
cannot fill, or outside cases and reports whose access it does not know, fails until the matrix is taught.
"""

import html
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path

from rankfile.cases import policy as case_policy
from rankfile.cases.actions import decisions
from rankfile.ledger.models import Entry
from tests.web import matrix_world
from tests.web.matrix_posts import PROOFS, Posted, posts_for, route_table_name
from tests.web.matrix_world import PERSONAS, STEP_ROUTE, THINGS, Target, Things, World, step_things

pytestmark = pytest.mark.django_db

CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked CSRF token: different in every response


# --- the routes, from the URL conf ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str  # the whole route, e.g. "cases/case/<str:reference>/files/<int:pk>/"
    params: tuple[tuple[str, str], ...]  # each parameter: (the path segment before it, its name)

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    def path(self, kwargs: dict[str, Any]) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[str(m[1])]), self.pattern)


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    """Every route of the site but allauth's own pages, which know nothing of cases (as test_sign_in_first)."""
    found = []
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            if "allauth" not in getattr(entry.urlconf_module, "__name__", ""):
                found += _routes(entry.url_patterns, pattern, space)
        elif isinstance(entry, URLPattern) and not entry.callback.__module__.startswith("allauth."):
            name = f"{namespace}:{entry.name or '/' + pattern}".strip(":")
            params = tuple(
                (before.rstrip("/").rsplit("/", 1)[-1], param)
                for before, param in re.findall(r"([^<>]*)<(?:\w+:)?(\w+)>", pattern)
            )
            found.append(Route(name=name, pattern=pattern, params=params))
    return found


ROUTES = _routes(get_resolver().url_patterns)


# --- who may see, and who may change, each route's thing ------------------------------------------------------------

# Who holds a role rather than an assignment. Every persona but the site administrator is a member in good standing.
GROUPS: dict[str, frozenset[str]] = {
    "everyone": frozenset(PERSONAS),
    "members": frozenset(p for p, name in PERSONAS.items() if name not in (None, "sita")),
    "site_admin": frozenset({"site_admin"}),
    "responsible": frozenset({"leader"}),  # sits on the steering committee, responsible for the mandates
    # Of the convention's meeting: its chair (no persona, matrix_world.RECORDER), never a site administrator by rank.
    "recorders": frozenset(),
    "oversight": frozenset({"oversight"}),
    "bulletin_editors": matrix_world.EDITORS,
}


@dataclass(frozen=True)
class Access:
    """``sees``: the parts of the thing (``Target.assigned``) or the groups who may learn that it exists; ``writes``:
    who may change it by posting (by default, whoever sees it); ``opens``: what those who see it get when they open
    it, by thing or persona where it differs (a page that sends them on, 405 where only a form posts to it)."""

    sees: tuple[str, ...]
    writes: tuple[str, ...] | None = None
    opens: int | dict[str, int] = 200


MEMBERS = ("members", "site_admin")
RECORDERS_FORM = Access(sees=MEMBERS, writes=("recorders",), opens=405)  # a form on a page members see

ACCESS: dict[str, Access] = {
    # The reporter's own pages: the reporter, nobody else (not the handlers, who have pages of their own).
    "cases:report": Access(sees=("reporter",)),
    "cases:report_edit": Access(sees=("reporter",)),
    "cases:report_autosave": Access(sees=("reporter",), opens=405),
    "cases:report_send": Access(sees=("reporter",)),
    "cases:report_read": Access(sees=("reporter",)),
    "cases:report_withdraw": Access(sees=("reporter",)),
    "cases:report_conflict": Access(sees=("reporter",)),
    "cases:report_delete": Access(sees=("reporter",)),
    "cases:report_file": Access(sees=("reporter",)),
    "cases:report_filing_receipt": Access(sees=("reporter",)),
    # The handlers' pages: the report's current handlers, never one who stepped down or was excluded.
    "cases:handler_report": Access(sees=("handlers",)),
    "cases:handler_file": Access(sees=("handlers",)),
    "cases:handler_step_down": Access(sees=("handlers",)),
    # The case pages: the seated panel; the parties, each once told of the case; the appeals body's hearers.
    "cases:workspace": Access(sees=("panel",)),
    "cases:workspace_file": Access(sees=("panel", "appeals")),
    "cases:workspace_report_file": Access(sees=("panel", "appeals")),
    "cases:workspace_decision_pdf": Access(sees=("panel", "appeals")),
    "cases:panel_declaration": Access(sees=("panel",), opens=302),  # a seated panelist goes on to the workspace
    "cases:party_case": Access(sees=("told",)),
    "cases:party_file": Access(sees=("readers",)),
    "cases:party_decision_pdf": Access(sees=("told",)),
    "cases:appeal_case": Access(sees=("appeals",)),
    "api:case_state": Access(sees=("panel", "told", "appeals")),
    "api:case_step": Access(sees=("panel", "told", "appeals"), opens=405),
    # Mandates and meetings: members in good standing see them; the responsible body and recorders change them.
    "governance:mandate_detail": Access(sees=MEMBERS, writes=("responsible",)),
    "governance:mandate_follow": Access(sees=MEMBERS, opens=405),
    "governance:mandate_unfollow": Access(sees=MEMBERS, opens=405),
    "governance:mandate_amend": RECORDERS_FORM,
    "governance:mandate_extend": RECORDERS_FORM,
    "governance:mandate_rescind": RECORDERS_FORM,
    "governance:public_mandate_detail": Access(sees=("public",)),
    "governance:private_calendar": Access(sees=("everyone",)),  # the address is the key
    "governance:meeting_detail": Access(sees=MEMBERS),
    "governance:meeting_report": Access(sees=MEMBERS),
    "governance:meeting_agenda": RECORDERS_FORM,
    "governance:meeting_attendance": RECORDERS_FORM,
    "governance:meeting_depart": RECORDERS_FORM,
    "governance:meeting_minutes": RECORDERS_FORM,
    "governance:motion_create": RECORDERS_FORM,
    "governance:motion_withdraw": RECORDERS_FORM,
    # The recorders' own pages about a carried motion: anyone else finds nothing there.
    "governance:vote_create": Access(sees=("recorders",), opens=302),  # the vote is taken: back to the meeting
    "governance:mandate_adopt": Access(sees=("recorders",)),
    "governance:seat_by_vote": Access(sees=("recorders",)),
    "governance:eligibility_override": Access(sees=()),  # a recorder who sits on the body; never a site admin
    # Elections: members in good standing see them and nominate; the nominee answers; those on the roll vote; the
    # body that runs them (the convention: its chair, no persona) opens voting, counts and seats.
    "elections:detail": Access(sees=MEMBERS, writes=("members",)),
    "elections:nomination_answer": Access(sees=("nominee",), opens=405),
    "elections:voting_open": Access(sees=MEMBERS, writes=(), opens=405),
    "elections:vote": Access(sees=("electors",)),
    "elections:ballots": Access(sees=MEMBERS),
    "elections:paper_count": Access(sees=()),
    "elections:floor_nomination": Access(sees=()),  # the body that runs it (the convention: its chair, no persona)
    "elections:count": Access(sees=MEMBERS, writes=(), opens=405),
    "elections:results": Access(sees=MEMBERS),
    "elections:seat_winners": Access(sees=MEMBERS, writes=(), opens=405),
    # Members' voice: a listed caucus shows itself to members in good standing (never by rank to a site administrator);
    # its members post, add and open files, leave and, as conveners, let in who asked. A concern: the members read it
    # unless private (then the author, the body asked and the oversight body); the body answers; members add names.
    "voice:caucus_detail": Access(sees=("members",), writes=("caucus",)),
    "voice:caucus_sign": Access(sees=("members",), writes=(), opens=405),
    "voice:caucus_join": Access(sees=("members",), opens=405),
    "voice:caucus_leave": Access(sees=("members",), writes=("caucus",), opens=405),
    "voice:join_approve": Access(sees=("caucus",), opens=405),
    "voice:caucus_file_add": Access(sees=("members",), writes=("caucus",), opens=405),
    "voice:caucus_file": Access(sees=("caucus",), writes=()),
    "voice:caucus_meeting_schedule": Access(sees=("members",), writes=("caucus",), opens=405),
    "voice:caucus_minutes_write": Access(sees=("caucus",)),
    "voice:caucus_invite": Access(sees=("members",), writes=("caucus",), opens=405),
    "voice:caucus_invitation_answer": Access(sees=("members",), writes=("invited",), opens=405),
    "voice:caucus_support_card": Access(sees=("members",), writes=("caucus",), opens=405),
    "voice:support_card_name": Access(sees=("members",), writes=("caucus",), opens=405),
    # A caucus its conveners listed on the support card: anyone, signed in or not, writes to its conveners.
    "voice:support_message": Access(sees=("everyone",)),
    "voice:concern_detail": Access(sees=("concern_readers",), writes=("asked",)),
    "voice:concern_close": Access(sees=("concern_readers",), writes=(), opens=405),
    "voice:concern_support": Access(sees=("concern_readers",), writes=("members",), opens=405),
    "voice:concern_petition": Access(sees=("concern_readers",), writes=("concern_author",), opens=405),
    # A petition: the members read it; members in good standing sign; who signed withdraws, until it is carried.
    "voice:petition_detail": Access(sees=MEMBERS, writes=()),
    "voice:petition_sign": Access(sees=MEMBERS, writes=("members",), opens=405),
    "voice:petition_withdraw": Access(sees=MEMBERS, writes=("signers",), opens=405),
    # The bulletin: members in good standing read its issues and published contributions (never a site administrator
    # by rank); one not yet published is its author's and the editors'. Editors review others' contributions; only
    # the author answers an edit.
    "voice:contribution_detail": Access(sees=("readers",), writes=()),
    "voice:contribution_accept": Access(sees=("readers",), writes=("editors",), opens=405),
    "voice:contribution_reject": Access(sees=("readers",), writes=("editors",), opens=405),
    "voice:contribution_edit": Access(sees=("editors",)),
    "voice:edit_accept": Access(sees=("readers",), writes=("author",), opens=405),
    "voice:edit_decline": Access(sees=("readers",), writes=("author",), opens=405),
    "voice:issue_detail": Access(sees=("members",)),
    "voice:issue_pdf": Access(sees=("members",)),
    # Statements: the members read them all and anyone the public ones, on their public page; whoever records the
    # body's meetings publishes a new version; a caucus's conveners publish as the caucus's.
    "voice:statement_detail": Access(sees=MEMBERS, writes=("recorders",)),
    "voice:public_statement_detail": Access(sees=("public",)),
    "voice:caucus_statement_new": Access(sees=("caucus",)),
    # A meeting of all members: the members read it, and attend it on its day.
    "voice:members_meeting_detail": Access(sees=MEMBERS, writes=()),
    "voice:members_meeting_attend": Access(sees=MEMBERS, writes=("members",), opens=405),
    # The directory and the bylaws: members in good standing, the oversight body, site administrators.
    "org:body_detail": Access(sees=MEMBERS),
    # A caucus of the older kind: only who sits on it leaves it (a GET finds a form's address: 405).
    "org:caucus_leave": Access(sees=MEMBERS, writes=("caucus_seat",), opens=405),
    "org:person_detail": Access(sees=MEMBERS),
    "org:bylaws_version": Access(sees=MEMBERS),
    "org:person_status_change": Access(sees=("site_admin",)),
    "org:person_seat": Access(sees=("site_admin",)),
    "org:person_email": Access(sees=("site_admin",)),
    # The respondent has an account already: the page says so, and posting to it links nothing.
    "org:person_account_link": Access(sees=("site_admin",), writes=()),
    "org:seat_end": Access(sees=("seat_managers",)),  # a site administrator, never for a seat on a caucus
    # An invitation's address is its key (signed in, it sends you home); site admins revoke; trustees approve.
    "accounts:invitation_accept": Access(sees=("everyone",), opens={"anonymous": 200, "*": 302}),
    "accounts:invitation_revoke": Access(sees=("site_admin",), opens=302),
    "accounts:recovery_approve": Access(sees=("trustees",), opens=302),
    "accounts:api_token_revoke": Access(sees=("owner",), opens=302),  # a GET goes back to the list of tokens
    "cases:adviser_invitation": Access(sees=("adviser",)),
    # Transparency reports: a draft for its reviewers, a published one for the members or for anyone (the public
    # pages only for a public one); published by a recorder of the body the bylaws name (no persona records it).
    "transparency:report_detail": Access(sees=("report_readers",)),
    "transparency:report_pdf": Access(sees=("report_readers",)),
    "transparency:report_csv": Access(sees=("report_readers",)),
    "transparency:report_publish": Access(sees=()),
    "transparency:public_detail": Access(sees=("public_readers",)),
    "transparency:public_pdf": Access(sees=("public_readers",)),
    "transparency:public_csv": Access(sees=("public_readers",)),
    # The ledger's proofs are public.
    "ledger:entry_proof": Access(sees=("everyone",)),
    "api:ledger_entry_proof": Access(sees=("everyone",)),
}
# A route about a case or a report that ACCESS does not list: for those the thing names, and for nobody else.
CASE_NAMESPACES = ("cases", "api")
ASSIGNED = Access(sees=("panel", "parties", "appeals", "reporter", "handlers", "readers"), opens=0)

# Where a route is for some of the things its parameters can name, those: a draft's pages for the private record, a
# sent report's for the report of a case.
ONLY: dict[str, set[str]] = {
    "cases:report_edit": {"private record"},
    "cases:report_autosave": {"private record"},
    "cases:report_send": {"private record"},
    "cases:report_delete": {"private record"},
    "cases:report_read": {"report of the case before notice"},
    "cases:report_withdraw": {"report of the case before notice"},
    "cases:report_filing_receipt": {"report of the case before notice"},  # a sent report's; a draft has none
    "elections:vote": {"the election in voting"},
    "voice:contribution_edit": {"a contribution in review"},
}

# Routes without an id: who may change something by posting to them.
WRITERS: dict[str, tuple[str, ...]] = {
    "accounts:invitation_list": ("site_admin",),
    "accounts:recovery_setup": ("site_admin",),
    "accounts:recovery_requests": ("oversight",),  # a trustee asks the others to restore someone's access
    "governance:meeting_create": ("recorders",),
    "org:person_create": ("site_admin",),
    "org:body_create": ("site_admin",),
    "org:import_members": ("site_admin",),
    "org:bylaws_adopt": ("site_admin",),
    "cases:investigation_new": ("oversight",),
    "elections:call": (),  # the body that runs elections (the convention: its chair, no persona)
    "voice:caucus_new": ("members",),
    "voice:concern_new": ("members",),
    "voice:petition_new": ("members",),
    "voice:contribution_new": ("members",),
    "voice:issue_publish": ("bulletin_editors",),
    "voice:statement_new": ("recorders",),
    "voice:members_meeting_new": ("recorders",),
    "cases:overrides": (),  # the convention's recorders (its chair, no persona), never a site administrator
    "transparency:report_list": ("oversight",),  # drafts a report
}
# ... and those where anyone may: lists, each person's own pages and settings, public pages, making a report.
OPEN_TO_ALL = {
    "web:home",
    "web:overdue",  # the oversight body's list; anyone else finds nothing there
    "accounts:api_tokens",  # each person's own tokens
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
    "/accounts/email/",
    "accounts:welcome",
    "accounts:password_change",
    "accounts:password_set",
    "ledger:entry_list",
    "ledger:checkpoint",
    "ledger:checkpoint_text",
    "ledger:receipt_check",  # anyone checks a receipt; nothing is stored
    "ledger:witness_add_checkpoint",  # the witness protocol: a checkpoint signed by a log it witnesses, or refused
    "org:body_list",
    "org:person_list",
    "org:my_membership",
    "org:bylaws",
    "cases:report_start",
    "cases:report_receipt",
    "cases:report_receipt_download",  # answers with the code it was sent, as a file; stores nothing
    "cases:report_session_end",  # ends the visitor's own session
    "cases:inbox",
    "cases:my_cases",
    "governance:tracker",
    "governance:calendar",
    "governance:calendar_feed_renew",
    "governance:calendar_feed_stop",
    "governance:export_csv",
    "governance:meeting_list",
    "elections:list",
    "elections:self_identification",  # each member's own answer, sealed
    "voice:index",
    "voice:bulletin",  # the issues, and each person's own contributions
    "voice:bulletin_feed",
    "voice:statement_list",
    "voice:public_statement_list",
    "voice:public_statement_feed",
    "voice:members_meeting_list",
    "governance:public_tracker",
    "governance:public_calendar",
    "transparency:public_list",
    "api:health",
}


# Outside cases and reports, what a person is to some case makes no difference; their role does. Those things are
# looked at by one persona of each role.
BY_ROLE = ("anonymous", "leader", "site_admin", "member", "oversight", "panelist")
CASE_PARTS = ("panel", "parties", "told", "appeals", "reporter", "handlers", "readers")


def _personas(target: Target) -> Iterable[str]:
    return PERSONAS if any(part in target.assigned for part in CASE_PARTS) else BY_ROLE


def _access(route: Route) -> Access:
    if route_table_name(route.name) in ACCESS:
        return ACCESS[route_table_name(route.name)]
    if route.namespace in CASE_NAMESPACES:
        return ASSIGNED
    pytest.fail(f"teach the matrix about {route.name} (/{route.pattern}): who may see it? (ACCESS)")


def _things(route: Route) -> Things:
    if route.name.startswith(STEP_ROUTE):
        return step_things(route.name.removeprefix(STEP_ROUTE))
    key = (route.namespace, route.params)
    if key not in THINGS:
        pytest.fail(f"teach the matrix about {route.name} (/{route.pattern}): what do its parameters name? (THINGS)")
    return THINGS[key]


def _plan(route: Route) -> tuple[Things, Access]:
    """What the route's parameters name, and who may see and change it; or the test fails until it is taught."""
    return _things(route), _access(route)


def _parts(names: Iterable[str], target: Target) -> frozenset[str]:
    found: set[str] = set()
    for name in names:
        found |= GROUPS.get(name) or target.assigned.get(name, frozenset())
    return frozenset(found)


def _openers(names: Iterable[str], target: Target) -> frozenset[str]:
    """Who opens the real thing, to show that it is there: one of each part of it, or group, that may see it."""
    order = list(PERSONAS)
    found: set[str] = set()
    for name in names:
        part = GROUPS.get(name) or target.assigned.get(name, frozenset())
        found |= {min(part, key=order.index)} if part else set()
    return frozenset(found)


def _opens(access: Access, target: Target, persona: str) -> int:
    if isinstance(access.opens, int):
        return access.opens
    return access.opens.get(target.label, access.opens.get(persona, access.opens.get("*", 200)))


# --- who sits on a caucus: nobody by rank learns it ------------------------------------------------------------------

# Every answer to these, in the whole walk, is read for Dora's seat on the old caucus (a body of kind caucus).
RANKS = ("site_admin", "oversight", "leader", "member")
PIECES = re.compile(r"</li>|</tr>|</p>|</dd>|</option>|\n")


def caucus_seat_told(world: World, path: str, content: str) -> list[str]:
    """How an answer tells that Dora sits on the old caucus: her name on its page, its name on hers, both in one item
    of a list, a row, a line or a sentence, or the entry that seated her, by its data or its subject."""
    seat, caucus, entry = world.old_caucus_seat, world.old_caucus, world.old_caucus_seated
    if seat is None or caucus is None or entry is None:
        return []
    text = html.unescape(content)
    name = seat.person.name
    told = []
    if path == f"/org/bodies/{caucus.slug}/" and name in text:
        told.append("her name on its page")
    if path == f"/org/people/{seat.person_id}/" and (caucus.name in text or caucus.slug in text):
        told.append("its name on her page")
    if any(name in piece and caucus.name in piece for piece in PIECES.split(text)):
        told.append("her name beside its name")
    if entry.data in text or f"org.seat {seat.pk}" in text:
        told.append(f"entry {entry.seq}'s data or subject")
    return told


# --- one request, undone afterwards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    content_type: str
    body: str
    wrote: str  # the tables whose row counts changed ("" for none), the ledger's among them
    recorded: frozenset[str] = frozenset()  # the actions of the ledger entries the request added

    def summary(self) -> str:
        return f"{self.status} -> {self.location}" if self.location else str(self.status)


def _normalised(text: str, path: str, kwargs: dict[str, Any]) -> str:
    """Without the request's own address and ids, or the CSRF token masked afresh in every response."""
    for form in (path, quote(path, safe="")):
        text = text.replace(form, "{path}")
    for value in kwargs.values():
        if isinstance(value, str) and not value.isdigit():
            text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", "{id}", text)
    return CSRF.sub("{csrf}", text)


@dataclass
class Matrix:
    world: World
    tables: list[str]
    baseline: tuple[int, ...]
    checks: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    walked: set[str] = field(default_factory=set)
    proved: set[tuple[str, str]] = field(default_factory=set)
    answers_for_missing: dict[tuple[str, str, str, str], Answer] = field(default_factory=dict)
    last_seq: int = 0

    def row_counts(self) -> tuple[int, ...]:
        """Every table's row count, in one query."""
        with connection.cursor() as cursor:
            # The names are the models' own tables, quoted: nothing comes from outside.
            names = (connection.ops.quote_name(t) for t in self.tables)
            cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in names))  # noqa: S608
            return tuple(cursor.fetchone())

    def send(self, persona: str, method: str, route: Route, kwargs: dict[str, Any], posted: Posted | None) -> Answer:
        """``method`` is GET without ``posted``, POST with it."""
        client = self.world.clients[persona]
        path = route.path(kwargs)
        cookies = client.cookies
        client.cookies = type(cookies)(cookies)  # a message one response leaves is not shown by the next
        with transaction.atomic():
            if posted is None:
                response = client.get(path)
            else:
                response = client.post(path, posted.data, content_type=posted.content_type)
            counts = self.row_counts()
            recorded = frozenset(Entry.objects.filter(seq__gt=self.last_seq).values_list("action", flat=True))
            transaction.set_rollback(True)
        client.cookies = cookies
        self.requests += 1
        wrote = ", ".join(
            f"{t} {now - then:+d}"
            for t, now, then in zip(self.tables, counts, self.baseline, strict=True)
            if now != then
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        location = response.get("Location", "")
        if persona in RANKS:
            for leak in caucus_seat_told(self.world, path, content.decode(errors="replace")):
                self.failures.append(f"{persona} {method} {route.name}: tells who sits on a caucus ({leak})")
        return Answer(
            status=response.status_code,
            location=_normalised(location, path, kwargs),
            content_type=response.get("Content-Type", ""),
            body="" if location else _normalised(content.decode(errors="replace"), path, kwargs),
            wrote=wrote,
            recorded=recorded,
        )

    def missing(self, persona: str, method: str, route: Route, kwargs: dict[str, Any], posted: Posted | None) -> Answer:
        key = (persona, method, route.path(kwargs), repr(posted))
        if key not in self.answers_for_missing:
            self.answers_for_missing[key] = self.send(persona, method, route, kwargs, posted)
        return self.answers_for_missing[key]

    def fail(self, persona: str, method: str, route: Route, target: Target, why: str) -> None:
        about = f" [{target.label}]" if target.label else ""
        self.failures.append(f"{persona} {method} {route.name}{about}: {why}")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, built once for the module in a transaction rolled back at its end."""
    requests = logging.getLogger("django.request")
    level = requests.level
    requests.setLevel(logging.ERROR)  # thousands of "Not Found", each of them expected
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            built = matrix_world.build()
            for client in built.clients.values():
                client.raise_request_exception = False  # a crash is an answer: it fails its check
            yield built
            transaction.set_rollback(True)
    finally:
        requests.setLevel(level)


@pytest.fixture(scope="module")
def matrix(world: World, django_db_blocker: Any) -> Matrix:
    models = apps.get_models(include_auto_created=True)
    tables = sorted({m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy})
    with django_db_blocker.unblock():
        found = Matrix(world=world, tables=tables, baseline=())
        found.baseline = found.row_counts()
        found.last_seq = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        return found


# --- the checks -----------------------------------------------------------------------------------------------------


def _check_route(matrix: Matrix, route: Route) -> None:
    (things, access), world = _plan(route), matrix.world
    targets = [t for t in things.real(world) if route.name not in ONLY or t.label in ONLY[route.name]]
    assert targets, f"none of the things {route.name} is for"
    opened: set[str] = set()
    for target in targets:
        missing = {**target.kwargs, **things.made_up(world)}
        sees = _parts(access.sees, target)
        writes = _parts(access.sees if access.writes is None else access.writes, target)
        openers = _openers(access.sees, target)
        posts = posts_for(route.name, world, target)
        # A parameter that names nothing (an API step) changes what a post does, not what opening the page shows.
        page = repr({k: v for k, v in target.kwargs.items() if k != things.varies})
        first = page not in opened
        opened.add(page)
        for persona in _personas(target):
            if first and persona in openers:
                _check_entitled(matrix, route, target, persona, access)
            elif first and persona not in sees:
                _check_hidden(matrix, route, target, persona, "GET", None, missing)
            if persona not in writes:
                for posted in posts:
                    _check_hidden(matrix, route, target, persona, "POST", posted, missing, seen=persona in sees)
        _check_proof(matrix, route, target, posts)


def _check_entitled(matrix: Matrix, route: Route, target: Target, persona: str, access: Access) -> None:
    """Someone entitled opens the real thing: it is there, so that hiding it from the others means something."""
    expected = _opens(access, target, persona)
    if not expected:
        return
    answer = matrix.send(persona, "GET", route, target.kwargs, None)
    matrix.checks += 1
    if answer.status != expected:
        matrix.fail(persona, "GET", route, target, f"entitled, got {answer.summary()} (expected {expected})")


def _an_officials_attempt_on_the_record(matrix: Matrix, persona: str, answer: Answer) -> bool:
    """The one write a refusal may make: an official's (someone seated on a body) asking to set a decision aside or
    override it is refused as not found, and recorded, flagged, with their name, for the oversight body (the founding
    story: a leadership that sets a decision aside is seen doing it). Anyone else's attempt writes nothing."""
    only_the_ledger = all(table.split(" ")[0].startswith("ledger_") for table in answer.wrote.split(", "))
    official = case_policy.is_official(matrix.world.user(persona))
    return official and only_the_ledger and answer.recorded == {decisions.CHANGE_REFUSED}


def _check_hidden(
    matrix: Matrix,
    route: Route,
    target: Target,
    persona: str,
    method: str,
    posted: Posted | None,
    missing: dict[str, Any],
    *,
    seen: bool = False,
) -> None:
    """The real thing answers as the made-up one does (unless the persona may see it), and nothing is written."""
    real = matrix.send(persona, method, route, target.kwargs, posted)
    matrix.checks += 1
    what = f" ({posted.label})" if posted else ""
    if real.status >= 500:
        matrix.fail(persona, method, route, target, f"{real.status}{what}: a page that crashes")
    if real.wrote and not _an_officials_attempt_on_the_record(matrix, persona, real):
        matrix.fail(persona, method, route, target, f"{real.summary()}{what}, but wrote: {real.wrote}")
    if seen or not route.params:
        return
    gone = matrix.missing(persona, method, route, missing, posted)
    if (real.status, real.location) != (gone.status, gone.location):
        matrix.fail(persona, method, route, target, f"real {real.summary()} vs missing {gone.summary()}{what}")
    elif (real.content_type, real.body) != (gone.content_type, gone.body):
        matrix.fail(persona, method, route, target, f"{real.status} for both, but not the same page{what}")


def _check_proof(matrix: Matrix, route: Route, target: Target, posts: list[Posted]) -> None:
    """Whoever may, posting the same data, changes something: the others' refusals are refusals of access."""
    persona = PROOFS.get(route_table_name(route.name), {}).get(target.label)
    if persona is None:
        return
    matrix.proved.add((route_table_name(route.name), target.label))
    for posted in posts:
        answer = matrix.send(persona, "POST", route, target.kwargs, posted)
        matrix.checks += 1
        if not answer.wrote:
            matrix.fail(persona, "POST", route, target, f"may, but {posted.label} changed nothing ({answer.summary()})")


def _check_writers_only(matrix: Matrix, route: Route) -> None:
    """A route without an id: posting to it changes nothing for anyone who may not change what it changes."""
    if route.name in OPEN_TO_ALL:
        return
    if route.name not in WRITERS:
        pytest.fail(f"teach the matrix about {route.name} (/{route.pattern}): who may post? (WRITERS, OPEN_TO_ALL)")
    target = Target("", {})
    writes = _parts(WRITERS[route.name], target)
    posts = posts_for(route.name, matrix.world, target)
    for posted in posts:
        for persona in _personas(target):
            if persona not in writes:
                _check_hidden(matrix, route, target, persona, "POST", posted, {})
    _check_proof(matrix, route, target, posts)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_nobody_learns_of_or_changes_what_they_are_not_entitled_to(matrix: Matrix, route: Route) -> None:
    before = len(matrix.failures)
    if route.params:
        _check_route(matrix, route)
    else:
        _check_writers_only(matrix, route)
    matrix.walked.add(route.name)
    found = matrix.failures[before:]
    assert not found, f"{len(found)} answers give away or change what they should not:\n" + "\n".join(found)


def test_the_matrix_knows_only_routes_that_exist_and_proves_its_data(
    matrix: Matrix, pytestconfig: pytest.Config, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {r.name for r in ROUTES} | {route_table_name(r.name) for r in ROUTES}
    assert {"cases:workspace", "cases:party_case", "api:case_step_notice_draft", "governance:meeting_detail"} <= names
    known = set(ACCESS) | set(ONLY) | set(WRITERS) | OPEN_TO_ALL | set(PROOFS)
    assert known <= names, f"the matrix knows routes that are gone: {known - names}"
    walked = matrix.walked | {route_table_name(name) for name in matrix.walked}
    proofs = {(name, label) for name, by_label in PROOFS.items() if name in walked for label in by_label}
    assert proofs <= matrix.proved, f"proofs about things the matrix never posted to: {proofs - matrix.proved}"
    terminal = pytestconfig.pluginmanager.getplugin("terminalreporter")
    assert terminal is not None
    with capsys.disabled():
        terminal.write_line(
            f"\naccess matrix: {matrix.checks} (route, persona, id) checks of {len(matrix.walked)} routes "
            f"and {len(PERSONAS)} personas in {matrix.requests} requests; {len(matrix.failures)} failed"
        )


def test_nobody_by_rank_learns_who_sits_on_a_caucus(matrix: Matrix) -> None:
    """Dora sits on the old caucus. Every page and API answer without an id, her page, the caucus's, the ledger's
    entry of her seat and its proof, to a site administrator, the oversight body, the leadership and a member: none
    tells it (``caucus_seat_told``, also applied to every answer of the walk above). She herself sees it."""
    world = matrix.world
    seat, caucus, entry = world.old_caucus_seat, world.old_caucus, world.old_caucus_seated
    assert seat is not None
    assert caucus is not None
    assert entry is not None
    shape_only = {"api:openapi-json", "api:openapi-view"}  # the API's description: no data of the organization
    pages = [r.path({}) for r in ROUTES if not r.params and r.name not in shape_only] + [
        f"/org/bodies/{caucus.slug}/",
        f"/org/people/{seat.person_id}/",
        "/ledger/?action=org.person_seated",
        f"/ledger/entries/{entry.seq}/proof/",
        f"/api/ledger/entries/{entry.seq}/proof",
    ]
    before = len(matrix.failures)
    for persona in RANKS:
        client = world.clients[persona]
        for address in pages:
            cookies = client.cookies
            client.cookies = type(cookies)(cookies)  # a page that signs out signs out this request only
            with transaction.atomic():
                response = client.get(address)
                content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
                transaction.set_rollback(True)
            client.cookies = cookies
            for leak in caucus_seat_told(world, address, content.decode(errors="replace")):
                matrix.failures.append(f"{persona} GET {address}: tells who sits on a caucus ({leak})")
    found = matrix.failures[before:]
    assert not found, "\n".join(found)
    admin_ledger = world.clients["site_admin"].get("/ledger/?action=org.person_seated").content.decode()
    assert f"Technical details of entry {entry.seq}<" in admin_ledger  # the entry is listed, without what it says
    roster = world.clients["panelist"].get(f"/org/bodies/{caucus.slug}/").content.decode()
    assert seat.person.name in roster  # who sits on it sees who does: the check above can see a name


def _new_route(pattern: str, namespace: str) -> Route:
    [route] = _routes([path(pattern, lambda request: HttpResponse(), name="new_page")], namespace=namespace)
    return route


def test_a_new_page_about_a_case_is_walked_as_it_is_and_kept_for_those_assigned() -> None:
    route = _new_route("cases/case/<str:reference>/notes/", "cases")
    assert _plan(route) == (THINGS[("cases", (("case", "reference"),))], ASSIGNED)


@pytest.mark.parametrize(
    ("pattern", "namespace"),
    [("cases/case/<str:reference>/notes/<int:note_pk>/", "cases"), ("mandates/<str:reference>/notes/", "governance")],
)
def test_a_route_the_matrix_cannot_fill_or_place_fails_until_it_is_taught(pattern: str, namespace: str) -> None:
    route = _new_route(pattern, namespace)
    with pytest.raises(pytest.fail.Exception, match=f"teach the matrix about {namespace}:new_page"):
        _plan(route)


# --- the menu -------------------------------------------------------------------------------------------------------

MENU_LINK = re.compile(r'<a href="([^"]*)"( aria-current="page")?>([^<]*)</a>')
MEMBERS_MENU = "Make a report | Mandates | Meetings | Elections | Members' voice"
DIRECTORY = "Members | Bodies | Bylaws"
ACCOUNT = "My membership | Two-factor authentication | Change password | API tokens"
# What the layout's menu (and account menu) offers each persona, in order: the same links as before it was built once
# per request as plain values, rather than by a question per link in the template.
MENUS = {
    "anonymous": "Home | Make a report | Mandates | Statements",
    "leader": f"Home | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "site_admin": (
        f"Home | {MEMBERS_MENU} | Invitations | {DIRECTORY} | Recovery key | Overrides | Overdue | Ledger | {ACCOUNT}"
    ),
    "member": f"Home | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "oversight": (
        f"Home | {MEMBERS_MENU} | {DIRECTORY} | Recovery requests | Overrides | Process investigation | Overdue"
        f" | Ledger | {ACCOUNT}"
    ),
    "panelist": f"Home | Cases to handle | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "excluded_panelist": f"Home | Cases to handle | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "recused_panelist": f"Home | Cases to handle | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "appeals_hearer": f"Home | Cases to handle | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "reporter_before_notice": f"Home | My cases | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "respondent_before_notice": f"Home | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "reporter_after_notice": f"Home | My cases | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
    "respondent_after_notice": f"Home | My cases | {MEMBERS_MENU} | {DIRECTORY} | Overrides | {ACCOUNT}",
}
MENU_ADDRESSES = {
    "Home": "/",
    "Cases to handle": "/cases/",
    "My cases": "/cases/mine/",
    "Make a report": "/report/",
    "Statements": "/voice/public/statements/",
    "Meetings": "/meetings/",
    "Elections": "/elections/",
    "Members' voice": "/voice/",
    "Invitations": "/invitations/",
    "Members": "/org/people/",
    "Bodies": "/org/bodies/",
    "Bylaws": "/org/bylaws/",
    "Recovery requests": "/recovery/",
    "Recovery key": "/recovery/setup/",
    "Overrides": "/decisions/overrides/",
    "Process investigation": "/cases/investigations/new/",
    "Overdue": "/overdue/",
    "Ledger": "/ledger/",
    "My membership": "/org/me/",
    "Two-factor authentication": "/accounts/2fa/",
    "Change password": "/accounts/password/change/",
    "API tokens": "/account/api-tokens/",
}


def _menu_of(client: Any, address: str) -> list[tuple[str, str, bool]]:
    with transaction.atomic():  # as the matrix's requests: each meets the same world
        response = client.get(address)
        transaction.set_rollback(True)
    assert response.status_code == 200, address
    header = response.content.decode().split('<header class="site-header">')[1].split("</header>")[0]
    return [(html.unescape(text), href, bool(here)) for href, here, text in MENU_LINK.findall(header)]


def test_the_menu_offers_each_persona_the_pages_that_are_for_them(world: World) -> None:
    for persona in PERSONAS:
        links = _menu_of(world.clients[persona], "/")
        assert " | ".join(label for label, _href, _here in links) == MENUS[persona], persona
        for label, href, here in links:
            mandates = "/mandates/" if persona != "anonymous" else "/public/mandates/"
            assert href == (mandates if label == "Mandates" else MENU_ADDRESSES[label]), (persona, label)
            assert here == (label == "Home"), (persona, label)


@pytest.mark.parametrize(
    ("persona", "address", "here"),
    [
        ("anonymous", "/public/mandates/", "Mandates"),
        ("anonymous", "/voice/public/statements/", "Statements"),
        ("member", "/voice/public/statements/", "Members' voice"),  # the members' voice holds the statements
        ("member", "/mandates/", "Mandates"),
        ("member", "/meetings/", "Meetings"),
        ("member", "/elections/", "Elections"),
        ("member", "/org/bodies/", "Bodies"),
        ("panelist", "/cases/", "Cases to handle"),
        ("reporter_after_notice", "/cases/mine/", "My cases"),
        ("oversight", "/recovery/", "Recovery requests"),
        ("oversight", "/ledger/", "Ledger"),
        ("site_admin", "/invitations/", "Invitations"),
        ("site_admin", "/overdue/", "Overdue"),
        ("member", "/account/api-tokens/", None),  # the account menu marks no page
    ],
)
def test_the_menu_marks_the_page_it_is_on(world: World, persona: str, address: str, here: str | None) -> None:
    links = _menu_of(world.clients[persona], address)
    assert [label for label, _href, current in links if current] == ([here] if here else [])
