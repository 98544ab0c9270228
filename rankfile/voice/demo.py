"""Members' voice in the demo organization: what the members organized and said since the last convention.

A survivors' caucus, formed by its three founders signing, listed on the support card of the reporting pages with Mo
Member named as a convener, with a post, a file and a meeting in its sealed space, and a statement to the members; an
open caucus about housing; two concerns to the steering committee, one answered and one still waiting (due in a few
days); a petition that reached its threshold and was placed on the steering committee's next meeting (the joint
meeting to come), and another that asked for a meeting of all members, called for next month with it on its agenda;
the discussion bulletin, whose editors the convention's bylaws name, with a published issue and a contribution
waiting for review; and the convention's public apology, adopted by a carried vote of the convention.

Everything goes through the voice actions, so it is all on the ledger; dates count from the day the demo is built
(after the convention, a hundred days ago, amended the bylaws)."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from rankfile import policy
from rankfile.governance import demo as governance_demo
from rankfile.governance.models import Visibility, Vote
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import queries as org_queries
from rankfile.org.models import Body, Person
from rankfile.vault import keys
from rankfile.voice import (
    actions,
    bulletin,
    caucus_files,
    caucus_meetings,
    caucus_support,
    members_meetings,
    statements,
)
from rankfile.voice.models import JoinRule, Petition, PetitionAim, StatementKind

SURVIVORS_CAUCUS = "Survivors' Caucus"
HOUSING_CAUCUS = "Housing Caucus"
EDITORS = "Bulletin Editorial Board"
CONCERN_ANSWER_DAYS = 5  # the convention's bylaws: a body answers a concern within five days
PETITION_SHARE = 0.05  # and a petition carries with the signatures of one member in twenty
APOLOGY_MOTION = "an apology to the members and to the survivors"  # words of the convention's motion


def load(passwords: dict[str, str], *, today: date | None = None) -> None:
    """Build members' voice as it stands on ``today`` (the clock's day unless given). ``passwords``, by email, are
    the printed logins' (Mo Member's opens his key to post in the survivors' caucus's space)."""
    today = today or timezone.localdate()
    convention_day = today - timedelta(days=governance_demo.DAYS_AGO)
    bodies = {body.slug: body for body in Body.objects.all()}
    people = {person.name: person for person in Person.objects.filter(user__isnull=False).select_related("user")}
    mo, rae, lee = people["Mo Member"], people["Rae Reporter"], people["Lee Leader"]
    mo_key = keys.person_key_unlock(user=mo.user, password=passwords["member@example.org"])
    assert mo_key is not None

    _amend_the_bylaws(mo, convention_day)

    # The survivors' caucus: Mo proposes it, two survivors who reported sign; it forms and goes on the support card.
    survivors = actions.caucus_propose(
        name=SURVIVORS_CAUCUS,
        purpose="Support for members who have experienced harassment or violence, and a voice for them in the "
        "Federation.",
        founding_statement="We found this caucus so that no survivor in the Federation stands alone: we listen, we "
        "accompany one another through the process, and we hold the leadership to its promises.",
        join_rule=JoinRule.APPROVAL,
        listed=True,
        founders=[people["Tess Albright"], people["Uma Castell"]],
        by=mo.user,
    )
    for name in ("Tess Albright", "Uma Castell"):
        actions.founding_sign(caucus=survivors, by=people[name].user)
    survivors.refresh_from_db()
    caucus_support.caucus_support_card_set(caucus=survivors, listed=True, by=mo.user)
    caucus_support.support_card_name_set(caucus=survivors, named=True, by=mo.user)
    actions.caucus_post(
        caucus=survivors,
        text="Welcome, all. Our first meeting is below; bring what you want the caucus to ask of the leadership.",
        by=mo.user,
        key=mo_key,
    )
    caucus_files.caucus_file_add(
        caucus=survivors,
        upload=ContentFile(
            b"What to expect when you report\n\n1. You choose how to report.\n2. A panel is seated.\n"
            b"3. You may bring a support person to every meeting.\n",
            name="what-to-expect.txt",
        ),
        by=mo.user,
        key=mo_key,
    )
    caucus_meetings.caucus_meeting_schedule(
        caucus=survivors,
        held_on=today + timedelta(days=10),
        agenda="At 19:00, online (the link is in the caucus's space). 1. Introductions. 2. What we ask of the "
        "steering committee about the apology. 3. Accompanying members through the process.",
        by=mo.user,
    )
    statements.caucus_statement_publish(
        caucus=survivors,
        kind=StatementKind.STATEMENT,
        visibility=Visibility.MEMBERS,
        title="The survivors' caucus is here",
        text="Members who have experienced harassment or violence in the Federation have formed a caucus. Any member "
        "may ask to join; a convener will answer. You can also write to its conveners from the support card, "
        "without giving your name.",
        by=mo.user,
    )

    # An open caucus about housing: any member in good standing may join.
    housing = actions.caucus_propose(
        name=HOUSING_CAUCUS,
        purpose="Members organizing around rents, repairs and evictions, in every branch.",
        founding_statement="We found this caucus to share what works against bad landlords.",
        join_rule=JoinRule.OPEN,
        listed=True,
        founders=[people["Otto Overton"], people["Pat Panelist"]],
        by=lee.user,
    )
    for name in ("Otto Overton", "Pat Panelist"):
        actions.founding_sign(caucus=housing, by=people[name].user)

    # Two concerns to the steering committee: one it answered, one still waiting.
    steering = bodies["steering-committee"]
    answered = actions.concern_raise(
        body=steering,
        title="Branch meetings in accessible rooms",
        text="Two branches still meet up a flight of stairs. Will the steering committee fund accessible rooms?",
        anonymous=False,
        private=False,
        by=mo.user,
    )
    actions.concern_answer(
        concern=answered,
        answer="Yes: from next month the Federation pays for an accessible room for every branch that needs one.",
        by=lee.user,
    )
    actions.concern_raise(
        body=steering,
        title="When will the apology reach the branches?",
        text="The convention's apology has been published. When will it be read at every branch meeting?",
        anonymous=False,
        private=False,
        by=rae.user,
    )

    # Members in good standing with an account, who sign the petitions.
    signers = [person for person in people.values() if policy.allows(person.user, "voice.start_petition")]
    placed = actions.petition_start(
        body=steering,
        aim=PetitionAim.AGENDA_ITEM,
        title="Publish the steering committee's minutes within a week",
        text="We ask the steering committee to publish the minutes of each of its meetings to the members within a "
        "week of the meeting.",
        by=mo.user,
    )
    _sign_until_reached(placed, signers)
    meeting_asked = actions.petition_start(
        body=steering,
        aim=PetitionAim.SPECIAL_MEETING,
        title="A meeting of all members on housing",
        text="We ask for a meeting of all members on the housing crisis and what the Federation will do about it.",
        by=people["Uma Castell"].user,
    )
    _sign_until_reached(meeting_asked, signers)
    meeting_asked.refresh_from_db()
    members_meetings.members_meeting_call(
        body=steering,
        held_on=_next_month(today),
        title="Meeting of all members on housing",
        place="Riverside Union Hall",
        agenda="Opening, and the rules of the meeting.",
        petitions=[meeting_asked],
        by=OPERATOR,
    )

    # The bulletin: two contributions accepted and published in an issue, one waiting for the editors.
    for author, title, body in (
        (
            rae,
            "What the convention changed",
            "The convention adopted seven mandates. Here is where each of them stands, and how to follow them.",
        ),
        (
            people["Tess Albright"],
            "Reporting, from the inside",
            "I reported last year. This is what the process was like, and what I would tell a member thinking "
            "about it.",
        ),
    ):
        contribution = bulletin.contribution_submit(title=title, body=body, by=author.user)
        bulletin.contribution_accept(contribution=contribution, by=mo.user)
    bulletin.issue_publish(by=mo.user)
    bulletin.contribution_submit(
        title="Rents in Harbour",
        body="The housing caucus surveyed the Harbour branch: half of us pay more than a third of our wages in rent.",
        by=people["Otto Overton"].user,
    )

    # The convention's public apology, adopted by the convention's carried vote.
    convention = bodies["convention"]
    vote = Vote.objects.get(motion__meeting__bodies=convention, motion__text__contains=APOLOGY_MOTION)
    statements.statement_publish(
        body=convention,
        kind=StatementKind.APOLOGY,
        visibility=Visibility.PUBLIC,
        title="An apology to the members and to the survivors",
        text="The Federation's leadership failed members who reported sexual misconduct: reports went unanswered, "
        "and those who reported were left alone. We apologize to them and to every member. The convention has "
        "changed how reports are handled, and an independent commission will report on what went wrong.",
        vote_reference=vote.reference,
        by=OPERATOR,
    )


def _amend_the_bylaws(editor: Person, convention_day: date) -> None:
    """The convention amended the bylaws: a board edits the bulletin, concerns are answered within five days, and a
    petition carries with one member in twenty. The board has three members, Mo Member among them."""
    board = org_actions.body_create(name=EDITORS, slug="bulletin-editors", kind="committee", max_size=5, by=OPERATOR)
    others = [
        person
        for person in Person.objects.filter(user__isnull=True).order_by("pk")
        if org_queries.status_on(person=person, day=convention_day) == "active"
        and not org_queries.seats_on_any_body(person=person, day=convention_day).exclude(body__kind="branch").exists()
    ][:2]
    for person in [editor, *others]:
        org_actions.person_seat(
            person=person, body=board, basis="elected", starts_on=convention_day + timedelta(days=1), by=OPERATOR
        )
    document = org_queries.bylaws_document(day=convention_day)
    document["voice"].update(
        bulletin_editors=board.slug, concern_answer_days=CONCERN_ANSWER_DAYS, petition_share=PETITION_SHARE
    )
    org_actions.bylaws_adopt(
        document=document,
        effective_from=convention_day + timedelta(days=1),
        adopted_by_vote=f"Convention {convention_day.year}, the amended bylaws (carried 31-3-2)",
        by=OPERATOR,
    )


def _sign_until_reached(petition: Petition, signers: list[Person]) -> None:
    for person in signers:
        petition.refresh_from_db()
        if petition.reached_at is not None:
            return
        if not petition.signatures.filter(person=person).exists():
            actions.petition_sign(petition=petition, by=person.user)
    petition.refresh_from_db()
    assert petition.reached_at is not None, "too few members with an account to carry the demo's petition"


def _next_month(today: date) -> date:
    """The fifteenth of next month."""
    return (today.replace(day=1) + timedelta(days=32)).replace(day=15)
