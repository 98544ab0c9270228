from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.governance.models import Visibility
from rankfile.org.models import Body
from rankfile.voice.models import Concern, Petition, StatementKind


class MandateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.responsible_body.name})"


class _Words(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The statement"),
        widget=forms.Textarea,
        max_length=20000,
        help_text=_("Plain text or Markdown, exactly as adopted."),
    )


class StatementForm(_Words):
    body = forms.ModelChoiceField(
        label=_("The body that adopted it"), queryset=Body.objects.none(), empty_label=_("Choose a body")
    )
    kind = forms.ChoiceField(label=_("What it is"), choices=StatementKind.choices, widget=forms.RadioSelect)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices, widget=forms.RadioSelect)
    vote_reference = forms.ChoiceField(
        label=_("The vote that adopted it"),
        choices=[],
        help_text=_("A carried motion of the body, as its meeting's page records it."),
    )
    mandate = MandateChoice(
        label=_("A mandate it fulfils (if any)"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Only a mandate the body is responsible for."),
    )
    field_order = ["body", "kind", "visibility", "title", "text", "vote_reference", "mandate"]

    def __init__(self, *args: Any, bodies: Any = None, mandates: Any = None, votes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["mandate"].queryset = mandates  # type: ignore[attr-defined]
        self.fields["vote_reference"].choices = [("", _("Choose the vote")), *votes]  # type: ignore[attr-defined]


class CaucusStatementForm(_Words):
    kind = forms.ChoiceField(label=_("What it is"), choices=StatementKind.choices, widget=forms.RadioSelect)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Public only if the caucus shows its name and purpose to the members."),
    )
    field_order = ["kind", "visibility", "title", "text"]


class RevisionForm(_Words):
    vote_reference = forms.ChoiceField(
        label=_("The vote that adopted this version"),
        choices=[],
        help_text=_("A carried motion of the body that adopted no earlier version."),
    )

    def __init__(self, *args: Any, votes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if votes is None:  # a caucus's statement: its conveners publish without a vote
            del self.fields["vote_reference"]
        else:
            self.fields["vote_reference"].choices = [("", _("Choose the vote")), *votes]  # type: ignore[attr-defined]


class ItemChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.body.name})"


class MembersMeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("The body that calls it"),
        queryset=Body.objects.none(),
        empty_label=_("Choose a body"),
        help_text=_("Its chair, vice chair or secretary keeps the meeting's record."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    call = forms.BooleanField(label=_("A call rather than a meeting in one place"), required=False)
    place = forms.CharField(label=_("Place, or where to join the call"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Other items of the agenda"), widget=forms.Textarea, required=False)
    petitions = ItemChoices(
        label=_("Carried petitions to take up"),
        queryset=Petition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns = ItemChoices(
        label=_("Members' concerns to discuss"),
        queryset=Concern.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, bodies: Any = None, petitions: Any = None, concerns: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["petitions"].queryset = petitions  # type: ignore[attr-defined]
        self.fields["concerns"].queryset = concerns  # type: ignore[attr-defined]
