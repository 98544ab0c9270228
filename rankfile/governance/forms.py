import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rankfile.governance import queries
from rankfile.governance.mandates import MilestoneSpec
from rankfile.governance.models import (
    CaseEffect,
    Choice,
    MandateStatus,
    MeetingKind,
    Milestone,
    MinutesVersion,
    Threshold,
    Visibility,
    Vote,
    VoteMethod,
)
from rankfile.ledger.forms import LongSelect
from rankfile.org.models import Body, Person, SeatRole
from rankfile.org.queries import bodies_for_seating

POSTABLE_STATUSES = [
    (MandateStatus.NOT_STARTED.value, MandateStatus.NOT_STARTED.label),
    (MandateStatus.IN_PROGRESS.value, MandateStatus.IN_PROGRESS.label),
    (MandateStatus.BLOCKED.value, MandateStatus.BLOCKED.label),
    (MandateStatus.DONE.value, MandateStatus.DONE.label),
]


class TrackerFilterForm(forms.Form):
    """The tracker's filters, sent as GET so that they work without JavaScript and can be bookmarked."""

    body = forms.ModelChoiceField(
        label=_("Responsible body"),
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any body"),
        widget=LongSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *MandateStatus.choices], required=False, widget=LongSelect
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        choices=[("", _("Overdue or not")), ("yes", _("Overdue only")), ("no", _("Not overdue"))],
        required=False,
        widget=LongSelect,
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_until = forms.DateField(label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, bodies: QuerySet[Body] | None = None, **kwargs: Any) -> None:
        """``bodies``: those the filter offers (``queries.tracker_bodies``: the ones responsible for a mandate the
        viewer sees, rather than every branch of the organization), and the one asked for if it is another; any body
        is still accepted. None offers every body (for the feeds and the export, which render no form)."""
        super().__init__(*args, **kwargs)
        if bodies is None:
            return
        asked = self.data.get(self.add_prefix("body")) if self.is_bound else None
        if asked:
            bodies = bodies | Body.objects.filter(slug=asked)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.widget.choices = [("", field.empty_label), *bodies.order_by("name").values_list("slug", "name")]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``queries.mandates``; none when the form does not validate."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "body": data["body"],
            "status": data["status"] or None,
            "overdue": {"yes": True, "no": False}.get(data["overdue"]),
            "due_from": data["due_from"],
            "due_until": data["due_until"],
        }


MEETING_KINDS = [*MeetingKind.choices, (queries.JOINT, _("joint (of several bodies)"))]


class MeetingFilterForm(forms.Form):
    """The list of meetings by kind, sent as GET so that it works without JavaScript and can be bookmarked."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *MEETING_KINDS], required=False)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``queries.meetings``; none when the form does not validate."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {"kind": self.cleaned_data["kind"] or None}


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=POSTABLE_STATUSES)
    percent = forms.IntegerField(
        label=_("Per cent done (optional)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when the mandate is blocked: say what blocks it."),
    )
    links = forms.CharField(
        label=_("Links (one a line, optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    delivered = forms.CharField(
        label=_("What was delivered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the status is done."),
    )
    milestones_reached = forms.ModelMultipleChoiceField(
        label=_("Milestones reached"),
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, milestones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["milestones_reached"]
        if milestones is not None and milestones.exists() and isinstance(field, forms.ModelMultipleChoiceField):
            field.queryset = milestones
        else:
            del self.fields["milestones_reached"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == MandateStatus.DONE and not (data.get("delivered") or "").strip():
            self.add_error("delivered", _("Say briefly what was delivered."))
        return data

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]


# Recording a meeting. Field names are the actions' argument names, so that a refusal lands by its field.

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
MILESTONE_LINE = re.compile(r"^(?P<title>.*?)\s*;\s*(?P<day>\d{4}-\d{2}-\d{2})$")


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OnePersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MeetingCreateForm(forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        label=_("Bodies that meet"),
        queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One for a meeting of one body; several for a joint meeting."),
        error_messages={"required": _("Choose the body (or bodies) that meet.")},
    )
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Steering committee, March meeting"))
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR)
    held_on = forms.DateField(
        label=_("Date (the first day)"),
        widget=DATE_INPUT,
        error_messages={"required": _("Give the day of the meeting.")},
    )
    ends_on = forms.DateField(
        label=_("Last day (optional)"), required=False, widget=DATE_INPUT, help_text=_("For a meeting of several days.")
    )
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)
    reference = forms.CharField(
        label=_("Reference (optional)"),
        max_length=40,
        required=False,
        help_text=_("Leave it empty to have one made from the bodies and the date, such as SC-2026-03-14."),
    )
    agenda = forms.CharField(
        label=_("Agenda (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text or Markdown."),
    )

    def __init__(self, *args: Any, bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bodies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = bodies


class AgendaForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text or Markdown."),
    )


class AttendanceForm(forms.Form):
    present = PersonChoice(
        label=_("Present from the meeting's bodies"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick who is here. They vote unless they sit only as alternates."),
    )
    invited = PersonChoice(
        label=_("Invited participants (optional)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Anyone else taking part, without a vote. Hold Ctrl (or ⌘) to choose several."),
    )
    day = forms.DateField(
        label=_("Day (optional)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For a meeting of several days: the day they are present; the first day if empty."),
    )

    def __init__(self, *args: Any, seated: QuerySet[Person], others: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present, invited = self.fields["present"], self.fields["invited"]
        assert isinstance(present, PersonChoice)
        assert isinstance(invited, PersonChoice)
        present.queryset = seated
        invited.queryset = others

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("present") and not data.get("invited"):
            self.add_error("present", _("Tick who is present, or choose invited participants."))
        return data


class DepartForm(forms.Form):
    person = OnePersonChoice(
        label=_("Who left"),
        queryset=Person.objects.none(),
        empty_label=_("Choose who left"),
        help_text=_("Later quorums and votes count without them. To mark them back, record them as present again."),
    )

    def __init__(self, *args: Any, present: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, OnePersonChoice)
        field.queryset = present


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text or Markdown. Each version is kept as it is; a later meeting approves one."),
    )


class MinutesVersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("%(meeting)s, version %(number)d") % {"meeting": obj.meeting.reference, "number": obj.number})


class MotionForm(forms.Form):
    text = forms.CharField(
        label=_("Motion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text or Markdown."),
        error_messages={"required": _("Write the motion as it was put.")},
    )
    mover = OnePersonChoice(
        label=_("Moved by"),
        queryset=Person.objects.none(),
        empty_label=_("Choose who moved it"),
        error_messages={"required": _("Choose who moved it (someone present with a vote).")},
    )
    seconder = OnePersonChoice(
        label=_("Seconded by (optional)"), queryset=Person.objects.none(), required=False, empty_label=_("Nobody")
    )
    threshold = forms.ChoiceField(label=_("Majority needed"), choices=Threshold.choices, initial=Threshold.MAJORITY)
    approves_minutes = MinutesVersionChoice(
        label=_("Approves the minutes of (optional)"),
        queryset=MinutesVersion.objects.none(),
        required=False,
        empty_label=_("No minutes"),
        help_text=_("When the motion carries, that version is the minutes of record and that meeting is locked."),
    )
    concerns = PersonChoice(
        label=_("People the motion is about (optional)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "A case's respondent, someone to re-admit or to seat: they are interested, so they cannot move or second "
            "it and their votes on it are not counted. Hold Ctrl (or ⌘) to choose several."
        ),
    )

    case_reference = forms.CharField(
        label=_("Case whose final decision it changes (optional)"),
        max_length=40,
        required=False,
        help_text=_("Its reference, as C-2026-4. An override or a re-admission can cite only a motion that names it."),
    )
    case_effect = forms.ChoiceField(
        label=_("What the motion does to that decision"),
        choices=[("", _("Nothing: it names no case")), *CaseEffect.choices],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        voters: QuerySet[Person],
        minutes: QuerySet[MinutesVersion],
        people: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        concerns = self.fields["concerns"]
        assert isinstance(concerns, PersonChoice)
        concerns.queryset = people
        for name in ("mover", "seconder"):
            field = self.fields[name]
            assert isinstance(field, OnePersonChoice)
            field.queryset = voters
        approves = self.fields["approves_minutes"]
        assert isinstance(approves, MinutesVersionChoice)
        approves.queryset = minutes


ROLL_CALL_CHOICES = [("", _("did not vote")), *Choice.choices]


class VoteForm(forms.Form):
    """Counts, a roll call (a choice for each person present with a vote) or unanimous."""

    method = forms.ChoiceField(
        label=_("How the vote went"), choices=VoteMethod.choices, widget=forms.RadioSelect, initial=VoteMethod.COUNTS
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False, help_text=_("For a counted vote."))
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    abstentions = forms.IntegerField(label=_("Abstaining"), min_value=0, required=False)
    taken_on = forms.DateField(
        label=_("Day of the vote (optional)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("For a meeting of several days; the first day if empty."),
    )

    def __init__(self, *args: Any, voters: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voters = {f"roll_{person.pk}": person for person in voters}
        for name, person in self.voters.items():
            self.fields[name] = forms.ChoiceField(label=person.name, choices=ROLL_CALL_CHOICES, required=False)

    def roll_call_fields(self) -> list[Any]:
        return [self[name] for name in self.voters]

    def other_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.voters]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == VoteMethod.ROLL_CALL and not self.roll_call():
            self.add_error(None, _("For a roll call, choose each person's vote."))
        return data

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data.get(name) or 0 for name in ("votes_for", "votes_against", "abstentions")}

    def roll_call(self) -> list[tuple[Person, str]]:
        return [
            (person, self.cleaned_data[name]) for name, person in self.voters.items() if self.cleaned_data.get(name)
        ]


def parse_milestones(text: str) -> list[MilestoneSpec]:
    """One milestone a line; a date at the end after a semicolon, if it has one: "Draft ready; 2026-05-01"."""
    specs = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = MILESTONE_LINE.match(line)
        if match is None:
            specs.append(MilestoneSpec(title=line))
            continue
        try:
            day = date.fromisoformat(match["day"])
        except ValueError:
            raise forms.ValidationError(
                _("“%(line)s”: the date is not a real day (year-month-day).") % {"line": line}
            ) from None
        specs.append(MilestoneSpec(title=match["title"], due_on=day))
    return specs


def milestone_lines(milestones: Any) -> str:
    return "\n".join(f"{m.title}; {m.due_on.isoformat()}" if m.due_on else m.title for m in milestones)


MILESTONES_HELP = _(
    'Optional. One a line; to give one a date, end the line with a semicolon and the date: "Draft ready; 2026-05-01".'
)


class DueFields(forms.Form):
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)
    due_within_days = forms.IntegerField(
        label=_("Or: due within this many days of the vote"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Give a due date or a number of days, not both."),
    )


class MandateAdoptForm(DueFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What must be done"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Plain text or Markdown.")
    )
    responsible_body = forms.ModelChoiceField(
        label=_("Responsible body"), queryset=Body.objects.order_by("name"), empty_label=_("Choose a body")
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.MEMBERS
    )
    milestones = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=MILESTONES_HELP
    )
    adopting_body = forms.ModelChoiceField(
        label=_("Adopted by"), queryset=Body.objects.none(), help_text=_("Which of the bodies that met adopted it.")
    )
    field_order = ["title", "text", "responsible_body", "due_on", "due_within_days", "visibility", "milestones"]

    def __init__(self, *args: Any, meeting_bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adopting = self.fields["adopting_body"]
        assert isinstance(adopting, forms.ModelChoiceField)
        if meeting_bodies.count() > 1:
            adopting.queryset = meeting_bodies
        else:
            del self.fields["adopting_body"]

    def clean_milestones(self) -> list[MilestoneSpec]:
        return parse_milestones(self.cleaned_data.get("milestones", ""))


class VoteChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("%(reference)s, on %(day)s") % {"reference": obj.reference, "day": date_format(obj.taken_on)})


class CitesVoteForm(forms.Form):
    """The carried vote that makes the change: chosen from those that may, or given by its reference."""

    vote = VoteChoice(
        label=_("The carried vote"), queryset=Vote.objects.none(), required=False, empty_label=_("Choose a vote")
    )
    vote_reference = forms.CharField(
        label=_("Or the vote's reference"), max_length=60, required=False, help_text=_("e.g. CONV-2026-M3")
    )

    def __init__(self, *args: Any, votes: list[Vote], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["vote"]
        assert isinstance(field, VoteChoice)
        field.queryset = Vote.objects.filter(pk__in=[vote.pk for vote in votes]).select_related("motion__meeting")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reference = (data.get("vote_reference") or "").strip()
        if reference:
            found = queries.vote_by_reference(reference=reference)
            if found is None:
                self.add_error("vote_reference", _("No recorded vote has this reference."))
            elif data.get("vote") is not None and data["vote"].pk != found.pk:
                self.add_error("vote_reference", _("Choose a vote or give a reference, not two different votes."))
            else:
                data["vote"] = found
        elif data.get("vote") is None and "vote" not in self.errors:
            self.add_error("vote", _("Choose the vote that decided this, or give its reference."))
        return data


class MandateExtendForm(CitesVoteForm, DueFields):
    field_order = ["vote", "vote_reference", "due_on", "due_within_days"]


class MandateRescindForm(CitesVoteForm):
    pass


class MandateAmendForm(CitesVoteForm, DueFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What must be done"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Plain text or Markdown.")
    )
    responsible_body = forms.ModelChoiceField(
        label=_("Responsible body"), queryset=Body.objects.order_by("name"), empty_label=_("Choose a body")
    )
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices, widget=forms.RadioSelect)
    milestones = forms.CharField(
        label=_("Milestones not yet reached"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=MILESTONES_HELP,
    )
    field_order = [
        "vote", "vote_reference", "title", "text", "responsible_body", "due_on", "due_within_days", "visibility",
        "milestones",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_within_days"].help_text = _("Leave both empty to keep the due date.")

    def clean_milestones(self) -> list[MilestoneSpec]:
        return parse_milestones(self.cleaned_data.get("milestones", ""))


class SeatByVoteForm(forms.Form):
    """Seat a person the carried motion is about, on the body it elected them to."""

    person = OnePersonChoice(
        label=_("Who was elected"),
        queryset=Person.objects.none(),
        empty_label=_("Choose the person"),
        error_messages={"required": _("Choose the person the motion elected.")},
    )
    body = forms.ModelChoiceField(
        label=_("To which body"),
        queryset=bodies_for_seating(),
        empty_label=_("Choose the body"),
        error_messages={"required": _("Choose the body they were elected to.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices, initial=SeatRole.MEMBER)
    starts_on = forms.DateField(
        label=_("From"), widget=DATE_INPUT, error_messages={"required": _("Enter the day the term starts.")}
    )
    term_ends_on = forms.DateField(label=_("Term ends (optional)"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, OnePersonChoice)
        person.queryset = people


class EligibilityOverrideForm(forms.Form):
    """Override the eligibility check for a person the carried motion is about, on one body."""

    person = OnePersonChoice(
        label=_("For whom"),
        queryset=Person.objects.none(),
        empty_label=_("Choose the person"),
        error_messages={"required": _("Choose the person the motion is about.")},
    )
    body = forms.ModelChoiceField(
        label=_("On which body"),
        queryset=bodies_for_seating(),
        empty_label=_("Choose the body"),
        error_messages={"required": _("Choose the body they may then be seated on.")},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, OnePersonChoice)
        person.queryset = people
