from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.voice.bulletin import BODY_MOST, REASON_MOST, TITLE_MOST


class ContributionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MOST)
    body = forms.CharField(
        label=_("Your contribution"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=BODY_MOST,
        help_text=_(
            "Markdown: *emphasis*, **strong**, lists, quotes and links. Pictures and HTML are not shown. "
            "The editors may propose an edit; nothing changes unless you accept it."
        ),
    )


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MOST)
    body = forms.CharField(
        label=_("The text, as you propose it"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=BODY_MOST,
        help_text=_("The author reads your edit and accepts or declines it; until they accept it, the text is theirs."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the contribution is rejected"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MOST,
        help_text=_("The author and the oversight body read the reason."),
    )
