from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.elections.models import BallotKind, Electorate, Method, Nomination
from rankfile.org.models import Person
from rankfile.org.queries import bodies_for_seating

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ElectionCallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.ModelChoiceField(
        label=_("Body whose seats are filled"), queryset=bodies_for_seating(), empty_label=_("Choose a body")
    )
    seats = forms.IntegerField(label=_("Number of seats"), min_value=1, max_value=500)
    term_starts_on = forms.DateField(label=_("The term starts on"), widget=DATE)
    term_ends_on = forms.DateField(label=_("The term ends on"), widget=DATE, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    ballot_kind = forms.ChoiceField(label=_("How the vote is taken"), choices=BallotKind.choices)
    electorate = forms.ChoiceField(label=_("Who may vote"), choices=Electorate.choices)
    electorate_body = forms.ModelChoiceField(
        label=_("The body whose seat-holders vote"),
        queryset=bodies_for_seating(),
        required=False,
        empty_label=_("None: the members vote"),
    )
    electorate_on = forms.DateField(label=_("Members in good standing on"), widget=DATE, required=False)
    nominations_open_at = forms.DateTimeField(label=_("Nominations open"), widget=DATETIME)
    nominations_close_at = forms.DateTimeField(label=_("Nominations close"), widget=DATETIME)
    voting_open_at = forms.DateTimeField(label=_("Voting opens"), widget=DATETIME)
    voting_close_at = forms.DateTimeField(label=_("Voting closes"), widget=DATETIME)


class NominationForm(forms.Form):
    nominee = forms.ModelChoiceField(
        label=_("Whom you nominate"),
        queryset=Person.objects.filter(status_changes__status="active").distinct().order_by("name"),
        empty_label=_("Choose a member"),
        help_text=_("You may nominate yourself. Anyone else stands only once they accept."),
    )
    statement = forms.CharField(
        label=_("Your statement, if you nominate yourself"), widget=forms.Textarea, required=False, max_length=4000
    )


class FloorNominationForm(forms.Form):
    """A nomination made in person, from the floor, recorded afterwards by the body that runs the election."""

    nominee = forms.ModelChoiceField(
        label=_("Who was nominated"),
        queryset=Person.objects.filter(status_changes__status="active").distinct().order_by("name"),
        empty_label=_("Choose a member"),
        help_text=_("They accepted on the floor: they stand once recorded, if the eligibility check lets them."),
    )
    made_on = forms.DateField(
        label=_("The day the nomination was made"),
        widget=DATE,
        help_text=_("A day on which nominations were open."),
    )
    statement = forms.CharField(
        label=_("The nominee's statement, if they gave one"), widget=forms.Textarea, required=False, max_length=4000
    )


class AnswerForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement for the candidates page"), widget=forms.Textarea, required=False, max_length=4000
    )


class BallotForm(forms.Form):
    """Marks for plurality and approval; a rank for each candidate in ranked methods."""

    def __init__(self, *args: Any, candidates: list[Nomination], ranked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.ranked = ranked
        if ranked:
            ranks = [("", _("No rank")), *((str(n), str(n)) for n in range(1, len(candidates) + 1))]
            for number, nomination in enumerate(candidates, start=1):
                self.fields[f"rank_{number}"] = forms.ChoiceField(
                    label=nomination.nominee.name, choices=ranks, required=False
                )
        else:
            self.fields["marks"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                choices=[(str(number), n.nominee.name) for number, n in enumerate(candidates, start=1)],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.ranked:
            ranked = [
                (int(data[f"rank_{number}"]), nomination.pk)
                for number, nomination in enumerate(self.candidates, start=1)
                if data.get(f"rank_{number}")
            ]
            if len({rank for rank, _pk in ranked}) != len(ranked):
                raise forms.ValidationError(_("Give each rank to one candidate only."))
            data["choices"] = [pk for _rank, pk in sorted(ranked)]
        else:
            data["choices"] = [self.candidates[int(number) - 1].pk for number in data.get("marks", [])]
        return data


class ReplaceForm(BallotForm):
    receipt = forms.CharField(label=_("Your ballot receipt"), max_length=80)


class PaperCountForm(forms.Form):
    tellers = forms.CharField(label=_("The tellers who counted"), max_length=400)

    def __init__(self, *args: Any, candidates: list[Nomination], ranked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.ranked = ranked
        if ranked:
            self.fields["lines"] = forms.CharField(
                label=_("Ballots, one way of ranking a line"),
                help_text=_(
                    "Each line: how many ballots, a colon, then the candidates' numbers in order of preference, "
                    "e.g. 12: 2, 1, 3"
                ),
                widget=forms.Textarea,
            )
        else:
            for number, nomination in enumerate(candidates, start=1):
                self.fields[f"votes_{number}"] = forms.IntegerField(
                    label=nomination.nominee.name, min_value=0, initial=0
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines: list[tuple[list[int], int]] = []
        if self.ranked:
            for text in (data.get("lines") or "").splitlines():
                if not text.strip():
                    continue
                count_text, _colon, marks_text = text.partition(":")
                try:
                    count = int(count_text)
                    numbers = [int(part) for part in marks_text.replace(">", ",").split(",") if part.strip()]
                    marks = [self.candidates[number - 1].pk for number in numbers if number >= 1]
                except (ValueError, IndexError):
                    raise forms.ValidationError(
                        _("This line is not a count and candidates' numbers: %(line)s") % {"line": text}
                    ) from None
                lines.append((marks, count))
        else:
            for number, nomination in enumerate(self.candidates, start=1):
                lines.append(([nomination.pk], data.get(f"votes_{number}") or 0))
        data["parsed"] = lines
        return data


class SelfIdentificationForm(forms.Form):
    """The bylaws' categories as boxes to tick; none ticked withdraws the answer."""

    def __init__(self, *args: Any, categories: list[dict[str, str]], initial_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"] = forms.MultipleChoiceField(
            label=_("I self-identify as"),
            choices=[(c["code"], c["label"]) for c in categories],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=initial_codes,
            help_text=_("Tick none and save to withdraw your answer."),
        )
