"""Every email about a report or a case, in one room. Each message carries no content: a sentence and a link to the
one page where the person acts. Two rules hold for all of them:

- nothing reaches the respondent's side (the respondent and their adviser) before the notice tells them of the case
  (``policy.party_told``): one check, here, for every message to a party;
- mail goes out only after the action's transaction commits (``rankfile.mail.send``)."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rankfile import mail
from rankfile.cases import policy
from rankfile.cases.models import Case, PanelMember, PanelStatus, Party, PartyRole, Report
from rankfile.deadlines.actions import oversight_addresses
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person

BOTH_SIDES = (PartyRole.REPORTER, PartyRole.RESPONDENT)


def _address(person: Person | None) -> str:
    if person is None:
        return ""
    return person.user.email if person.user is not None and person.user.email else ""


def _link(name: str, *args: object) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def _party_addresses(party: Party) -> list[str]:
    """The party (or a reporter without a Person, by their account) and their accepted adviser; nobody on the
    respondent's side before the notice."""
    if not policy.party_told(party.case, party):
        return []
    addresses = [_address(party.person), _address(party.accepted_adviser)]
    if party.person is None and party.report is not None and party.report.reporter is not None:
        addresses.append(party.report.reporter.email)
    return addresses


def parties(case: Case, subject: str, text: str, *, roles: Sequence[str] = BOTH_SIDES) -> int:
    """Tell the parties of the given roles (and their accepted advisers) that something happened in the case."""
    chosen = case.parties.filter(role__in=list(roles)).select_related(
        "case", "person__user", "adviser__user", "report__reporter"
    )
    addresses = [address for party in chosen for address in _party_addresses(party)]
    context = {"subject": subject, "text": text, "url": _link("cases:party_case", case.reference)}
    return mail.send("cases/email/to_party", context, addresses)


def reporters(case: Case, subject: str, text: str) -> int:
    return parties(case, subject, text, roles=(PartyRole.REPORTER,))


def interim_measure(case: Case, *, roles: Sequence[str] = BOTH_SIDES) -> int:
    """An interim measure is in place (the respondent learns of it with the notice, not before: see ``parties``)."""
    return parties(
        case,
        _("An interim measure in case %(case)s") % {"case": case.reference},
        _("An interim measure was put in place in case %(case)s. Sign in to see what it means for you.")
        % {"case": case.reference},
        roles=roles,
    )


def adviser_answered(party: Party, news: str) -> int:
    """The party hears that their adviser accepted, declined or stepped down."""
    address = _address(party.person) if policy.party_told(party.case, party) else ""
    context = {"news": news, "url": _link("cases:party_case", party.case.reference)}
    return mail.send("cases/email/adviser_answered", context, [address])


def ask_to_advise(party: Party, adviser: Person) -> int:
    if not policy.party_told(party.case, party):
        return 0
    context = {"url": _link("cases:adviser_invitation", party.case.reference, party.pk)}
    return mail.send("cases/email/ask_to_advise", context, [_address(adviser)])


def ask_to_declare(case: Case, person: Person) -> int:
    """A proposed panelist is asked to declare any conflict before they see anything."""
    context = {"case": case.reference, "url": _link("cases:panel_declaration", case.reference)}
    return mail.send("cases/email/ask_to_declare", context, [_address(person)])


def handlers(report: Report, people: Iterable[Person]) -> int:
    """The people who handle a report are told one waits for them (nothing of its content)."""
    context = {"url": _link("cases:handler_report", report.pk)}
    return mail.send("cases/email/report_to_handle", context, [_address(person) for person in people])


def reporter_of_update(report: Report) -> int:
    """The reporter (with an account) hears there is an update; a reporter without one sees it with their code."""
    address = report.reporter.email if report.reporter is not None else ""
    return mail.send("cases/email/report_update", {"url": _link("cases:report", report.pk)}, [address])


def panel_of_withdrawal(report: Report) -> int:
    """The seated panels of the cases built on a withdrawn report decide whether to go on."""
    seated = PanelMember.objects.filter(case__reports=report, status=PanelStatus.SEATED).select_related(
        "person__user", "case"
    )
    sent = 0
    for member in seated:
        context = {"url": _link("cases:workspace", member.case.reference)}
        sent += mail.send("cases/email/report_withdrawn", context, [_address(member.person)])
    return sent


def seats_ended(body_ids: list[int], *, person_name: str, day: date, handled_by: Body | None) -> int:
    """Each body whose seat a final decision ended is told that it did, through its chairs and secretaries. A body
    without any is told of through the officers of the body that handled the case (``handled_by``), and failing
    them the oversight body: never through its members, or a branch's whole membership would learn of a sanction.
    Never nobody."""
    wanted = [*body_ids, handled_by.pk] if handled_by is not None else list(body_ids)
    officers: dict[int, list[str]] = {}
    for address, body_id in org_queries.officers_addresses_by_body(body_ids=wanted, day=day):
        officers.setdefault(body_id, []).append(address)
    instead = (officers.get(handled_by.pk) if handled_by is not None else None) or [
        address for _pk, address in oversight_addresses()
    ]
    sent = 0
    for body in Body.objects.filter(pk__in=body_ids).order_by("pk"):
        addresses = officers.get(body.pk)
        context = {"name": person_name, "body": body.name, "day": day, "instead": not addresses}
        sent += mail.send("cases/email/seat_ended", context, sorted(set(addresses or instead)))
    return sent


def oversight_of_override(*, case_reference: str, vote_reference: str) -> int:
    context = {"case": case_reference, "vote": vote_reference, "url": _link("cases:overrides")}
    return mail.send("cases/email/override", context, [address for _pk, address in oversight_addresses()])


def oversight_of_readmission(*, name: str, case_reference: str, vote_reference: str) -> int:
    context = {"name": name, "case": case_reference, "vote": vote_reference, "url": _link("cases:overrides")}
    return mail.send("cases/email/readmission", context, [address for _pk, address in oversight_addresses()])


def disciplinary_body_of_rejoin(person: Person, day: date) -> None:
    """The people on the disciplinary body hear that a member who resigned during a case about them rejoined. No
    case detail: they find the rest in the case, if it is theirs to see."""
    today = timezone.localdate()
    body = org_queries.role_body("disciplinary", today)
    if body is None:
        return
    seats = org_queries.seats_on(body=body, day=today).select_related("person__user")
    addresses = [_address(seat.person) or seat.person.email for seat in seats if seat.person_id != person.pk]
    mail.send("cases/email/rejoined", {"name": person.name, "day": day}, addresses)
