from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rankfile.governance.models import MandateStatus, Milestone
from rankfile.org.models import Body

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
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *MandateStatus.choices], required=False
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        choices=[("", _("Overdue or not")), ("yes", _("Overdue only")), ("no", _("Not overdue"))],
        required=False,
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_until = forms.DateField(label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

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
