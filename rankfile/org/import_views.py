"""The member import page: upload a CSV file, see what each column holds and what would change, then confirm.

Between the preview and the confirmation the file's text travels in a hidden field of the preview form, with a
signed digest of the text, the column choices and the preview's summary: nothing is written to disk or to the
session, an abandoned preview leaves no copy of members' details on the server, and the confirmation imports
exactly what was previewed or shows a new preview.
"""

import hashlib
import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from rankfile import policy
from rankfile.errors import InvalidInput
from rankfile.org import importing

SIGNING_SALT = "rankfile.org.import_members"
# The preview and the import each run every row's actions inside one request; beyond this many rows that takes
# longer than a request should (see docs/import.md), and the command line is the way.
PAGE_MAX_ROWS = 3000
PROBLEMS_SHOWN = 1000
DATE_FORMAT_CHOICES = [
    ("iso", gettext_lazy("YYYY-MM-DD, e.g. 2024-03-31")),
    ("dmy", gettext_lazy("DD/MM/YYYY, e.g. 31/03/2024")),
    ("mdy", gettext_lazy("MM/DD/YYYY, e.g. 03/31/2024")),
]
COLUMN_CHOICES = [(importing.NOT_IMPORTED, gettext_lazy("(not imported)"))] + [
    (name, label) for name, label in importing.FIELDS.items()
]


def page_limit() -> int:
    """The largest file the page takes: the preview form sends its text back, within Django's limit on form data."""
    form_data_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if form_data_limit is None:
        return importing.MAX_BYTES
    return min(importing.MAX_BYTES, form_data_limit - 64 * 1024)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    date_format = forms.ChoiceField(
        label=gettext_lazy("Dates in the file are written"), choices=DATE_FORMAT_CHOICES, initial="iso"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A spreadsheet saved as CSV UTF-8, with the column names in row 1; at most %(rows)s rows and "
            "%(size)s MB. Nothing is changed until you have seen the preview and confirmed it."
        ) % {"rows": f"{PAGE_MAX_ROWS:,}", "size": f"{page_limit() / 1024 / 1024:.1f}"}


class ReviewForm(forms.Form):
    """The preview's choices: what each column holds and how dates are written, with the file's text."""

    content = forms.CharField(widget=forms.HiddenInput, strip=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    date_format = forms.ChoiceField(label=gettext_lazy("Dates in the file are written"), choices=DATE_FORMAT_CHOICES)

    def __init__(self, *args: Any, member_file: importing.MemberFile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = len(member_file.headers)
        for index in range(self.columns):
            example = member_file.example(index)
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=_("Column “%(title)s”") % {"title": member_file.column_title(index)},
                choices=COLUMN_CHOICES,
                required=False,
                help_text=_("For example: %(value)s") % {"value": example[:80]} if example else _("Empty column."),
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(self.columns)]

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"column_{index}"] for index in range(self.columns)]


def _digest(member_file: importing.MemberFile, mapping: list[str], date_format: str) -> str:
    return hashlib.sha256(json.dumps([member_file.text, mapping, date_format]).encode()).hexdigest()


@never_cache
@login_required
def import_members(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "org.manage_people")
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    if "content" in request.POST:
        return _review(request)
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _upload_page(request, upload)
    file = upload.cleaned_data["file"]
    if file.size > page_limit():
        upload.add_error(
            "file",
            _(
                "This file is %(size).1f MB; the page takes files up to %(limit).1f MB. Split it, or ask whoever "
                "runs the installation to import it with the command rankfile import_members."
            )
            % {"size": file.size / 1024 / 1024, "limit": page_limit() / 1024 / 1024},
        )
        return _upload_page(request, upload)
    try:
        member_file = importing.member_file_read(data=file.read())
        _refuse_long_files(member_file)
    except InvalidInput as exc:
        upload.add_error("file", str(exc.message))
        return _upload_page(request, upload)
    mapping = importing.mapping_detect(headers=member_file.headers)
    return _preview(request, member_file, mapping, upload.cleaned_data["date_format"])


def _refuse_long_files(member_file: importing.MemberFile) -> None:
    if len(member_file.rows) > PAGE_MAX_ROWS:
        raise InvalidInput(
            _(
                "This file has %(rows)s rows; the page imports up to %(limit)s at a time. Split it, or ask whoever "
                "runs the installation to import it with the command rankfile import_members."
            )
            % {"rows": f"{len(member_file.rows):,}", "limit": f"{PAGE_MAX_ROWS:,}"},
            code="file_too_long",
        )


def _upload_page(request: HttpRequest, form: UploadForm, *, status: int = 200) -> HttpResponse:
    return render(request, "org/import_members.html", {"upload_form": form}, status=status)


def _review(request: HttpRequest) -> HttpResponse:
    """The preview form came back: check again with the new choices, or import."""
    try:
        member_file = importing.member_file_parse(text=request.POST.get("content", ""))
        _refuse_long_files(member_file)
    except InvalidInput as exc:
        upload = UploadForm()
        upload.cleaned_data = {}  # a form not sent takes an error only as a checked one does
        upload.add_error(None, str(exc.message))
        return _upload_page(request, upload, status=400)
    form = ReviewForm(request.POST, member_file=member_file)
    if not form.is_valid():
        return render(request, "org/import_members.html", {"form": form, "member_file": member_file}, status=400)
    mapping = form.mapping()
    date_format = form.cleaned_data["date_format"]
    if request.POST.get("step") != "import":
        return _preview(request, member_file, mapping, date_format)
    try:
        previewed = signing.loads(form.cleaned_data["token"], salt=SIGNING_SALT)
    except signing.BadSignature:
        previewed = None
    if not isinstance(previewed, dict) or previewed.get("digest") != _digest(member_file, mapping, date_format):
        messages.warning(
            request,
            _("The file, the columns or the date format changed since the preview. Check this preview, then import."),
        )
        return _preview(request, member_file, mapping, date_format)
    outcome = importing.members_import(
        member_file=member_file,
        mapping=mapping,
        date_format=date_format,
        by=request.user,
        expected=previewed.get("summary"),
    )
    if outcome.committed:
        messages.success(
            request,
            _(
                "Imported %(rows)d rows: %(counts)s. Membership statuses recorded: %(statuses)s. Branch seats added: "
                "%(seats)s."
            )
            % {
                "rows": outcome.total_rows,
                "counts": outcome.counts_text(),
                "statuses": outcome.statuses_text(),
                "seats": outcome.seats_text(),
            },
        )
        return redirect(request.path)
    if outcome.changed_since_preview:
        messages.warning(
            request,
            _(
                "Something changed in the organization since the preview, so nothing was imported. Check this new "
                "preview, then import."
            ),
        )
        return _preview(request, member_file, mapping, date_format)
    return _preview(request, member_file, mapping, date_format, outcome=outcome)


def _preview(
    request: HttpRequest,
    member_file: importing.MemberFile,
    mapping: list[str],
    date_format: str,
    *,
    outcome: importing.ImportOutcome | None = None,
) -> HttpResponse:
    if outcome is None:
        outcome = importing.members_import(
            member_file=member_file, mapping=mapping, date_format=date_format, by=request.user, dry_run=True
        )
    token = ""
    if not outcome.problems:
        token = signing.dumps(
            {"digest": _digest(member_file, mapping, date_format), "summary": outcome.summary}, salt=SIGNING_SALT
        )
    initial: dict[str, Any] = {"content": member_file.text, "token": token, "date_format": date_format}
    initial.update({f"column_{index}": field for index, field in enumerate(mapping)})
    form = ReviewForm(initial=initial, member_file=member_file)
    return render(
        request,
        "org/import_members.html",
        {
            "form": form,
            "member_file": member_file,
            "outcome": outcome,
            "problems": outcome.problems[:PROBLEMS_SHOWN],
            "problems_not_shown": max(0, len(outcome.problems) - PROBLEMS_SHOWN),
            "notes": outcome.notes[:PROBLEMS_SHOWN],
            "notes_not_shown": max(0, len(outcome.notes) - PROBLEMS_SHOWN),
        },
    )
