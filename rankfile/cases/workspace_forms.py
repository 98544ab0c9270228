"""Forms of the case pages: the panel's workspace, a candidate's declaration, a party's page and the appeals body's.

They parse what a person entered and nothing more: whether a step is possible now, and whether what was entered is
complete, is for the action to say (its field errors are shown by the fields here)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rankfile.cases import meanings, queries
from rankfile.cases.actions.process import NOTICE_REASONS, TEXT_LIMIT
from rankfile.cases.forms import ACCEPTED_FILES, file_limit_text
from rankfile.cases.models import (
    AppealGround,
    AppealOutcome,
    CaseDocument,
    CaseDocumentKind,
    FindingOutcome,
    InterimKind,
    PanelMember,
    PanelRole,
    PartyRole,
    Report,
)
from rankfile.org.models import Body, Person

NOTICE_REASON_LABELS = meanings.labels("notice_delay")
PANEL_DOCUMENT_KINDS = [
    (CaseDocumentKind.STATEMENT, CaseDocumentKind.STATEMENT.label),
    (CaseDocumentKind.INTERVIEW, CaseDocumentKind.INTERVIEW.label),
    (CaseDocumentKind.EVIDENCE, CaseDocumentKind.EVIDENCE.label),
    (CaseDocumentKind.NOTE, CaseDocumentKind.NOTE.label),
]
PARTY_DOCUMENT_KINDS = [
    (CaseDocumentKind.STATEMENT, CaseDocumentKind.STATEMENT.label),
    (CaseDocumentKind.EVIDENCE, CaseDocumentKind.EVIDENCE.label),
]


def _long_text(label: Any, help_text: Any = "", *, rows: int = 6, required: bool = False) -> forms.CharField:
    # Not required here: the action says what is missing, after it has said whether the step is possible now.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _file(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        help_text=_("Pictures, PDF documents, sound or video recordings, or plain text, up to %(limit)s.")
        % {"limit": file_limit_text()},
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
    )


def document_label(item: CaseDocument) -> str:
    added = date_format(timezone.localtime(item.added_at), "j F Y")
    return f"{item.title or item.get_kind_display()} ({item.get_kind_display()}, {added})"


class ChooseOne(forms.ModelChoiceField):
    """A choice of one thing whose empty option says what to do ("Choose one"), never Django's "---------"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Choose one"))
        super().__init__(*args, **kwargs)


class DocumentChoiceField(ChooseOne):
    def label_from_instance(self, obj: Any) -> str:
        return document_label(obj)


class DocumentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return document_label(obj)


class PanelistChoiceField(ChooseOne):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name} ({obj.get_role_display()})"


# --- the panel -------------------------------------------------------------------------------------------------------


class ProposeForm(forms.Form):
    person = ChooseOne(
        label=_("Person"),
        queryset=Person.objects.none(),
        help_text=_("Anyone conflicted is excluded at once, with the reason on the record, and sees nothing."),
    )
    role = forms.ChoiceField(
        label=_("Role on the panel"),
        choices=[
            (PanelRole.INVESTIGATOR, PanelRole.INVESTIGATOR.label),
            (PanelRole.DECISION_MAKER, PanelRole.DECISION_MAKER.label),
        ],
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates  # type: ignore[attr-defined]


class AllegationForm(forms.Form):
    text = _long_text(_("What is alleged"), _("What, when, where: specific enough to answer."), rows=3)
    provisions = forms.CharField(
        label=_("Provisions concerned"),
        help_text=_("The bylaws or code of conduct, e.g. “Code of conduct 2.1”."),
        required=False,
        max_length=500,
    )


AllegationFormSet = forms.formset_factory(AllegationForm, extra=3, max_num=20, absolute_max=20)


def allegations_of(formset: Any) -> tuple[list[dict[str, str]], list[int]]:
    """The allegations entered (forms left empty are skipped), and which form each came from."""
    entered: list[dict[str, str]] = []
    positions: list[int] = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data if form.is_valid() else {}
        text, provisions = (data.get("text") or "").strip(), (data.get("provisions") or "").strip()
        if text or provisions:
            entered.append({"text": text, "provisions": provisions})
            positions.append(index)
    return entered, positions


def notice_errors_to(formset: Any, positions: Sequence[int], field_errors: dict[str, Any]) -> None:
    """The action numbers the allegations it was given (allegation_2, provisions_2); put each by its form."""
    for name, problems in field_errors.items():
        prefix, _sep, number = name.rpartition("_")
        if not number.isdigit():
            continue
        index = int(number) - 1
        form = formset.forms[positions[index] if index < len(positions) else 0]
        for problem in problems:
            form.add_error("text" if prefix == "allegation" else "provisions", str(problem))


class NoticeDelayForm(forms.Form):
    until = forms.DateField(
        label=_("Give notice by"),
        help_text=_("After today and within 90 days."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason_code = forms.ChoiceField(
        label=_("Why the notice is held back"), choices=[(c, NOTICE_REASON_LABELS[c]) for c in NOTICE_REASONS]
    )


# A document's title is not sealed (lists show it to readers who cannot open the document): whoever writes one is told.
TITLE_NOT_SEALED = _(
    "The title is not sealed: it is stored as written and shown in the list of documents. Say what the document is, "
    "e.g. “Statement of a witness”: no names, no content."
)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=PANEL_DOCUMENT_KINDS)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=TITLE_NOT_SEALED,
    )
    text = _long_text(_("Text"), _("Or attach a file instead."))
    file = _file(_("File (instead of text)"))


class RedactionForm(forms.Form):
    original = DocumentChoiceField(label=_("Document to redact"), queryset=CaseDocument.objects.none())
    text = _long_text(_("Redacted text"), _("Or attach the redacted file instead."))
    file = _file(_("Redacted file (instead of text)"))

    def __init__(self, *args: Any, documents: QuerySet[CaseDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["original"].queryset = documents  # type: ignore[attr-defined]


class EvidenceReviewForm(forms.Form):
    items = DocumentsChoiceField(
        label=_("Documents to share with both parties"),
        queryset=CaseDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Both parties receive them at the same moment. A document with a redacted copy is shared as that copy, "
            "once the reporter has agreed to it. The parties' own statements and the response are shared too."
        ),
    )

    def __init__(self, *args: Any, documents: QuerySet[CaseDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = documents  # type: ignore[attr-defined]


class ReportTextForm(forms.Form):
    text = _long_text(_("Investigation report"), rows=10)


def _sanction_choices(catalog: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(entry["code"], entry["label"]) for entry in catalog]


class FindingsForm(forms.Form):
    """A finding on each allegation (by its number), reasons, and sanctions from the bylaws' catalog."""

    rationale = _long_text(_("Reasons"), _("Why, on the evidence and to the standard of proof."), rows=8)
    sanctions = forms.MultipleChoiceField(
        label=_("Sanctions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only with a finding of responsibility. None, if none is warranted."),
    )

    def __init__(self, *args: Any, numbers: Sequence[int], catalog: Iterable[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = list(numbers)
        for number in self.numbers:
            self.fields[f"finding_{number}"] = forms.ChoiceField(
                label=_("Allegation %(n)s") % {"n": number},
                choices=FindingOutcome.choices,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["sanctions"].choices = _sanction_choices(catalog)  # type: ignore[attr-defined]
        self.order_fields([f"finding_{n}" for n in self.numbers] + ["rationale", "sanctions"])

    def findings(self) -> dict[int, str]:
        return {n: self.cleaned_data.get(f"finding_{n}") or "" for n in self.numbers}


class AppealDecisionForm(FindingsForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AppealOutcome.choices, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["outcome", "rationale"] + [f"finding_{n}" for n in self.numbers] + ["sanctions"])
        for number in self.numbers:
            self.fields[f"finding_{number}"].help_text = _("Only when the appeal is upheld and the decision replaced.")
        self.fields["sanctions"].help_text = _("Only when the appeal is upheld and the decision replaced.")


class ChallengeDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Upheld: the panelist leaves the panel")), ("no", _("Rejected"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


# --- a candidate ----------------------------------------------------------------------------------------------------


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest in this case?"),
        choices=[
            ("no", _("No: I have no conflict of interest")),
            ("yes", _("Yes: I have a conflict and step aside")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "A conflict: you are close to either party, you were involved in what happened, or you sat on a body with "
            "the respondent. You do not have to say which."
        ),
    )


# --- a party --------------------------------------------------------------------------------------------------------


class ResponseForm(forms.Form):
    text = _long_text(
        _("Your response"),
        _("Your answer to each allegation. You are presumed not responsible unless the decision finds otherwise."),
        rows=10,
    )


class PartyDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PARTY_DOCUMENT_KINDS)
    title = forms.CharField(label=_("Title"), required=False, max_length=200, help_text=TITLE_NOT_SEALED)
    text = _long_text(_("Text"), _("Or attach a file instead."))
    file = _file(_("File (instead of text)"))


class AdviserForm(forms.Form):
    """A party names their adviser by typing: their name as the member list has it, or the email address of their
    account. Suggestions come as the party types (a few matches at a time, from the server); without them, the
    typed name or address is enough."""

    adviser = forms.CharField(
        label=_("Your adviser"),
        max_length=254,
        help_text=_(
            "Their name as the member list has it, or the email address of their account. They are asked first, and "
            "read what you read in this case only once they accept. Nobody on the panel or close to the other side."
        ),
        error_messages={"required": _("Type your adviser's name or email address.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "adviser-matches", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, search_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if search_url:
            self.fields["adviser"].widget.attrs.update(
                {
                    "hx-get": search_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#adviser-matches",
                    "hx-swap": "outerHTML",
                    "hx-sync": "this:replace",
                }
            )


class ChallengeForm(forms.Form):
    member = PanelistChoiceField(label=_("Panelist"), queryset=PanelMember.objects.none())
    grounds = _long_text(_("Why they should not hear the case"), rows=4)

    def __init__(self, *args: Any, members: QuerySet[PanelMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class AppealForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label=_("Grounds of appeal"),
        choices=AppealGround.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An appeal is heard on these grounds only."),
    )
    statement = _long_text(_("Your statement"), rows=8)


# --- the informal track ----------------------------------------------------------------------------------------------


class ObligationForm(forms.Form):
    by_role = forms.ChoiceField(
        label=_("Whose obligation"),
        choices=[("", _("Choose a side")), *PartyRole.choices],
        required=False,
    )
    what = _long_text(_("What it is"), _("What exactly is to be done, specific enough to say whether it was."), rows=3)
    due_on = forms.DateField(
        label=_("Due by"),
        required=False,
        help_text=_("After today and within a year."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


ObligationFormSet = forms.formset_factory(ObligationForm, extra=3, max_num=20, absolute_max=20)


class AgreementForm(forms.Form):
    summary = _long_text(
        _("Summary of the agreement"),
        _("Optional. Sealed with the obligations for the panel and both parties. An agreement is not a finding."),
        rows=4,
    )


def obligations_of(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """The obligations entered (forms left empty are skipped), and which form each came from."""
    entered: list[dict[str, Any]] = []
    positions: list[int] = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data if form.is_valid() else {}
        side, what, due_on = data.get("by_role") or "", (data.get("what") or "").strip(), data.get("due_on")
        if side or what or due_on:
            entered.append({"by_role": side, "what": what, "due_on": due_on})
            positions.append(index)
    return entered, positions


def obligation_errors_to(formset: Any, positions: Sequence[int], field_errors: dict[str, Any]) -> None:
    """The action numbers the obligations it was given (what_2, due_on_1); put each by its form."""
    for name, problems in field_errors.items():
        field, _sep, number = name.rpartition("_")
        if not number.isdigit() or field not in ("by_role", "what", "due_on"):
            continue
        index = int(number) - 1
        form = formset.forms[positions[index] if index < len(positions) else 0]
        for problem in problems:
            form.add_error(field, str(problem))


class ObligationSettleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("met", _("Met")), ("breached", _("Not met: back to the formal track"))]
    )


# --- interim measures ------------------------------------------------------------------------------------------------


def _review_date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=_("After today and within 90 days."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class InterimImposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=InterimKind.choices, widget=forms.RadioSelect)
    reason_code = forms.ChoiceField(label=_("Why it is needed"))
    reasons = _long_text(
        _("Explanation"),
        _("Sealed for the panel and the respondent. An interim measure is not a finding."),
        rows=4,
    )
    review_on = _review_date_field(_("Review by"))

    def __init__(self, *args: Any, reasons: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = list(reasons.items())  # type: ignore[attr-defined]


class InterimReviewForm(forms.Form):
    review_on = _review_date_field(_("Continue it until a review on"))


# --- after a withdrawal, joining a report ----------------------------------------------------------------------------


class AfterWithdrawalForm(forms.Form):
    proceeds = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("no", _("Close the case")), ("yes", _("Go on without the reporter"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(label=_("Why the case goes on"), required=False)

    def __init__(self, *args: Any, reasons: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = [  # type: ignore[attr-defined]
            ("", _("Only when it goes on")),
            *reasons.items(),
        ]


class ReportChoiceField(ChooseOne):
    def label_from_instance(self, obj: Any) -> str:
        return f"{queries.report_name(obj)} ({obj.get_path_display()})"


class JoinForm(forms.Form):
    report = ReportChoiceField(
        label=_("Report"),
        queryset=Report.objects.none(),
        help_text=_("Its reporter becomes a party, and the panel receives it with your key."),
    )

    def __init__(self, *args: Any, reports: QuerySet[Report], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports  # type: ignore[attr-defined]


# --- process investigations ------------------------------------------------------------------------------------------


class OfficialChoiceField(forms.ModelMultipleChoiceField):
    """The members a search for officials found, to tick: each by name, with the bodies they sit on now."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        bodies = ", ".join(seat.body.name for seat in getattr(obj, "current_seats", ()))
        return f"{obj.name} ({bodies})" if bodies else obj.name


def _posted_ids(values: Iterable[Any]) -> list[str]:
    # Only what could be an id: anything else the field refuses itself, with its own message.
    return [value for value in values if isinstance(value, str) and value.strip().isdigit()]


class OfficialsForm(forms.Form):
    """Officials are named by typing, never chosen from a list of every member: each name, one a line, that only one
    member has is taken; part of a name offers the members who have it (a few at most) to tick on the next step.
    Ticked members stay chosen; a line that one of them matches needs nothing more."""

    official_names = forms.CharField(
        label=_("Officials concerned"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Their names as the member list has them, one a line. Part of a name is enough: the members who have it "
            "are offered to choose from. They are taken out of the examined case and this one at once, and lose "
            "every key to them."
        ),
    )
    officials = OfficialChoiceField(label=_("Choose the officials concerned"), queryset=Person.objects.none())

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["officials"].required = False
        posted = []
        if self.is_bound:
            values = self.fields["officials"].widget.value_from_datadict(
                self.data, self.files, self.add_prefix("officials")
            )
            posted = _posted_ids(values or [])
        self._offer(posted)

    def _offer(self, ids: Iterable[Any]) -> None:
        """Offer the members with these ids (those ticked, those a name matched) and only them: before a search,
        no choice at all, not even an empty list of boxes."""
        field = self.fields["officials"]
        wanted = set(ids)
        field.widget = forms.CheckboxSelectMultiple() if wanted else forms.MultipleHiddenInput()
        field.queryset = self.people.filter(pk__in=wanted) if wanted else Person.objects.none()  # type: ignore[attr-defined]

    def add_error(self, field: str | None, error: Any) -> None:
        # With no boxes to tick, a problem with the officials is one of the names typed (the action's "name them").
        if field == "officials" and self.fields["officials"].widget.is_hidden:
            field = "official_names"
        super().add_error(field, error)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[Person] = list(data.get("officials") or [])
        offered: list[Person] = []
        problems: list[str] = []
        for line in (data.get("official_names") or "").splitlines():
            name = line.strip()
            if not name or any(name.casefold() in person.name.casefold() for person in chosen):
                continue
            named = queries.officials_named(people=self.people, text=name)
            if len(named) == 1:
                chosen.append(named[0])
                continue
            found = queries.officials_matching(people=self.people, text=name)
            if not found:
                problems.append(
                    _("Nobody in the member list has “%(name)s” in their name. Check the spelling.") % {"name": name}
                )
            elif len(found) > queries.OFFICIAL_MATCHES:
                problems.append(
                    _("More than %(count)s members have “%(name)s” in their name: type more of it.")
                    % {"count": queries.OFFICIAL_MATCHES, "name": name}
                )
            else:
                offered.extend(found)
                problems.append(
                    _("Several members have “%(name)s” in their name: tick the one you mean below.") % {"name": name}
                    if len(found) > 1
                    else _("Only %(match)s has “%(name)s” in their name: tick them below if you mean them.")
                    % {"match": found[0].name, "name": name}
                )
        for problem in problems:
            self.add_error("official_names", problem)
        if offered:
            self._offer([person.pk for person in chosen] + [person.pk for person in offered])
        data["officials"] = list({person.pk: person for person in chosen}.values())
        return data


def _examines_field() -> forms.CharField:
    return forms.CharField(
        label=_("Case examined"),
        required=False,
        max_length=40,
        help_text=_("Its reference, e.g. C-2026-4. Optional."),
    )


class InvestigationOpenForm(OfficialsForm):
    examines = _examines_field()
    body = ChooseOne(
        label=_("Or everyone who sat on this body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("No body"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("With a body.")
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("With a body; today at the latest."),
    )

    def __init__(self, *args: Any, people: QuerySet[Person], bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, people=people, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class ScopeForm(OfficialsForm):
    examines = _examines_field()


class SubjectSuspendForm(forms.Form):
    person = ChooseOne(label=_("Official"), queryset=Person.objects.none())
    vote_reference = forms.CharField(
        label=_("Vote"),
        max_length=120,
        help_text=_(
            "The reference of a recorded vote that carried, of the handling body or of the body the bylaws empower "
            "to override decisions."
        ),
    )
    reasons = _long_text(
        _("Explanation"), _("Sealed for whoever runs the investigation; never for the official."), rows=4
    )
    review_on = _review_date_field(_("Review by"))

    def __init__(self, *args: Any, subjects: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = subjects  # type: ignore[attr-defined]


# --- a party ---------------------------------------------------------------------------------------------------------


class AdviserEmailForm(forms.Form):
    """For a reporter without an account: the adviser named by the email address of theirs."""

    email = forms.EmailField(
        label=_("Your adviser's email address"),
        help_text=_(
            "Someone with an account here, who is not on the panel or close to the other side. They are asked first, "
            "and read what you read in this case only once they accept."
        ),
        error_messages={"required": _("Type your adviser's email address.")},
    )


class DecisionByVoteForm(forms.Form):
    """An override or a re-admission: the case, and the carried vote that decided it."""

    case_reference = forms.CharField(
        label=_("Case"),
        max_length=40,
        help_text=_("The case reference the motion names, such as C-2026-4."),
        error_messages={"required": _("Enter the case reference, such as C-2026-4.")},
    )
    vote_reference = forms.CharField(
        label=_("Vote"),
        max_length=120,
        help_text=_("The carried vote's reference, such as CONV-2026-M3."),
        error_messages={"required": _("Enter the reference of the carried vote, such as CONV-2026-M3.")},
    )
