from django import forms
from django.utils.translation import gettext_lazy as _


class EntryFilterForm(forms.Form):
    action = forms.RegexField(
        label=_("Action starts with"),
        regex=r"^[a-z0-9_.]*$",
        max_length=80,
        required=False,
        error_messages={"invalid": _("Use lower-case letters, digits, dots and underscores, e.g. accounts.")},
    )
    subject_type = forms.RegexField(
        label=_("Subject type"),
        regex=r"^[a-z0-9_.]*$",
        max_length=80,
        required=False,
        help_text=_("e.g. accounts.invitation"),
        error_messages={"invalid": _("Use lower-case letters, digits, dots and underscores.")},
    )
    actor = forms.IntegerField(label=_("Actor id"), min_value=1, required=False)
    since = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
