"""Members' voice pages: thin. Each parses, calls an action or a query, and renders; access is decided in
policy.py."""

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage

from rankfile import policy
from rankfile.errors import Conflict, InvalidInput
from rankfile.policy import public_page
from rankfile.vault import sessions
from rankfile.vault.errors import VaultError
from rankfile.voice import actions, caucus_files, caucus_invitations, caucus_meetings, caucus_support, queries
from rankfile.voice.forms import (
    AnswerForm,
    CaucusFileForm,
    CaucusForm,
    CaucusMeetingForm,
    ConcernForm,
    ConcernPetitionForm,
    InviteForm,
    MinutesForm,
    PetitionForm,
    PostForm,
    SupportMessageForm,
)
from rankfile.voice.models import Caucus, Concern, JoinRule, Petition

FILE_PROBLEMS = ("too_large", "file_type")  # the vault's refusals of an upload, said by the file's field
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|]')


@login_required
def index(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.view")
    context = {
        "mine": queries.my_caucuses(user=request.user),
        "listed": queries.listed_caucuses(user=request.user),
        "concerns": queries.concerns(user=request.user),
        "may_form": policy.allows(request.user, "voice.form_caucus"),
        "may_raise": policy.allows(request.user, "voice.raise_concern"),
        "petitions": queries.petitions(user=request.user),
        "may_petition": policy.allows(request.user, "voice.start_petition"),
        "minimum": actions.voice_rules()["caucus_minimum"],
        "reads_bulletin": policy.allows(request.user, "voice.read_bulletin"),
    }
    return render(request, "voice/index.html", context)


@login_required
def caucus_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.form_caucus")
    form = CaucusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            caucus = actions.caucus_propose(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("You signed the founding statement. The other founders are asked to sign."))
            return redirect("voice:caucus_detail", pk=caucus.pk)
    context = {"form": form, "minimum": actions.voice_rules()["caucus_minimum"]}
    return render(request, "voice/caucus_new.html", context, status=400 if form.errors else 200)


def _caucus_page(
    request: HttpRequest,
    caucus: Caucus,
    *,
    form: PostForm | None = None,
    file_form: CaucusFileForm | None = None,
    meeting_form: CaucusMeetingForm | None = None,
    invite_form: InviteForm | None = None,
) -> HttpResponse:
    reads = policy.allows(request.user, "voice.read_caucus", caucus)
    key = sessions.unlocked_key(request)
    space = caucus_files.caucus_space_read(caucus=caucus, by=request.user, key=key) if reads else None
    invited = policy.allows(request.user, "voice.answer_invitation", caucus)
    convenes = policy.allows(request.user, "voice.convene", caucus)
    context = {
        "caucus": caucus,
        "membership": queries.membership(user=request.user, caucus=caucus),
        "roster": queries.caucus_roster(user=request.user, caucus=caucus),
        "reads": reads,
        "locked": reads and key is None,
        "posts": space.posts if space else [],
        "files": space.files if space else [],
        "form": form or PostForm(),
        "file_form": file_form or CaucusFileForm(),
        "meetings": space.meetings if space else [],
        "meeting_form": meeting_form or CaucusMeetingForm(),
        "invite_form": invite_form or InviteForm(),
        "support_messages": (
            caucus_support.support_messages_open(caucus=caucus, by=request.user, key=key) if convenes else []
        ),
        "invited": invited,
        "invitation_note": (
            caucus_invitations.caucus_invitation_note(caucus=caucus, by=request.user, key=key) if invited else ""
        ),
        "may_sign": policy.allows(request.user, "voice.sign_founding", caucus),
        "may_join": policy.allows(request.user, "voice.join_caucus", caucus),
        "convenes": convenes,
        "open_to_all": caucus.join_rule == JoinRule.OPEN,
    }
    failed = any(given is not None for given in (form, file_form, meeting_form, invite_form))
    return render(request, "voice/caucus_detail.html", context, status=400 if failed else 200)


@never_cache
@login_required
def caucus_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The caucus: its name and purpose; for its members, who belongs and its space of sealed posts."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    if request.method != "POST":
        return _caucus_page(request, caucus)
    policy.require(request.user, "voice.read_caucus", caucus)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            key = sessions.require_unlocked(request)
            actions.caucus_post(caucus=caucus, text=form.cleaned_data["text"], by=request.user, key=key)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("Your post is in the caucus's space, sealed for its members."))
            return redirect("voice:caucus_detail", pk=caucus.pk)
    return _caucus_page(request, caucus, form=form)


@require_POST
@login_required
def caucus_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file to the caucus's space, sealed for its members; a refused file is said by the form's field."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.read_caucus", caucus)
    form = CaucusFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            key = sessions.require_unlocked(request)
            caucus_files.caucus_file_add(caucus=caucus, upload=form.cleaned_data["file"], by=request.user, key=key)
        except VaultError as error:
            if error.code not in FILE_PROBLEMS:
                raise
            form.add_error("file", capfirst(str(error.message).strip().rstrip(".")) + ".")
        else:
            messages.success(request, _("Your file is in the caucus's space, sealed for its members."))
            return redirect("voice:caucus_detail", pk=caucus.pk)
    return _caucus_page(request, caucus, file_form=form)


@require_POST
@login_required
def caucus_meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """A convener schedules a meeting of the caucus, with its agenda sealed for the members."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.convene", caucus)
    form = CaucusMeetingForm(request.POST)
    if form.is_valid():
        try:
            caucus_meetings.caucus_meeting_schedule(caucus=caucus, **form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The meeting is scheduled. Its agenda is sealed for the caucus's members."))
            return redirect("voice:caucus_detail", pk=caucus.pk)
    return _caucus_page(request, caucus, meeting_form=form)


@require_POST
@login_required
def caucus_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """A convener invites a member by name."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.convene", caucus)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            member = caucus_invitations.caucus_invite(caucus=caucus, **form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        except Conflict as exc:
            form.add_error("person", str(exc))
        else:
            messages.success(request, _("%(name)s is invited and told by email.") % {"name": member.person.name})
            return redirect("voice:caucus_detail", pk=caucus.pk)
    return _caucus_page(request, caucus, invite_form=form)


@require_POST
@login_required
def caucus_invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited member accepts or declines."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.answer_invitation", caucus)
    if request.POST.get("answer") == "accept":
        caucus_invitations.caucus_invitation_accept(caucus=caucus, by=request.user)
        messages.success(request, _("You joined the caucus."))
        return redirect("voice:caucus_detail", pk=caucus.pk)
    if request.POST.get("answer") == "decline":
        caucus_invitations.caucus_invitation_decline(caucus=caucus, by=request.user)
        messages.success(request, _("You declined the invitation."))
        return redirect("voice:index")
    messages.error(request, _("Choose to accept or to decline the invitation."))
    return redirect("voice:caucus_detail", pk=caucus.pk)


@require_POST
@login_required
def caucus_support_card(request: HttpRequest, pk: int) -> HttpResponse:
    """A convener lists the caucus on the report pages' support card, or takes it off."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.convene", caucus)
    listed = request.POST.get("listed") == "yes"
    caucus_support.caucus_support_card_set(caucus=caucus, listed=listed, by=request.user)
    if listed:
        messages.success(request, _("The caucus is listed on the support card, with a form to write to its conveners."))
    else:
        messages.success(request, _("The caucus is no longer listed on the support card."))
    return redirect("voice:caucus_detail", pk=caucus.pk)


# Messages from the support card need no account: a few per client an hour, and a ceiling for everyone together.
SUPPORT_MESSAGES_PER_CLIENT = "10/h"
SUPPORT_MESSAGES_OVERALL = "200/h"


def _support_message_allowed(request: HttpRequest) -> bool:
    limits = [("ip", SUPPORT_MESSAGES_PER_CLIENT), (lambda group, request: "everyone", SUPPORT_MESSAGES_OVERALL)]
    for key, rate in limits:
        usage = get_usage(request, group="voice.support_message", key=key, rate=rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return False
    for key, rate in limits:
        get_usage(request, group="voice.support_message", key=key, rate=rate, increment=True)
    return True


@require_POST
@login_required
def support_card_name(request: HttpRequest, pk: int) -> HttpResponse:
    """A convener chooses to be named on the support card with the caucus, or no longer."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    policy.require(request.user, "voice.convene", caucus)
    named = request.POST.get("named") == "yes"
    caucus_support.support_card_name_set(caucus=caucus, named=named, by=request.user)
    if named:
        messages.success(request, _("The support card names you with the caucus."))
    else:
        messages.success(request, _("The support card no longer names you."))
    return redirect("voice:caucus_detail", pk=caucus.pk)


@never_cache
@public_page
def support_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone writes to the conveners of a caucus listed on the support card; who wrote is not kept."""
    caucus = caucus_support.card_caucus_for(pk=pk)
    form = SupportMessageForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid() and not _support_message_allowed(request):
        form.add_error(None, _("Too many messages were sent from here just now. Wait an hour and try again."))
    elif request.method == "POST" and form.is_valid():
        try:
            caucus_support.support_message_send(caucus=caucus, **form.cleaned_data)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            sent, form = True, SupportMessageForm()
    context = {"caucus": caucus, "form": form, "sent": sent}
    return render(request, "voice/support_message.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def caucus_minutes_write(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """A convener writes, or corrects, the minutes of a meeting held, sealed for the members."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    meeting = queries.caucus_meeting_for(user=request.user, caucus=caucus, pk=meeting_pk)
    key = sessions.require_unlocked(request)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                caucus_meetings.caucus_minutes_write(
                    meeting=meeting, minutes=form.cleaned_data["minutes"], by=request.user
                )
            except InvalidInput as exc:
                exc.apply_to(form)
            else:
                messages.success(request, _("The minutes are saved, sealed for the caucus's members."))
                return redirect("voice:caucus_detail", pk=caucus.pk)
    else:
        form = MinutesForm(
            initial={"minutes": caucus_meetings.caucus_minutes_open(meeting=meeting, by=request.user, key=key)}
        )
    context = {"caucus": caucus, "meeting": meeting, "form": form}
    return render(request, "voice/caucus_minutes.html", context, status=400 if form.errors else 200)


def _saved_name(name: str) -> str:
    """The sealed file name, safe to offer for saving: no control characters, no path, no quotes."""
    printable = "".join(character for character in name if character.isprintable())
    return UNSAFE_IN_FILE_NAMES.sub("_", printable).strip(" .")[:150] or "file"


@never_cache
@require_GET
@login_required
def caucus_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """One file of the space, decrypted as it streams, to be saved rather than shown; each open is on the ledger."""
    caucus = queries.caucus_for(user=request.user, pk=pk)
    item = queries.caucus_file_for(user=request.user, caucus=caucus, pk=file_pk)
    opened = caucus_files.caucus_file_open(item=item, by=request.user, key=sessions.require_unlocked(request))
    content_type = opened.content_type or "application/octet-stream"
    if content_type == "text/plain":
        content_type += "; charset=utf-8"
    response = StreamingHttpResponse(opened.chunks, content_type=content_type)
    response["Content-Length"] = str(opened.size)
    response["Content-Disposition"] = content_disposition_header(True, _saved_name(opened.name)) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def caucus_sign(request: HttpRequest, pk: int) -> HttpResponse:
    caucus = queries.caucus_for(user=request.user, pk=pk)
    actions.founding_sign(caucus=caucus, by=request.user)
    caucus.refresh_from_db()
    if caucus.formed:
        messages.success(request, _("You signed. The caucus is formed."))
    else:
        messages.success(request, _("You signed. The caucus forms once enough founders have signed."))
    return redirect("voice:caucus_detail", pk=caucus.pk)


@require_POST
@login_required
def caucus_join(request: HttpRequest, pk: int) -> HttpResponse:
    caucus = queries.caucus_for(user=request.user, pk=pk)
    actions.caucus_join(caucus=caucus, by=request.user)
    if caucus.join_rule == JoinRule.OPEN:
        messages.success(request, _("You joined the caucus."))
    else:
        messages.success(request, _("You asked to join. A convener of the caucus will answer."))
    return redirect("voice:caucus_detail", pk=caucus.pk)


@require_POST
@login_required
def caucus_leave(request: HttpRequest, pk: int) -> HttpResponse:
    caucus = queries.caucus_for(user=request.user, pk=pk)
    actions.caucus_leave(caucus=caucus, by=request.user)
    messages.success(request, _("You left the caucus. Its posts are no longer open to you."))
    return redirect("voice:index")


@require_POST
@login_required
def join_approve(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    caucus = queries.caucus_for(user=request.user, pk=pk)
    member = queries.join_request_for(user=request.user, caucus=caucus, pk=member_pk)
    actions.join_approve(member=member, by=request.user, key=sessions.require_unlocked(request))
    messages.success(request, _("%(name)s is a member of the caucus now.") % {"name": member.person.name})
    return redirect("voice:caucus_detail", pk=caucus.pk)


@login_required
def concern_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.raise_concern")
    form = ConcernForm(request.POST or None, bodies=queries.bodies_to_ask())
    if request.method == "POST" and form.is_valid():
        try:
            concern = actions.concern_raise(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("Your concern was sent. The body must answer it in time."))
            return redirect("voice:concern_detail", reference=concern.reference)
    return render(request, "voice/concern_new.html", {"form": form}, status=400 if form.errors else 200)


def _concern_page(
    request: HttpRequest,
    concern: Concern,
    *,
    form: AnswerForm | None = None,
    petition_form: ConcernPetitionForm | None = None,
) -> HttpResponse:
    context = {
        "concern": concern,
        "author": queries.author_shown(user=request.user, concern=concern),
        "supporters": queries.supporters(concern=concern),
        "may_answer": policy.allows(request.user, "voice.answer_concern", concern),
        "may_close": policy.allows(request.user, "voice.close_concern", concern) and concern.answered_at is not None,
        "may_support": policy.allows(request.user, "voice.support_concern", concern),
        "form": form or AnswerForm(initial={"answer": concern.answer}),
        "may_petition": policy.allows(request.user, "voice.petition_concern", concern),
        "petition_form": petition_form or ConcernPetitionForm(),
        "petition": Petition.objects.filter(from_concern=concern).first(),
    }
    failed = form is not None or petition_form is not None
    return render(request, "voice/concern_detail.html", context, status=400 if failed else 200)


@login_required
def concern_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The concern, its answer and who added their name; for the body, the form to answer."""
    concern = queries.concern_for(user=request.user, reference=reference)
    if request.method != "POST":
        return _concern_page(request, concern)
    policy.require(request.user, "voice.answer_concern", concern)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.concern_answer(concern=concern, answer=form.cleaned_data["answer"], by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("The answer is published with the concern."))
            return redirect("voice:concern_detail", reference=concern.reference)
    return _concern_page(request, concern, form=form)


def _one_step(
    request: HttpRequest, step: Callable[[], object], done: str, on: Concern | Petition, page: str
) -> HttpResponse:
    """Take a one-button step, say how it went, and go back to the page of what it was taken on."""
    try:
        step()
    except (Conflict, InvalidInput) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(page, reference=on.reference)


@require_POST
@login_required
def concern_petition(request: HttpRequest, reference: str) -> HttpResponse:
    """The author makes the concern a petition; the names added to it count as signatures."""
    concern = queries.concern_for(user=request.user, reference=reference)
    policy.require(request.user, "voice.petition_concern", concern)
    form = ConcernPetitionForm(request.POST)
    if form.is_valid():
        try:
            petition = actions.petition_from_concern(concern=concern, aim=form.cleaned_data["aim"], by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(
                request, _("The concern is a petition now. You signed it, and the names added to it count.")
            )
            return redirect("voice:petition_detail", reference=petition.reference)
    return _concern_page(request, concern, petition_form=form)


@require_POST
@login_required
def concern_close(request: HttpRequest, reference: str) -> HttpResponse:
    concern = queries.concern_for(user=request.user, reference=reference)
    return _one_step(
        request,
        lambda: actions.concern_close(concern=concern, by=request.user),
        _("The concern is closed."),
        concern,
        "voice:concern_detail",
    )


@require_POST
@login_required
def concern_support(request: HttpRequest, reference: str) -> HttpResponse:
    concern = queries.concern_for(user=request.user, reference=reference)
    return _one_step(
        request,
        lambda: actions.concern_support(concern=concern, by=request.user),
        _("Your name is on the concern."),
        concern,
        "voice:concern_detail",
    )


@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "voice.start_petition")
    form = PetitionForm(request.POST or None, bodies=queries.bodies_to_ask())
    if request.method == "POST" and form.is_valid():
        try:
            petition = actions.petition_start(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            exc.apply_to(form)
        else:
            messages.success(request, _("You started the petition and signed it. Ask the members to sign."))
            return redirect("voice:petition_detail", reference=petition.reference)
    context = {"form": form, "share": actions.voice_rules()["petition_share"]}
    return render(request, "voice/petition_new.html", context, status=400 if form.errors else 200)


@login_required
def petition_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The petition, how many signed of how many it needs, who signed, and where it went once carried."""
    petition = queries.petition_for(user=request.user, reference=reference)
    signed, needed = actions.petition_count(petition=petition)
    has_signed = queries.has_signed(user=request.user, petition=petition)
    context = {
        "petition": petition,
        "signed": signed,
        "needed": needed,
        "signers": queries.signers(petition=petition),
        "has_signed": has_signed,
        "may_sign": not has_signed and policy.allows(request.user, "voice.sign_petition", petition),
        "may_withdraw": has_signed and petition.reached_at is None,
    }
    return render(request, "voice/petition_detail.html", context)


@require_POST
@login_required
def petition_sign(request: HttpRequest, reference: str) -> HttpResponse:
    petition = queries.petition_for(user=request.user, reference=reference)
    return _one_step(
        request,
        lambda: actions.petition_sign(petition=petition, by=request.user),
        _("You signed the petition."),
        petition,
        "voice:petition_detail",
    )


@require_POST
@login_required
def petition_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    petition = queries.petition_for(user=request.user, reference=reference)
    return _one_step(
        request,
        lambda: actions.petition_withdraw(petition=petition, by=request.user),
        _("Your signature is withdrawn."),
        petition,
        "voice:petition_detail",
    )
