from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.ledger import cosigning, hooks, queries, receipts
from rankfile.ledger.forms import EntryFilterForm, ReceiptCheckForm
from rankfile.policy import public_page

ENTRIES_PER_PAGE = 50


def _may_see_names(user: Any) -> bool:
    """Names of people only for those who may see the member directory; everyone else gets "a member"."""
    return policy.allows(user, "org.view_directory")


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    with_names = _may_see_names(request.user)
    form = EntryFilterForm(request.GET or None, with_person=with_names)
    filters: dict = {}
    found: list[hooks.ActorFound] = []
    if form.is_valid():
        data = form.cleaned_data
        words = data.get("person") or ""
        found = queries.actors_found(user=request.user, words=words) if words else []
        if words and not found:
            form.add_error("person", _("Nobody whose name contains “%(words)s” is known here.") % {"words": words})
        elif len(found) > queries.PEOPLE_FOUND_AT_MOST:
            form.add_error(
                "person",
                _("More than %(most)s names contain “%(words)s”: write more of the name.")
                % {"most": queries.PEOPLE_FOUND_AT_MOST, "words": words},
            )
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "action": data["action"] or "",
            "subject_type": data["subject_type"] or "",
            "acted_as": tuple(reference for actor in found for reference in actor.references),
            "since": data["since"].isoformat() if data["since"] else "",
            "until": (data["until"] + timedelta(days=1)).isoformat() if data["until"] else "",
        }
    else:
        found = []
    entries = queries.entries_for_oversight(user=request.user, **filters)
    # A filter refused lists nothing: the whole ledger under its error would read as what was asked for.
    refused = form.is_bound and not form.is_valid()
    if refused:
        entries = entries.none()
    size = queries.ledger_size()
    page = queries.entries_page(
        user=request.user,
        entries=entries,
        filtered=any(filters.values()),
        number=_page_number(request.GET.get("page")),
        per_page=ENTRIES_PER_PAGE,
        size=size,
    )
    checkpoints = [queries.checkpoint_status(c) for c in queries.recent_checkpoints(limit=5)]
    flagged = queries.flagged_entries(user=request.user)
    # One naming for both lists: the hooks answer in a constant number of queries, however many entries.
    shown = _rows(queries.entries_shown(entries=[*page.entries, *flagged], with_names=with_names, reader=request.user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/entry_list.html",
        {
            "form": form,
            "page": page,
            "rows": entry_items(shown[: len(page.entries)]),
            "checkpoints": checkpoints,
            "query": query.urlencode(),
            "size": size,
            "flagged": entry_items(shown[len(page.entries) :]),
            "people_found": [actor.name for actor in found],
            "refused": refused,
        },
    )


def _page_number(asked: str | None) -> int:
    try:
        return max(1, int(asked or 1))
    except ValueError:
        return 1


@dataclass(frozen=True)
class EntryRow:
    """An entry as the Ledger page lists it, every value ready to print: the template asks no rule, reverses no URL
    and translates nothing row by row."""

    seq: int
    label: str
    subject_words: str
    subject_url: str
    actor_words: str
    actor_url: str
    recorded_at: str
    when: str
    action: str
    withheld: bool
    subject_code: str
    data: str
    leaf_hash: str
    proof_url: str
    details: str
    proof_words: str


def _when(moment: datetime, months: dict[int, str]) -> str:
    """The date format of every ledger page, "j F Y, H:i" (25 November 2026, 13:00), with the month's name translated
    once for the page rather than once a row."""
    return f"{moment.day} {months[moment.month]} {moment.year}, {moment:%H:%M}"


def _rows(shown: list[queries.ShownEntry]) -> list[EntryRow]:
    # The proof's address reversed once for the page; each row puts its own number in it.
    proof_url = reverse("ledger:entry_proof", args=[0]).replace("/0/", "/%d/")
    months = {number: str(name) for number, name in MONTHS.items()}
    details = _("Technical details of entry %(seq)s")
    proof_words = _("Proof that entry %(seq)s is in the ledger, unchanged")
    return [
        EntryRow(
            seq=row.entry.seq,
            label=row.label,
            subject_words=row.subject.words if row.subject else "",
            subject_url=row.subject.url if row.subject else "",
            actor_words=row.actor.words,
            actor_url=row.actor.url,
            recorded_at=row.entry.recorded_at,
            when=_when(timezone.localtime(row.entry.recorded_at_time), months),
            action=row.entry.action,
            withheld=row.withheld,
            subject_code=f"{row.entry.subject_type} {row.entry.subject_id}" if row.entry.subject_type else "",
            data=row.entry.data,
            leaf_hash=bytes(row.entry.leaf_hash).hex(),
            proof_url=proof_url % row.entry.seq,
            details=details % {"seq": row.entry.seq},
            proof_words=proof_words % {"seq": row.entry.seq},
        )
        for row in shown
    ]


# One entry of the Ledger page's lists, written here rather than by a template: a template resolves each of its
# dozen values through the context for each of up to a hundred rows, which cost more than the rest of the list.
_ENTRY_ITEM = """<li class="ledger-entry">
  <p class="ledger-entry-what"><strong>{label}</strong>{subject}</p>
  <p class="ledger-entry-who">{by} {actor}, <time datetime="{recorded_at}">{when}</time></p>
  <details class="ledger-entry-details">
    <summary>{details}</summary>
    <dl class="proof">
      <dt>{action_word}</dt><dd><code>{action}</code></dd>
      {about}
      <dt>{leaf_word}</dt><dd><code>{leaf_hash}</code></dd>
    </dl>
    <p><a href="{proof_url}">{proof_words}</a></p>
  </details>
</li>
"""


def _linked(words: str, url: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, words) if url else conditional_escape(words)


def entry_items(rows: list[EntryRow]) -> SafeString:
    """The rows as the items of a list (``ledger/_entry.html``), the words they all share translated once."""
    by, action_word, leaf_word = _("By"), _("Action"), _("Leaf hash")
    withheld = format_html(
        "<dt>{}</dt><dd>{}</dd>",
        _("What it is about"),
        _("Not shown: it would tell who sits on a caucus, which only the caucus's members know."),
    )
    subject_word, data_words = _("Subject"), _("Recorded data")
    items = []
    for row in rows:
        if row.withheld:
            about = withheld
        else:
            about = format_html(
                '{}<dt>{}</dt><dd><code class="code">{}</code></dd>',
                format_html("<dt>{}</dt><dd><code>{}</code></dd>", subject_word, row.subject_code)
                if row.subject_code
                else "",
                data_words,
                row.data,
            )
        items.append(
            format_html(
                _ENTRY_ITEM,
                label=row.label,
                subject=format_html(": {}", _linked(row.subject_words, row.subject_url)) if row.subject_words else "",
                by=by,
                actor=_linked(row.actor_words, row.actor_url),
                recorded_at=row.recorded_at,
                when=row.when,
                details=row.details,
                action_word=action_word,
                action=row.action,
                about=about,
                leaf_word=leaf_word,
                leaf_hash=row.leaf_hash,
                proof_url=row.proof_url,
                proof_words=row.proof_words,
            )
        )
    return SafeString("".join(items))


@public_page
def checkpoint_latest(request: HttpRequest) -> HttpResponse:
    checkpoint = queries.latest_checkpoint()
    key = queries.existing_ledger_key()  # a page never makes the key it shows
    note = cosigning.with_cosignatures(checkpoint) if checkpoint else ""
    return render(
        request,
        "ledger/checkpoint.html",
        {
            "checkpoint": checkpoint,
            "note": note,
            "cosigned_by": cosigning.valid_cosignatures(note, witnesses=cosigning.trusted_witnesses()) if note else [],
            "required": cosigning.required(),
            "verifier": key.verifier if key else "",
        },
    )


@public_page
def checkpoint_latest_text(request: HttpRequest) -> HttpResponse:
    """The latest checkpoint with the witnesses' cosignatures, as a C2SP note."""
    checkpoint = queries.latest_checkpoint()
    if checkpoint is None:
        raise Http404
    return HttpResponse(cosigning.with_cosignatures(checkpoint), content_type="text/plain; charset=utf-8")


def _proof_or_404(seq: int) -> queries.InclusionProof:
    queries.entry_for_proof(seq=seq)
    try:
        return queries.inclusion_proof(seq=seq)
    except LookupError:
        raise Http404 from None


@public_page
def entry_proof(request: HttpRequest, seq: int) -> HttpResponse:
    try:
        proof = _proof_or_404(seq)
    except Http404:
        return render(request, "ledger/proof_pending.html", {"seq": seq}, status=404)
    entry = queries.entry_for_watcher(seq=seq, user=request.user)
    with_names = _may_see_names(request.user)
    shown = queries.entries_shown(entries=[entry], with_names=with_names, reader=request.user) if entry else []
    return render(
        request,
        "ledger/proof.html",
        {"proof": proof, "proof_hex": proof.as_dict(), "shown": shown[0] if shown else None},
    )


@public_page
def receipt_check(request: HttpRequest) -> HttpResponse:
    """Anyone checks a filing receipt: that its entry is in the ledger since its checkpoint, and still there."""
    posted = request.method == "POST"
    form = ReceiptCheckForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                receipt = receipts.parse(form.cleaned_data["receipt"])
                result = receipts.check_here(receipt, against=(form.cleaned_data.get("checkpoint") or "").strip())
            except receipts.ReceiptError as error:
                form.add_error(None, str(error))
            else:
                status = 200
    return render(
        request,
        "ledger/receipt_check.html",
        {"form": form, "result": result, "proof": receipts.b64(result.consistency_proof) if result else []},
        status=status,
    )


@csrf_exempt
@public_page
@require_POST
def witness_add_checkpoint(request: HttpRequest) -> HttpResponse:
    """The C2SP tlog-witness `add-checkpoint` call: cosign another organization's checkpoint that extends the last."""
    answer = cosigning.add_checkpoint(request.body)
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
