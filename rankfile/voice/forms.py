from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.org.models import Body, Person
from rankfile.voice.models import JoinRule, PetitionAim


class CaucusForm(forms.Form):
    name = forms.CharField(label=_("Name of the caucus"), max_length=120)
    purpose = forms.CharField(label=_("Its purpose, in a sentence or two"), widget=forms.Textarea, max_length=2000)
    founding_statement = forms.CharField(
        label=_("Founding statement"),
        widget=forms.Textarea,
        max_length=8000,
        help_text=_("What the founders sign. No body approves a caucus: it forms once enough founders have signed."),
    )
    join_rule = forms.ChoiceField(label=_("Who may join"), choices=JoinRule.choices, widget=forms.RadioSelect)
    listed = forms.BooleanField(
        label=_("Show the caucus's name and purpose to the members"),
        required=False,
        help_text=_("Who belongs is never shown to anyone but the caucus's members."),
    )
    founders = forms.ModelMultipleChoiceField(
        label=_("The other founders"),
        queryset=Person.objects.filter(status_changes__status="active").distinct().order_by("name"),
        help_text=_("Each must sign the founding statement; you sign it now."),
    )


class PostForm(forms.Form):
    text = forms.CharField(label=_("Your post"), widget=forms.Textarea, max_length=8000)


class CaucusFileForm(forms.Form):
    file = forms.FileField(
        label=_("A file for the caucus"),
        help_text=_("Pictures, PDF documents, sound or video recordings, or plain text. It is sealed for the members."),
    )


class CaucusMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Day of the meeting"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea,
        max_length=8000,
        help_text=_("Where and when you meet, and what you will discuss. Sealed for the caucus's members."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, max_length=20000)


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("The member you invite"),
        queryset=Person.objects.filter(status_changes__status="active").distinct().order_by("name"),
        empty_label=_("Choose a member"),
    )
    note = forms.CharField(
        label=_("A note to them (optional)"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        help_text=_("Sealed for them and the conveners."),
    )


class SupportMessageForm(forms.Form):
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea, max_length=4000)
    reply_to = forms.CharField(
        label=_("How to answer you (optional)"),
        max_length=200,
        required=False,
        help_text=_("An email address, a phone number, or nothing. Only the conveners read it."),
    )


class ConcernForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("The body you raise it to"), queryset=Body.objects.none(), empty_label=_("Choose a body")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Your concern"), widget=forms.Textarea, max_length=8000)
    anonymous = forms.BooleanField(
        label=_("Do not tell the body my name"),
        required=False,
        help_text=_("The oversight body still knows who raised it."),
    )
    private = forms.BooleanField(
        label=_("Keep it private"),
        required=False,
        help_text=_("Only you, the body and the oversight body read a private concern; others cannot add their name."),
    )

    def __init__(self, *args: object, bodies: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("The body's answer"), widget=forms.Textarea, max_length=8000)


class ConcernPetitionForm(forms.Form):
    aim = forms.ChoiceField(label=_("What the petition asks"), choices=PetitionAim.choices, widget=forms.RadioSelect)


class PetitionForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("The body you petition"), queryset=Body.objects.none(), empty_label=_("Choose a body")
    )
    aim = forms.ChoiceField(label=_("What the petition asks"), choices=PetitionAim.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What the members ask, and why"), widget=forms.Textarea, max_length=8000)

    def __init__(self, *args: object, bodies: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
