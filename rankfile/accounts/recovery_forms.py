from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.accounts.models import User


class RecoverySetupForm(forms.Form):
    trustees = forms.ModelMultipleChoiceField(
        label=_("Trustees"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the oversight body who have signed in at least once."),
    )
    threshold = forms.IntegerField(
        label=_("Trustees needed to agree"),
        widget=forms.NumberInput(attrs={"min": 2, "inputmode": "numeric"}),
        help_text=_("At least 2. A common choice: a little more than half of the trustees, such as 3 of 5."),
    )

    def __init__(self, *args: Any, eligible: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trustees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in eligible]).order_by("name", "email")


class RestoreAskForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person who asks"),
        max_length=254,
        help_text=_("Use this when someone tells you their restoration did not start, or started before a reset."),
    )
