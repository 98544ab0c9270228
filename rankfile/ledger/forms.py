from typing import Any

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
    since = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        """``people``: (person id, name) of those who acted, for the filter by person; None leaves it out (for those
        who may not see names)."""
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"] = forms.TypedChoiceField(
                label=_("Person who acted"),
                choices=[("", _("Anyone")), *people],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.order_fields(["action", "subject_type", "person"])

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
