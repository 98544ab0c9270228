from django import forms
from django.utils.translation import gettext_lazy as _


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
