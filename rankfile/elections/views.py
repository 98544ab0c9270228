"""Election pages: thin. Each parses, calls an action or a query, and renders; access is decided in policy.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rankfile import policy
from rankfile.elections import actions, queries
from rankfile.elections.forms import (
    AnswerForm,
    BallotForm,
    ElectionCallForm,
    FloorNominationForm,
    NominationForm,
    PaperCountForm,
    ReplaceForm,
    SelfIdentificationForm,
)
from rankfile.elections.models import BallotKind, Election, Nomination
from rankfile.errors import InvalidInput, NotAllowed


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    context = {
        "elections": queries.elections(user=request.user),
        "may_call": policy.allows(request.user, "elections.call"),
        "self_identification_asked": queries.self_identification_asked(),
        "now": timezone.now(),
    }
    return render(request, "elections/election_list.html", context)


@login_required
def election_call(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "elections.view")
    policy.require(request.user, "elections.call")
    form = ElectionCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = actions.election_call(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The election was called."))
            return redirect("elections:detail", reference=election.reference)
    return render(request, "elections/election_call.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request: HttpRequest, election: Election, *, form: Any = None, answer: Any = None) -> HttpResponse:
    elector = queries.on_the_roll(user=request.user, election=election)
    runs = policy.allows(request.user, "elections.run", election)
    phase = queries.phase(election)
    context = {
        "election": election,
        "phase": phase,
        "candidates": queries.candidates(election=election),
        "to_answer": queries.my_nominations_to_answer(user=request.user, election=election),
        "answer_form": answer or AnswerForm(),
        "form": form or (NominationForm() if phase == "nominations" else None),
        "elector": elector,
        "runs": runs,
        "refusals": queries.refusals(user=request.user, election=election),
        "awaiting": queries.awaiting_acceptance(user=request.user, election=election),
        "roll": queries.roll_size(election=election),
        "paper": election.ballot_kind == BallotKind.PAPER,
        "slate": queries.slate_composition(user=request.user, election=election) if runs else None,
    }
    failed = bool((form is not None and form.errors) or (answer is not None and answer.errors))
    return render(request, "elections/election_detail.html", context, status=400 if failed else 200)


@login_required
def election_detail(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    if request.method != "POST":
        return _detail(request, election)
    policy.require(request.user, "elections.nominate", election)
    form = NominationForm(request.POST)
    if form.is_valid():
        try:
            nomination = actions.nomination_make(
                election=election,
                nominee=form.cleaned_data["nominee"],
                statement=form.cleaned_data["statement"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            _say_how_the_nomination_went(request, nomination)
            return redirect("elections:detail", reference=election.reference)
    return _detail(request, election, form=form)


def _say_how_the_nomination_went(request: HttpRequest, nomination: Nomination) -> None:
    """Received, or refused by the eligibility check: the reason's sentence only to whoever may read it (the running
    body, or the nominee who nominated themselves); anyone else learns that the nominee is told privately."""
    if not nomination.refusal_code:
        messages.success(request, _("Your nomination was received. The nominee is told what happens next."))
    elif sentence := queries.refusal_for(user=request.user, nomination=nomination):
        refused = _("The eligibility check refused this nomination: %(sentence)s") % {"sentence": sentence}
        messages.warning(request, refused)
    else:
        messages.warning(
            request, _("The eligibility check refused this nomination. The nominee is told why, privately.")
        )


@login_required
def floor_nomination(request: HttpRequest, reference: str) -> HttpResponse:
    """The running body records a nomination made in person from the floor (a paper or in-person vote only)."""
    election = queries.election_for(user=request.user, reference=reference)
    policy.require(request.user, "elections.run", election)
    if election.ballot_kind != BallotKind.PAPER:
        raise NotAllowed("floor nominations are for a paper or in-person vote")
    form = FloorNominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = actions.nomination_record(election=election, **form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            name = nomination.nominee.name
            if nomination.refusal_code:
                sentence = queries.refusal_sentence(nomination)
                messages.warning(
                    request,
                    _("%(name)s does not stand: %(sentence)s They are told privately.")
                    % {"name": name, "sentence": sentence},
                )
            else:
                messages.success(request, _("%(name)s stands in this election.") % {"name": name})
            return redirect("elections:floor_nomination", reference=election.reference)
    context = {
        "election": election,
        "form": form,
        "candidates": queries.candidates(election=election),
        "refusals": queries.refusals(user=request.user, election=election),
    }
    return render(request, "elections/floor_nomination.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def nomination_answer(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    nomination = queries.nomination_for(user=request.user, election=election, number=number)
    form = AnswerForm(request.POST)
    accept = request.POST.get("answer") == "accept"
    if form.is_valid():
        try:
            actions.nomination_answer(
                nomination=nomination, accept=accept, statement=form.cleaned_data["statement"], by=request.user
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("You stand in this election.") if accept else _("You declined."))
            return redirect("elections:detail", reference=election.reference)
    return _detail(request, election, answer=form)


@login_required
@require_POST
def voting_open(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    electors = actions.voting_open(election=election, by=request.user)
    messages.success(request, _("Voting is open. %(count)d people may vote.") % {"count": electors})
    return redirect("elections:detail", reference=election.reference)


@login_required
def vote(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    policy.require(request.user, "elections.vote", election)
    candidates = queries.candidates(election=election)
    elector = queries.on_the_roll(user=request.user, election=election)
    replacing = bool(elector and elector.voted)
    form_class = ReplaceForm if replacing else BallotForm
    form = form_class(request.POST or None, candidates=candidates, ranked=election.ranked)
    receipt = ""
    if request.method == "POST" and form.is_valid():
        try:
            if replacing:
                actions.ballot_replace(
                    election=election,
                    receipt=form.cleaned_data["receipt"],
                    choices=form.cleaned_data["choices"],
                    by=request.user,
                )
            else:
                receipt = actions.ballot_cast(election=election, choices=form.cleaned_data["choices"], by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            if replacing:
                messages.success(request, _("Your ballot was replaced. The last one you cast is the one counted."))
                return redirect("elections:ballots", reference=election.reference)
            return render(request, "elections/receipt.html", {"election": election, "receipt": receipt})
    context = {"election": election, "form": form, "replacing": replacing, "phase": queries.phase(election)}
    return render(request, "elections/vote.html", context, status=400 if form.errors else 200)


@login_required
def ballots(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    context = {"election": election, "trackers": queries.trackers(election=election)}
    return render(request, "elections/ballots.html", context)


@login_required
def paper_count(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    policy.require(request.user, "elections.run", election)
    candidates = queries.candidates(election=election)
    form = PaperCountForm(request.POST or None, candidates=candidates, ranked=election.ranked)
    if request.method == "POST" and form.is_valid():
        try:
            actions.paper_count_enter(
                election=election,
                tellers=form.cleaned_data["tellers"],
                lines=form.cleaned_data["parsed"],
                by=request.user,
            )
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The tellers' count was entered. Count the election to publish the result."))
            return redirect("elections:detail", reference=election.reference)
    context = {"election": election, "form": form, "candidates": candidates}
    return render(request, "elections/paper_count.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def count(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    actions.election_count(election=election, by=request.user)
    messages.success(request, _("The election was counted; the result is published to members."))
    return redirect("elections:results", reference=election.reference)


@login_required
def results(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    context = {
        "election": election,
        "view": queries.result_for(user=request.user, election=election),
        "goals": queries.result_composition(user=request.user, election=election),
        "runs": policy.allows(request.user, "elections.run", election),
    }
    return render(request, "elections/results.html", context)


@login_required
@require_POST
def seat_winners(request: HttpRequest, reference: str) -> HttpResponse:
    election = queries.election_for(user=request.user, reference=reference)
    seatings = actions.winners_seat(election=election, by=request.user)
    refused = sum(1 for s in seatings if s.outcome == "refused")
    if refused:
        messages.warning(
            request,
            _("The winners were seated; the eligibility check refused %(count)d, whose places went to the next.")
            % {"count": refused},
        )
    else:
        messages.success(request, _("The winners were seated."))
    return redirect("elections:results", reference=election.reference)


@login_required
def self_identification(request: HttpRequest) -> HttpResponse:
    categories, answer = queries.categories_and_answer(user=request.user)
    form = SelfIdentificationForm(request.POST or None, categories=categories, initial_codes=answer or [])
    if request.method == "POST" and form.is_valid():
        codes = list(form.cleaned_data["categories"])
        try:
            actions.self_identification_set(codes=codes, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("Your answer was saved, sealed.") if codes else _("Your answer was withdrawn."))
            return redirect("elections:self_identification")
    context = {"form": form, "categories": categories, "answered": answer is not None}
    return render(request, "elections/self_identification.html", context, status=400 if form.errors else 200)
