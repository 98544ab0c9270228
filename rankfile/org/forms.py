from django import forms
from django.utils.translation import gettext_lazy as _


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("On date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), max_length=100, required=False)
