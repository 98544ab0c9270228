"""The bylaws as data: which body plays each role, deadlines, panels, sanctions, eligibility, composition goals.

A document is a plain dict, read from and written to TOML. ``check`` validates one whole document and reports
every problem at once, by its place in the document ("deadlines.appeal_window: …").
"""

import copy
import tomllib
from collections.abc import Mapping
from typing import Any

import tomli_w
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankfile.errors import InvalidInput

ROLES = (
    "disciplinary",
    "appeals",
    "oversight",
    "elections",
    "convention",
    "support_team",
    "process_complaints",
    "overrides",
    "readmissions",
)
DEADLINES = (
    "acknowledge_report",
    "respondent_response",
    "evidence_review",
    "decision_target",
    "appeal_window",
    "supportive_measure_review",
    "send_appeal_record",
    "appeal_decision",
    "give_notice",
)
# Each role and deadline in words, for the Bylaws page (the document keeps the codes).
ROLE_WORDS = {
    "disciplinary": gettext_lazy("Handles complaints (the disciplinary body)"),
    "appeals": gettext_lazy("Decides appeals"),
    "oversight": gettext_lazy("Oversight: watches deadlines, overrides and the ledger"),
    "elections": gettext_lazy("Runs elections"),
    "convention": gettext_lazy("The convention"),
    "support_team": gettext_lazy("Takes reports sent as “Support only” (the support team)"),
    "process_complaints": gettext_lazy("Takes complaints about how officials handled something"),
    "overrides": gettext_lazy("May set aside a final decision by vote"),
    "readmissions": gettext_lazy("May re-admit an expelled member by vote"),
}
DEADLINE_WORDS = {
    "acknowledge_report": gettext_lazy("To acknowledge a report"),
    "respondent_response": gettext_lazy("For the respondent's response"),
    "evidence_review": gettext_lazy("For the parties to review the evidence"),
    "decision_target": gettext_lazy("To decide a case (a target)"),
    "appeal_window": gettext_lazy("To appeal a decision"),
    "supportive_measure_review": gettext_lazy("Before a supportive measure is reviewed"),
    "send_appeal_record": gettext_lazy("For the panel to send its record to the appeals body"),
    "appeal_decision": gettext_lazy("To decide an appeal"),
    "give_notice": gettext_lazy("From seating a panel to giving notice"),
}
STATUSES = ("", "active", "on_leave", "suspended", "expelled", "resigned", "lapsed")

# Drawn from common practice in organizations' codes of conduct and grievance procedures.
DEFAULTS: dict[str, Any] = {
    "roles": {
        "disciplinary": "",
        "appeals": "",
        "oversight": "",
        "elections": "",
        "convention": "",
        "support_team": "",
        "process_complaints": "",  # complaints about how officials or a body handled something; empty: oversight
        "overrides": "",  # whose recorded vote may set aside a final decision; empty: the convention
        "readmissions": "",  # whose recorded vote may re-admit someone a final decision expelled; empty: convention
    },
    "deadlines": {
        "acknowledge_report": 3,
        "respondent_response": 7,
        "evidence_review": 10,
        "decision_target": 60,
        "appeal_window": 14,
        "supportive_measure_review": 30,
        "send_appeal_record": 3,  # for the panel to send its own material to the appeals body
        "appeal_decision": 30,
        "give_notice": 14,  # from the panel's seating to the notice (the reporter reads the draft first)
    },
    "panel": {"size": 3, "quorum": 3, "shared_body_lookback_years": 5},
    "records": {"kept_years": 7},
    # The ledger (docs/ledger.md): how many of the witnesses the verifier trusts must have cosigned a checkpoint
    # before `rankfile ledger verify` and receipt checks accept it; 0 accepts the organization's own signature alone.
    "ledger": {"cosignatures_required": 0},
    # A meeting's quorum for each body: this share of its seats filled that day, rounded up; 0 means a majority.
    "meetings": {"quorum_percent": 0},
    "eligibility": {"good_standing_required": True, "max_consecutive_terms": 0},
    "sanctions": [
        {"code": "correction", "label": "Correction"},
        {"code": "warning", "label": "Written warning"},
        {"code": "suspension", "label": "Suspension", "membership_status": "suspended", "suspension_days": 90},
        {"code": "removal_from_office", "label": "Removal from office", "removes_from_office": True},
        {
            "code": "bar_from_office",
            "label": "Bar from office",
            "removes_from_office": True,
            "bars_from_office_years": 3,
        },
        {"code": "expulsion", "label": "Expulsion", "membership_status": "expelled", "removes_from_office": True},
    ],
    # Composition goals for a body (docs/elections.md): what a goal counts ("new_to_body", or the code of a
    # self-identification category), the least share of the body's elected seats, and whether a result that misses
    # it is only flagged (advisory) or the next eligible candidate who meets it takes a place (binding).
    "composition_goals": [],
    # Categories members may self-identify in (opt-in, sealed), and the least count shown in an aggregate.
    "self_identification": {"categories": [], "minimum_count": 5},
    # People a reporter may turn to for support, whatever they decide: a name and how to reach them, and, if they
    # speak for one, the slug of their caucus or body (listed under it on the reporting pages).
    "support_contacts": [],
    # Elections (docs/elections.md): whether a voter may vote again until voting closes (the last ballot counts),
    # how a tie is broken: by earlier rounds of a ranked count, then by lot; or by lot alone; and, in a ranked count,
    # whose is the place of a winner the eligibility check refuses at seating: the count run again without them
    # ("recount"), or the next in line of the first count ("next_in_line"). Plurality and approval: the next highest.
    "elections": {"revote_allowed": True, "tie_break": "earlier_rounds_then_lot", "refused_winner": "recount"},
    # Members' voice (docs/voice.md): how many members in good standing sign to form a caucus; the days a body has
    # to answer a concern raised to it; how many concerns one member may raise in a day; the share of members in
    # good standing whose signatures carry a petition, and the days a body has to call a special meeting petitioned;
    # how many signatures and "me too" names together one member may add in a day.
    # The discussion bulletin: the slug of the body whose members edit it (none until the bylaws name one), and the
    # days from one issue to the next.
    "voice": {
        "caucus_minimum": 3,
        "concern_answer_days": 14,
        "concerns_per_day": 5,
        "signatures_per_day": 20,
        "petition_share": 0.1,
        "special_meeting_days": 30,
        "bulletin_editors": "",
        "bulletin_every_days": 30,
    },
    # Transparency reports (docs/transparency.md): the months each report covers (3, 6 or 12), the body whose carried
    # vote publishes it (a slug; empty: the oversight body), and the least count shown as a number.
    "transparency": {"period_months": 6, "publisher": "", "minimum": 5},
}
SUPPORT_CONTACT_FIELDS = {"name": 100, "reach": 200, "body": 0}  # the longest each may be (a body: its slug)
MAX_SUPPORT_CONTACTS = 50
TIE_BREAKS = ("earlier_rounds_then_lot", "lot")
REFUSED_WINNER = ("recount", "next_in_line")


def defaults() -> dict[str, Any]:
    return copy.deepcopy(DEFAULTS)


def with_defaults(document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with the defaults of every key it lacks: bylaws adopted before a key existed read as if they had
    adopted its default (a table's missing keys too), so nothing that reads the bylaws meets a missing key."""
    merged = defaults()
    for name, value in document.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = {**merged[name], **copy.deepcopy(value)}
        else:
            merged[name] = copy.deepcopy(value)
    return merged


def to_toml(document: Mapping[str, Any]) -> str:
    return tomli_w.dumps(dict(document))


MAX_DEPTH = 8  # the defaults nest 3 deep (sanctions, a sanction, its code): deeper is no part of the bylaws


def from_toml(text: str) -> dict[str, Any]:
    where: str | None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = _("The bylaws are not valid TOML: %(error)s") % {"error": exc}
        raise InvalidInput(message, code="bylaws_not_toml", field_errors={"document": [message]}) from None
    except RecursionError:  # tomllib reads nested arrays by recursion
        where = _("the bylaws")
    else:
        where = _too_deep(document)
        if where is None:
            return document
    message = _("%(key)s: lists or tables nested too deep; a value of the bylaws is a word, a number or true/false") % {
        "key": where
    }
    raise InvalidInput(message, code="bylaws_invalid", field_errors={"document": [message]})


def _too_deep(document: Mapping[str, Any]) -> str | None:
    """The key (and part of it) under which lists or tables nest deeper than any part of the bylaws, if any do."""
    pending: list[tuple[str, Any, int]] = [(key, value, 1) for key, value in document.items()]
    while pending:
        where, value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return where
        named = depth < 2  # name the key and its part, not each level below them
        if isinstance(value, Mapping):
            pending.extend((f"{where}.{k}" if named else where, v, depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((f"{where}[{n}]" if named else where, v, depth + 1) for n, v in enumerate(value, start=1))
    return None


def _shown(value: Any) -> str:
    """A value as a problem quotes it: text as written, anything else by its kind (a list is no slug)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return _("a table")
    if isinstance(value, list):
        return _("a list")
    return repr(value)


def check(document: Mapping[str, Any], *, body_slugs: set[str]) -> dict[str, Any]:
    """Validate a whole document against the defaults' shape; return it complete. Raise with every problem."""
    problems: list[str] = []
    document = _old_caucus_minimum(document, problems)
    unknown = set(document) - set(DEFAULTS)
    problems += [_("%(key)s: not a part of the bylaws") % {"key": key} for key in sorted(unknown)]
    result = defaults()

    def table(name: str) -> Mapping[str, Any]:
        value = document.get(name, {})
        if not isinstance(value, Mapping):
            problems.append(_("%(key)s: must be a table") % {"key": name})
            return {}
        extra = set(value) - set(DEFAULTS[name])
        problems.extend(_("%(key)s: not a part of the bylaws") % {"key": f"{name}.{k}"} for k in sorted(extra))
        return value

    for role, slug in table("roles").items():
        if role in ROLES:
            if not isinstance(slug, str) or (slug and slug not in body_slugs):
                problems.append(_("roles.%(role)s: %(slug)s is not a body") % {"role": role, "slug": _shown(slug)})
            else:
                result["roles"][role] = slug
    for name, days in table("deadlines").items():
        if name in DEADLINES:
            if type(days) is not int or not 1 <= days <= 365:
                problems.append(_("deadlines.%(name)s: a number of days from 1 to 365") % {"name": name})
            else:
                result["deadlines"][name] = days
    for section, limits in {
        "panel": {"size": (1, 15), "quorum": (1, 15), "shared_body_lookback_years": (0, 50)},
        "records": {"kept_years": (1, 100)},
        "ledger": {"cosignatures_required": (0, 20)},
        "meetings": {"quorum_percent": (0, 100)},
        "voice": {
            "caucus_minimum": (2, 1_000),
            "concern_answer_days": (1, 365),
            "concerns_per_day": (1, 100),
            "signatures_per_day": (1, 1_000),
            "special_meeting_days": (1, 365),
            "bulletin_every_days": (1, 365),
        },
        "eligibility": {"max_consecutive_terms": (0, 20)},
    }.items():
        for name, value in table(section).items():
            if name == "good_standing_required":
                if type(value) is not bool:
                    problems.append(_("eligibility.good_standing_required: true or false"))
                else:
                    result[section][name] = value
                continue
            if (section, name) == ("voice", "bulletin_editors"):
                if not isinstance(value, str) or (value and value not in body_slugs):
                    problems.append(_("voice.bulletin_editors: %(slug)s is not a body") % {"slug": _shown(value)})
                else:
                    result[section][name] = value
                continue
            if (section, name) == ("voice", "petition_share"):
                if type(value) not in (int, float) or not 0 < value <= 1:
                    problems.append(_("voice.petition_share: a share of the members above 0 and at most 1, e.g. 0.1"))
                else:
                    result[section][name] = float(value)
                continue
            low, high = limits.get(name, (0, 0))
            if type(value) is not int or not low <= value <= high:
                problems.append(
                    _("%(key)s: a whole number from %(low)d to %(high)d")
                    % {"key": f"{section}.{name}", "low": low, "high": high}
                )
            else:
                result[section][name] = value
    for name, value in table("elections").items():
        if name == "revote_allowed" and type(value) is not bool:
            problems.append(_("elections.revote_allowed: true or false"))
        elif name == "tie_break" and value not in TIE_BREAKS:
            problems.append(_("elections.tie_break: one of %(ways)s") % {"ways": ", ".join(TIE_BREAKS)})
        elif name == "refused_winner" and value not in REFUSED_WINNER:
            problems.append(_("elections.refused_winner: one of %(ways)s") % {"ways": ", ".join(REFUSED_WINNER)})
        elif name in DEFAULTS["elections"]:
            result["elections"][name] = value
    for name, value in table("self_identification").items():
        if name == "minimum_count":
            if type(value) is not int or not 1 <= value <= 100:
                problems.append(_("self_identification.minimum_count: a whole number from 1 to 100"))
            else:
                result["self_identification"][name] = value
        elif name == "categories":
            result["self_identification"][name] = _check_categories(value, problems)
    _check_transparency(table("transparency"), result["transparency"], problems, body_slugs)
    if result["panel"]["quorum"] > result["panel"]["size"]:
        problems.append(_("panel.quorum: cannot be larger than panel.size"))

    if "sanctions" in document:
        result["sanctions"] = _check_sanctions(document["sanctions"], problems)
    if "composition_goals" in document:
        categories = {c["code"] for c in result["self_identification"]["categories"]}
        result["composition_goals"] = _check_goals(document["composition_goals"], problems, body_slugs, categories)
    if "support_contacts" in document:
        result["support_contacts"] = _check_support_contacts(document["support_contacts"], problems, body_slugs)
    if problems:
        raise InvalidInput(
            _("The bylaws have %(count)d problem(s).") % {"count": len(problems)},
            code="bylaws_invalid",
            field_errors={"document": problems},
        )
    return result


TRANSPARENCY_PERIODS = (3, 6, 12)  # a quarter, a half year, a year: periods that divide the year


def _check_transparency(
    section: Mapping[str, Any], result: dict[str, Any], problems: list[str], body_slugs: set[str]
) -> None:
    for name, value in section.items():
        if name == "period_months" and (type(value) is not int or value not in TRANSPARENCY_PERIODS):
            problems.append(_("transparency.period_months: 3 (a quarter), 6 (half a year) or 12 (a year)"))
        elif name == "publisher" and (not isinstance(value, str) or (value and value not in body_slugs)):
            problems.append(_("transparency.publisher: %(slug)s is not a body") % {"slug": _shown(value)})
        elif name == "minimum" and (type(value) is not int or not 1 <= value <= 100):
            problems.append(_("transparency.minimum: a whole number from 1 to 100"))
        elif name in result:
            result[name] = value


OLD_CAUCUS_MINIMUM = "caucus.minimum_members"  # the old name of voice.caucus_minimum, read from older bylaws files


def _old_caucus_minimum(document: Mapping[str, Any], problems: list[str]) -> Mapping[str, Any]:
    """Older bylaws files give the least founders of a caucus as ``[caucus] minimum_members``: read it as
    ``voice.caucus_minimum``, unless the file gives that too, with another number (then say which one to keep)."""
    if "caucus" not in document:
        return document
    rest = {key: value for key, value in document.items() if key != "caucus"}
    old = document["caucus"]
    if not isinstance(old, Mapping) or set(old) - {"minimum_members"}:
        problems.append(
            _("caucus: no longer a part of the bylaws; give the least founders of a caucus as voice.caucus_minimum")
        )
        return rest
    if "minimum_members" not in old:
        return rest
    voice = rest.get("voice", {})
    if not isinstance(voice, Mapping):
        return rest  # the voice table's own problem is said by check()
    if "caucus_minimum" in voice and voice["caucus_minimum"] != old["minimum_members"]:
        problems.append(
            _(
                "%(old)s: the old name of voice.caucus_minimum, and the bylaws give both, with different numbers; "
                "keep only voice.caucus_minimum"
            )
            % {"old": OLD_CAUCUS_MINIMUM}
        )
        return rest
    if not isinstance(old["minimum_members"], int) or type(old["minimum_members"]) is bool:
        problems.append(
            _("%(old)s (now voice.caucus_minimum): a whole number from 2 to 1,000") % {"old": OLD_CAUCUS_MINIMUM}
        )
        return rest
    return {**rest, "voice": {**voice, "caucus_minimum": old["minimum_members"]}}


def _check_sanctions(sanctions: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(sanctions, list) or not sanctions:
        problems.append(_("sanctions: a list of at least one sanction"))
        return []
    checked, codes = [], set()
    for n, sanction in enumerate(sanctions, start=1):
        where = f"sanctions[{n}]"
        if not isinstance(sanction, Mapping):
            problems.append(_("%(where)s: must be a table") % {"where": where})
            continue
        allowed = {
            "code",
            "label",
            "membership_status",
            "suspension_days",
            "removes_from_office",
            "bars_from_office_years",
        }
        problems.extend(
            _("%(where)s.%(key)s: not a part of a sanction") % {"where": where, "key": k}
            for k in sorted(set(sanction) - allowed)
        )
        code = sanction.get("code")
        # A code the ledger can hold (schema.CODE) and a sanction's row can store (40 characters).
        if not isinstance(code, str) or not (code.isascii() and code.isidentifier() and code == code.lower()):
            problems.append(_("%(where)s.code: a short lower-case word such as warning") % {"where": where})
        elif len(code) > 40:
            problems.append(_("%(where)s.code: at most 40 characters") % {"where": where})
        elif code in codes:
            problems.append(_("%(where)s.code: %(code)r appears twice") % {"where": where, "code": code})
        else:
            codes.add(code)
        if not isinstance(sanction.get("label"), str) or not sanction["label"].strip():
            problems.append(_("%(where)s.label: the name people read") % {"where": where})
        if sanction.get("membership_status", "") not in STATUSES:
            problems.append(
                _("%(where)s.membership_status: one of %(s)s") % {"where": where, "s": ", ".join(STATUSES[1:])}
            )
        for key, high in (("suspension_days", 3650), ("bars_from_office_years", 99)):
            value = sanction.get(key, 0)
            if type(value) is not int or not 0 <= value <= high:
                problems.append(_("%(where)s.%(key)s: from 0 to %(high)d") % {"where": where, "key": key, "high": high})
        if type(sanction.get("removes_from_office", False)) is not bool:
            problems.append(_("%(where)s.removes_from_office: true or false") % {"where": where})
        checked.append(dict(sanction))
    return checked


def _check_categories(categories: Any, problems: list[str]) -> list[dict[str, str]]:
    if not isinstance(categories, list):
        problems.append(_("self_identification.categories: a list"))
        return []
    checked: list[dict[str, str]] = []
    for n, category in enumerate(categories, start=1):
        where = f"self_identification.categories[{n}]"
        code = category.get("code") if isinstance(category, Mapping) else None
        label = category.get("label") if isinstance(category, Mapping) else None
        if (
            not isinstance(category, Mapping)
            or set(category) != {"code", "label"}
            or not isinstance(code, str)
            or not code.replace("_", "").isalnum()
            or not code.islower()
            or code == "new_to_body"
            or not isinstance(label, str)
            or not 0 < len(label.strip()) <= 100
        ):
            problems.append(
                _("%(where)s: a table with a code (lower-case letters, digits, _) and a label") % {"where": where}
            )
        elif code in {c["code"] for c in checked}:
            problems.append(_("%(where)s.code: %(code)r is listed twice") % {"where": where, "code": code})
        else:
            checked.append({"code": code, "label": label.strip()})
    return checked


def _check_goals(goals: Any, problems: list[str], body_slugs: set[str], categories: set[str]) -> list[dict[str, Any]]:
    if not isinstance(goals, list):
        problems.append(_("composition_goals: a list"))
        return []
    for n, goal in enumerate(goals, start=1):
        where = f"composition_goals[{n}]"
        if not isinstance(goal, Mapping) or set(goal) - {"body", "goal", "minimum_percent", "binding"}:
            problems.append(_("%(where)s: a table with body, goal, minimum_percent and binding") % {"where": where})
            continue
        body, counted = goal.get("body"), goal.get("goal")
        if not isinstance(body, str) or body not in body_slugs:
            problems.append(_("%(where)s.body: %(slug)s is not a body") % {"where": where, "slug": _shown(body)})
        if not isinstance(counted, str) or (counted != "new_to_body" and counted not in categories):
            problems.append(
                _("%(where)s.goal: new_to_body, or the code of a self-identification category") % {"where": where}
            )
        percent = goal.get("minimum_percent")
        if type(percent) is not int or not 0 <= percent <= 100:
            problems.append(_("%(where)s.minimum_percent: a whole number from 0 to 100") % {"where": where})
        if type(goal.get("binding", False)) is not bool:
            problems.append(_("%(where)s.binding: true or false") % {"where": where})
    return [{"binding": False, **goal} for goal in goals if isinstance(goal, Mapping)]


def _check_support_contacts(contacts: Any, problems: list[str], body_slugs: set[str]) -> list[dict[str, str]]:
    if not isinstance(contacts, list) or len(contacts) > MAX_SUPPORT_CONTACTS:
        problems.append(_("support_contacts: a list of at most %(n)d contacts") % {"n": MAX_SUPPORT_CONTACTS})
        return []
    checked = []
    for n, contact in enumerate(contacts, start=1):
        where = f"support_contacts[{n}]"
        if not isinstance(contact, Mapping) or set(contact) - set(SUPPORT_CONTACT_FIELDS):
            problems.append(
                _("%(where)s: a table with name, reach and, if they speak for one, body") % {"where": where}
            )
            continue
        found = len(problems)
        for key in ("name", "reach"):
            value = contact.get(key)
            if not isinstance(value, str) or not value.strip() or not value.isprintable():
                what = _("who they are") if key == "name" else _("how to reach them, e.g. an email address")
                problems.append(_("%(where)s.%(key)s: %(what)s") % {"where": where, "key": key, "what": what})
            elif len(value) > SUPPORT_CONTACT_FIELDS[key]:
                problems.append(
                    _("%(where)s.%(key)s: at most %(n)d characters")
                    % {"where": where, "key": key, "n": SUPPORT_CONTACT_FIELDS[key]}
                )
        slug = contact.get("body", "")
        if not isinstance(slug, str) or (slug and slug not in body_slugs):
            problems.append(_("%(where)s.body: %(slug)s is not a body") % {"where": where, "slug": _shown(slug)})
        if len(problems) == found:
            checked.append({"name": contact["name"].strip(), "reach": contact["reach"].strip(), "body": slug})
    return checked
