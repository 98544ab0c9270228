from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.governance.forms import CitesVoteForm
from rankfile.transparency.models import Audience


class DraftForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A half year like 2026H2, a quarter like 2026Q3 or a year like 2026, as the bylaws set."),
    )


class PublishForm(CitesVoteForm):
    audience = forms.ChoiceField(
        label=_("Who may read it"), choices=Audience.choices, widget=forms.RadioSelect, initial=Audience.MEMBERS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vote"].label = _("The carried vote that publishes it")
