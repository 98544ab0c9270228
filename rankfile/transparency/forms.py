from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.governance.forms import CitesVoteForm
from rankfile.transparency.models import Audience


class DraftForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        help_text=_("As long as the bylaws set; the one under way is counted up to today."),
        error_messages={"invalid_choice": _("Choose a period from the list.")},
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        """``periods``: (code, words) of the periods that may be drafted, newest first."""
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = periods


class PublishForm(CitesVoteForm):
    audience = forms.ChoiceField(
        label=_("Who may read it"), choices=Audience.choices, widget=forms.RadioSelect, initial=Audience.MEMBERS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vote"].label = _("The carried vote that publishes it")
