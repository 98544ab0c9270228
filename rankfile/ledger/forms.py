import functools
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rankfile.ledger import schema

# Each part of Rankfile in words, for choosing "anything in" a part on the Ledger page.
PARTS = {
    "accounts": _("Accounts and signing in"),
    "org": _("Members, bodies and seats"),
    "cases": _("Reports and cases"),
    "governance": _("Meetings, votes and mandates"),
    "deadlines": _("Deadlines"),
    "ledger": _("The ledger itself"),
    "vault": _("Sealed material"),
    "elections": _("Elections"),
    "voice": _("Members' voice"),
    "transparency": _("Transparency reports"),
}

# Kinds of record whose model name is not a plain word for people (the rest read well as they are).
PLAIN_NAMES = {
    "accounts.apitoken": _("API key"),
    "accounts.user": _("Account"),
    "org.legacyledgeractor": _("Account in early ledger entries"),
    "org.statuschange": _("Change of membership status"),
    "cases.casedocument": _("Document of a case"),
    "cases.casestep": _("Step of a case"),
    "cases.statusstep": _("Step of a report's status"),
    "cases.namedconflict": _("Conflict of interest named"),
    "cases.panelmember": _("Member of a panel"),
    "governance.mandatefollow": _("Following a mandate"),
    "governance.mandateterms": _("Terms of a mandate"),
    "governance.minutesversion": _("Version of minutes"),
    "governance.rollcallentry": _("Vote in a roll call"),
    "ledger.cosignature": _("Witness's signature"),
    "ledger.node": _("Part of the ledger's hash tree"),
    "vault.document": _("Sealed document"),
    "vault.keypair": _("Key of a person"),
    "vault.recovery": _("Recovery of access"),
    "vault.version": _("Version of a sealed document"),
    "vault.wrappedkey": _("Key to a sealed document"),
    "elections.papercount": _("Count of paper ballots"),
    "elections.selfidentification": _("Self-identification of a member"),
    "voice.caucusmember": _("Member of a caucus"),
    "voice.concernsupport": _("Support for a concern"),
    "voice.contributionversion": _("Version of a contribution"),
    "voice.membersmeeting": _("Members' meeting"),
    "voice.membersmeetingitem": _("Item of a members' meeting"),
    "voice.petitionsignature": _("Signature on a petition"),
    "voice.statementversion": _("Version of a statement"),
}


class PreparedChoices(BaseChoiceIterator):
    """Choices worked out once per language and process, in the form Django's fields keep them, so that a form takes
    them as they are rather than going through hundreds of options again on every page view."""

    def __init__(self, choices: list[Any]) -> None:
        self.choices = choices
        # The options as written for each value chosen (at most one per option, and none): most views choose none.
        self.written: dict[tuple[str, ...], SafeString] = {}
        self.values = {
            str(value)
            for group, label in choices
            for value in ([one for one, _label in label] if isinstance(label, (list, tuple)) else [group])
        }

    def __iter__(self) -> Iterator[Any]:
        return iter(self.choices)


def action_choices() -> PreparedChoices:
    """What happened, as people choose it: anything in one part, or one kind of entry by its label (the value is the
    start of the action's name, which the list filters by)."""
    return _action_choices(get_language(), tuple(schema.defined_actions()))


def subject_choices() -> PreparedChoices:
    """What an entry is about, as people choose it: each kind of record by its name, grouped by part (the value is
    the ``app.model`` an entry stores as its subject type)."""
    return _subject_choices(get_language())


@functools.cache
def _action_choices(language: str | None, names: tuple[str, ...]) -> PreparedChoices:
    parts = sorted({name.split(".", 1)[0] for name in names})
    by_part = [
        (f"{part}.", _("Anything in: %(part)s") % {"part": PARTS.get(part, part.capitalize())}) for part in parts
    ]
    one_kind = sorted(((name, schema.label_of(name)) for name in names), key=lambda choice: choice[1].lower())
    return PreparedChoices([("", str(_("Anything"))), *((value, str(label)) for value, label in by_part), *one_kind])


@functools.cache
def _subject_choices(language: str | None) -> PreparedChoices:
    kinds: dict[str, list[tuple[str, str]]] = {}
    for model in apps.get_models():
        part = model._meta.app_label
        if part in PARTS:
            label = model._meta.label_lower
            name = PLAIN_NAMES.get(label) or capfirst(model._meta.verbose_name)
            kinds.setdefault(part, []).append((label, str(name)))
    groups = [
        (str(PARTS[part]), sorted(kinds[part], key=lambda choice: choice[1].lower())) for part in PARTS if part in kinds
    ]
    return PreparedChoices([("", str(_("Anything"))), *groups])


class LongSelect(forms.Select):
    """A select of hundreds of options (every kind of entry and of record) written in one pass from its choices, where
    Django's own widget makes a dictionary and renders a template for each option; the same markup, groups included,
    the first option of the value selected."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = tuple(self.format_value(value))
        prepared = self.choices if isinstance(self.choices, PreparedChoices) else None
        written = prepared.written.get(chosen) if prepared is not None else None
        if written is None:
            written = self._options(set(chosen))
            if prepared is not None and all(value in prepared.values for value in chosen):
                prepared.written[chosen] = written
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), written
        )

    def _options(self, chosen: set[str]) -> SafeString:
        found = False

        def options(choices: Iterable[tuple[Any, Any]]) -> SafeString:
            nonlocal found
            written = []
            for option_value, label in choices:
                text = str(option_value)
                selected = not found and text in chosen
                found = found or selected
                written.append(
                    format_html('<option value="{}"{}>{}</option>', text, " selected" if selected else "", label)
                )
            return SafeString("".join(written))

        parts = [
            format_html('<optgroup label="{}">{}</optgroup>', group, options(label))
            if isinstance(label, (list, tuple))
            else options([(group, label)])
            for group, label in self.choices
        ]
        return SafeString("".join(parts))


class EntryFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What happened"),
        widget=LongSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose what happened from the list.")},
    )
    subject_type = forms.ChoiceField(
        label=_("What it is about"),
        widget=LongSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose what it is about from the list.")},
    )
    since = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, with_person: bool = False, **kwargs: Any) -> None:
        """``with_person``: offer the filter by who acted, a search by name (only for those who may see names)."""
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = action_choices()
        subject_type = self.fields["subject_type"]
        assert isinstance(subject_type, forms.ChoiceField)
        subject_type.choices = subject_choices()
        if with_person:
            self.fields["person"] = forms.CharField(
                label=_("Person who acted"),
                required=False,
                max_length=200,
                help_text=_("A name, or a part of one: the entries of everyone whose name contains it."),
            )
            self.order_fields(["action", "subject_type", "person"])

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


class ReceiptCheckForm(forms.Form):
    """A filing receipt to check: its file, or its text pasted; and, if the checker has one, a witness's copy of a
    later checkpoint to check it against instead of this site's latest."""

    receipt_file = forms.FileField(
        label=_("The receipt's file"),
        required=False,
        help_text=_("The file you downloaded when you sent your report (filing-receipt-….json)."),
    )
    receipt_text = forms.CharField(
        label=_("Or paste the receipt's text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    checkpoint = forms.CharField(
        label=_("A later checkpoint a witness kept (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to check against this site's latest signed checkpoint."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("receipt_file")
        if upload is not None:
            if upload.size > 64 * 1024:
                raise forms.ValidationError(_("This file is too large to be a filing receipt."))
            data["receipt"] = upload.read()
        elif (data.get("receipt_text") or "").strip():
            data["receipt"] = data["receipt_text"]
        else:
            raise forms.ValidationError(_("Choose the receipt's file, or paste its text."))
        return data
