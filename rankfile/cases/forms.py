from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from rankfile.cases.actions.intake import CONTENT_FIELDS, CONTENT_LIMIT
from rankfile.cases.models import MeasureKind, ReportPath
from rankfile.org.models import Person
from rankfile.vault.documents import FILE_TYPES

TOO_LONG = _("This is longer than %(limit_value)s characters; shorten it, or say the rest in a message later.")


def _text(label: Any, help_text: Any, *, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=CONTENT_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG},
    )


class ReportForm(forms.Form):
    """What happened, in the reporter's words. Only what happened is asked for; the rest may stay empty."""

    what_happened = _text(
        _("What happened"),
        _("In your own words, as much or as little as you want to say. You can come back and add to it."),
        rows=10,
    )
    when = _text(
        _("When it happened (optional)"),
        _("A date or a time, or roughly: “last spring”, “over several months”."),
        rows=2,
    )
    where = _text(
        _("Where it happened (optional)"),
        _("A place, an event, a meeting, a chat group or another online space."),
        rows=2,
    )
    who = _text(
        _("Who was involved (optional)"),
        _("Names, or a description if you do not know them or would rather not give them."),
        rows=3,
    )
    witnesses = _text(
        _("Anyone who saw or heard it, or whom you told (optional)"),
        _("Only if you want to mention them."),
        rows=3,
    )
    wishes = _text(
        _("What you would like to happen (optional)"),
        _("For example: to be heard, support, an apology, that it stops, a formal process. You can change your mind."),
        rows=3,
    )
    contact = _text(
        _("How you would like to be contacted (optional)"),
        _(
            "For example: only through messages on this site, or an email address or phone number and good times to "
            "call. Messages on this site always work."
        ),
        rows=2,
    )

    def __init__(self, *args: Any, draft: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.draft = draft

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.draft and "what_happened" in cleaned and not cleaned["what_happened"]:
            self.add_error(
                "what_happened", _("Write what happened, in your own words, before you save. The rest is optional.")
            )
        return cleaned

    def content(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in CONTENT_FIELDS}


PATH_CHOICES_HELP = {
    ReportPath.RECORD_ONLY: _(
        "Keep a private, dated record. Nobody is told. You can send it on later, and it keeps today's date."
    ),
    ReportPath.SUPPORT_ONLY: _("The support team is told so that they can support you. Nobody investigates."),
    ReportPath.INFORMAL: _(
        "The disciplinary body helps to settle it without a formal finding, for example by a conversation or an "
        "agreement about behaviour."
    ),
    ReportPath.FORMAL: _(
        "The disciplinary body looks into it and decides. The person it is about is told and may respond; a decision "
        "can lead to sanctions."
    ),
}


def support_only_words(body: str) -> str:
    """What "Support only" does, naming the body it goes to: the support team, else the oversight body."""
    return _("The %(body)s is told so that they can support you. Nobody investigates.") % {"body": body}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SendForm(forms.Form):
    path = forms.ChoiceField(
        label=_("What would you like to happen?"),
        choices=ReportPath.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you would like to happen with your report.")},
    )
    respondent = PersonChoiceField(
        label=_("Who it is about (optional)"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Nobody chosen (describe them in your report)"),
        help_text=_("Choose them from the member directory if they are a member; otherwise describe them in “Who”."),
    )
    process_complaint = forms.BooleanField(
        label=_("It is about how officials or a body handled something"),
        required=False,
        help_text=_("For example, a complaint that was ignored or handled unfairly."),
    )
    named_conflicts = PeopleChoiceField(
        label=_("People you do not want handling your report (optional)"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They sit on the bodies that handle reports. Anyone you tick is left out and is not told about your report."
        ),
    )

    def __init__(
        self,
        *args: Any,
        members: QuerySet[Person],
        handlers: QuerySet[Person],
        recorded: bool = False,
        goes_to: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goes_to = goes_to or {}
        if self.goes_to.get("process"):
            self.fields["process_complaint"].help_text = _(
                "For example, a complaint that was ignored or handled unfairly. It goes to the %(body)s."
            ) % {"body": self.goes_to["process"]}
        respondent = self.fields["respondent"]
        assert isinstance(respondent, forms.ModelChoiceField)
        respondent.queryset = members
        if not members.exists():
            del self.fields["respondent"]
        conflicts = self.fields["named_conflicts"]
        assert isinstance(conflicts, forms.ModelMultipleChoiceField)
        conflicts.queryset = handlers
        if not handlers.exists():
            del self.fields["named_conflicts"]
        path = self.fields["path"]
        assert isinstance(path, forms.ChoiceField)
        if recorded:  # already recorded privately: the choice now is where to send it
            path.choices = [c for c in ReportPath.choices if c[0] != ReportPath.RECORD_ONLY]

    def path_options(self) -> list[tuple[Any, Any, str]]:
        """Each path's radio button, what it means, and the body it goes to (for support only, named in the meaning,
        in the same words as the start page and docs/reporting.md)."""
        options: list[tuple[Any, Any, str]] = []
        for radio in self["path"]:
            path = ReportPath(radio.data["value"])
            body = self.goes_to.get(radio.data["value"], "")
            if path == ReportPath.SUPPORT_ONLY and body:
                options.append((radio, support_only_words(body), ""))
            else:
                options.append((radio, PATH_CHOICES_HELP[path], body))
        return options


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=60,
        help_text=_("The 20 digits you were given when you made the report. The dashes are optional."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off", "inputmode": "numeric"}
        ),
        error_messages={"required": _("Enter your receipt code.")},
    )


# What the vault accepts (it checks the content itself); the extensions help browsers that do not know every type.
FILE_EXTENSIONS = [
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".heic",
    ".pdf",
    ".mp3",
    ".m4a",
    ".ogg",
    ".oga",
    ".wav",
    ".flac",
    ".amr",
    ".mp4",
    ".webm",
    ".mov",
    ".txt",
]
ACCEPTED_FILES = ",".join([*sorted(FILE_TYPES), *FILE_EXTENSIONS])


def file_limit_text() -> str:
    """The largest file accepted, in plain words ("100 MB")."""
    limit = settings.VAULT_MAX_FILE_BYTES
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else str(filesizeformat(limit))


def _file_field(label: Any, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
        error_messages={"required": _("Choose a file to attach."), "empty": _("This file is empty.")},
    )


def _file_help() -> str:
    return _(
        "Pictures, PDF documents, sound or video recordings, or plain text, up to %(limit)s each. It is encrypted "
        "before it is stored."
    ) % {"limit": file_limit_text()}


class EvidenceForm(forms.Form):
    """A file for the report: a screenshot, a photo, a recording, a document."""

    file = _file_field(_("Attach a file"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            _file_help() + " " + str(_("Only you and, once you send your report, the people handling it can open it."))
        )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=CONTENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message first."), "max_length": TOO_LONG},
    )
    attachment = _file_field(_("Attach a file (optional)"), required=False)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["text"].label = label
        self.fields["attachment"].help_text = _file_help()


MEASURE_HELP = {
    MeasureKind.NO_CONTACT: _(
        "The person concerned is asked not to contact you, directly or through others. To put it in place, the "
        "people handling your report may have to tell them what they must not do; never what you wrote."
    ),
    MeasureKind.EXCUSAL: _(
        "You are excused from meetings, events or roles you would share with the person concerned, without losing "
        "your place or your standing."
    ),
    MeasureKind.MEETING_ARRANGEMENTS: _(
        "Meetings are arranged so that you can take part safely: for example, separate seating, taking part "
        "online, or someone with you."
    ),
    MeasureKind.OTHER: _("Any other help that would make a difference to you: say what below."),
}
MEASURE_DETAILS_LIMIT = 10_000
CHOOSE_KIND = _("Choose the kind of support.")


class MeasureForm(forms.Form):
    """A reporter's request for a supportive measure."""

    kind = forms.ChoiceField(
        label=_("What kind of support?"),
        choices=MeasureKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=MEASURE_DETAILS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example, which meetings, or what would help. It is encrypted: only you and the people handling your "
            "report can read it."
        ),
        error_messages={"max_length": _("Describe it in fewer than 10,000 characters.")},
    )

    def kind_options(self) -> list[tuple[Any, Any]]:
        """Each kind's radio button and what it means."""
        return [(radio, MEASURE_HELP[MeasureKind(radio.data["value"])]) for radio in self["kind"]]
