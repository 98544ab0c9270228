import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import (
    STATUS_REASON_WORDS,
    STATUS_REASONS_TO_CHOOSE,
    Body,
    BodyKind,
    MembershipStatus,
    SeatBasis,
    SeatEndReason,
    SeatRole,
)
from rankfile.org.queries import bodies_for_seating

# A reason code as the ledger takes it (rankfile.ledger.schema).
REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}", re.ASCII)


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("On date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), max_length=100, required=False)


class BylawsAdoptForm(forms.Form):
    document = forms.CharField(
        label=_("Bylaws (TOML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        max_length=200_000,
        help_text=_("Edit the current version below. Nothing changes until you adopt it as a new version."),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    adopted_by_vote = forms.CharField(
        label=_("Adopted by the vote"),
        max_length=200,
        help_text=_("Which vote adopted this version, e.g. Convention 2026, motion 12 (carried 212-31-4)."),
    )


class PersonCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address (optional)"), required=False)
    member_number = forms.CharField(label=_("Member number (optional)"), max_length=64, required=False)
    joined_on = forms.DateField(
        label=_("Member since (leave empty for a non-member)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PersonEmailForm(forms.Form):
    # A plain text field: the action checks the address and says what to fix, as for an import.
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        required=False,
        help_text=_("Leave it empty if they have none."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class StatusReasonField(forms.ChoiceField):
    """The reasons in words, as a list; a short code posted as before the list (``dues``) is still taken as it is."""

    def __init__(self, **kwargs: Any) -> None:
        listed = [(code, STATUS_REASON_WORDS[code]) for code in STATUS_REASONS_TO_CHOOSE]
        choices = [("", _("Choose a reason")), *listed]
        super().__init__(choices=choices, error_messages={"invalid_choice": _("Choose one of the reasons.")}, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or bool(REASON_CODE.fullmatch(str(value)))


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=MembershipStatus.choices)
    effective_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("Until (only for a leave or a suspension)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason_code = StatusReasonField(label=_("Reason"))
    reason = forms.CharField(
        label=_("Note on the reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SeatForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=bodies_for_seating(), empty_label=_("Choose a body"))
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices, initial=SeatRole.MEMBER)
    basis = forms.ChoiceField(label=_("How"), choices=SeatBasis.choices)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    term_ends_on = forms.DateField(
        label=_("Term ends (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day was the day before"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Why"), choices=SeatEndReason.choices)


class BodyCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name for addresses"), max_length=80, help_text=_("e.g. steering-committee"))
    # No new caucus: members form one in members' voice (the kind stays for bodies made before).
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in BodyKind.choices if c[0] != BodyKind.CAUCUS])
    parent = forms.ModelChoiceField(
        label=_("Part of (optional)"),
        queryset=Body.objects.order_by("name"),
        required=False,
        empty_label=_("None: a body of its own"),
    )
    max_size = forms.IntegerField(label=_("Most seats (optional)"), min_value=1, required=False)
    max_consecutive_terms = forms.IntegerField(label=_("Term limit in a row (optional)"), min_value=1, required=False)
