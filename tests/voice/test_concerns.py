"""Concerns: raised to a body, signed or anonymous to it; answered on a timer that alerts the oversight body when it
passes; closed only once answered; "me too" names; private ones for the author, the body and the oversight body."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rankfile.deadlines import actions as deadlines
from rankfile.deadlines.models import Deadline
from rankfile.errors import Conflict, InvalidInput, NotAllowed
from rankfile.ledger.models import Entry
from rankfile.voice import actions, queries
from rankfile.voice.models import Concern
from rankfile.voice.waiting import waiting_for
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db


def raise_one(org, *, by="rae", anonymous=False, private=False, title="Where did the conference money go?"):
    return actions.concern_raise(
        body=org.steering,
        title=title,
        text="The accounts show a gap.",
        anonymous=anonymous,
        private=private,
        by=org[by].user,
    )


def test_a_concern_gets_a_timer_and_the_body_is_asked_until_it_answers():
    org = cb.full_organization()
    concern = raise_one(org)
    deadline = Deadline.objects.get(kind="voice.answer_concern", subject_id=concern.pk)
    assert deadline.body == org.steering
    assert deadline.due_at == concern.due_at
    assert concern.due_at - concern.raised_at == timedelta(days=14)  # the bylaws' default
    assert [str(item.what) for item in waiting_for(user=org["lee"].user)] == ["Answer a member's concern"]
    home = signed_in(org["lee"].user, org["lee"].key).get("/").content.decode()
    assert "Answer a member&#x27;s concern" in home or "Answer a member's concern" in home
    assert waiting_for(user=org["dora"].user) == []  # not on the steering committee
    actions.concern_answer(concern=concern, answer="Here are the accounts.", by=org["lee"].user)
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    assert waiting_for(user=org["lee"].user) == []


def test_an_unanswered_concern_escalates_to_the_oversight_body():
    org = cb.full_organization()
    concern = raise_one(org)
    deadline = Deadline.objects.get(kind="voice.answer_concern", subject_id=concern.pk)
    assert deadline.pk in deadlines.tick(now=concern.due_at - timedelta(days=1)).reminded
    assert deadline.pk in deadlines.tick(now=concern.due_at + timedelta(hours=1)).missed
    deadline.refresh_from_db()
    assert deadline.missed_at is not None
    assert deadline.reminded_at is not None


def test_a_concern_cannot_be_closed_without_an_answer():
    org = cb.full_organization()
    concern = raise_one(org)
    with pytest.raises(Conflict):
        actions.concern_close(concern=concern, by=org["rae"].user)
    actions.concern_answer(concern=concern, answer="Answered.", by=org["lee"].user)
    actions.concern_close(concern=concern, by=org["rae"].user)
    concern.refresh_from_db()
    assert concern.closed_at is not None


def test_only_the_body_answers_and_only_author_or_body_close():
    org = cb.full_organization()
    concern = raise_one(org)
    for outsider in ("dora", "olu", "rae"):
        with pytest.raises(NotAllowed):
            actions.concern_answer(concern=concern, answer="Not mine to answer.", by=org[outsider].user)
    actions.concern_answer(concern=concern, answer="Answered.", by=org["lee"].user)
    with pytest.raises(NotAllowed):
        actions.concern_close(concern=concern, by=org["dora"].user)


def test_an_anonymous_concern_hides_its_author_from_the_body_but_not_from_oversight():
    org = cb.full_organization()
    concern = raise_one(org, anonymous=True)
    assert queries.author_shown(user=org["lee"].user, concern=concern) == ""
    assert queries.author_shown(user=org["dora"].user, concern=concern) == ""
    assert queries.author_shown(user=org["olu"].user, concern=concern) == "Rae Reporter"
    assert queries.author_shown(user=org["rae"].user, concern=concern) == "Rae Reporter"
    page = signed_in(org["lee"].user, org["lee"].key).get(f"/voice/concerns/{concern.reference}/").content.decode()
    assert "Rae Reporter" not in page
    assert "Raised by a member" in page
    raised = Entry.objects.get(action="voice.concern_raised")
    assert raised.actor_type == "system"


def test_a_private_concern_looks_missing_to_other_members():
    org = cb.full_organization()
    concern = raise_one(org, private=True)
    for reader in ("rae", "lee", "olu"):
        assert queries.concern_for(user=org[reader].user, reference=concern.reference) == concern
    with pytest.raises(NotAllowed):
        queries.concern_for(user=org["dora"].user, reference=concern.reference)
    with pytest.raises(NotAllowed):
        actions.concern_support(concern=concern, by=org["dora"].user)
    client = signed_in(org["dora"].user, org["dora"].key)
    real = client.get(f"/voice/concerns/{concern.reference}/")
    made_up = client.get("/voice/concerns/CN-1999-9/")
    assert real.status_code == made_up.status_code == 404
    assert client.post(f"/voice/concerns/{concern.reference}/support/").status_code == 404
    assert concern.supporters.count() == 0


def test_members_add_their_names_once_and_the_author_does_not():
    org = cb.full_organization()
    concern = raise_one(org)
    actions.concern_support(concern=concern, by=org["dora"].user)
    actions.concern_support(concern=concern, by=org["sam"].user)
    with pytest.raises(Conflict):
        actions.concern_support(concern=concern, by=org["sam"].user)
    with pytest.raises(NotAllowed):
        actions.concern_support(concern=concern, by=org["rae"].user)
    assert queries.supporters(concern=concern) == ["Dora Discipline", "Sam Support"]


def test_a_member_raises_at_most_the_bylaws_number_of_concerns_a_day():
    org = cb.full_organization()
    for n in range(5):
        raise_one(org, title=f"Concern {n}")
    with pytest.raises(InvalidInput) as refused:
        raise_one(org, title="One too many")
    assert refused.value.code == "rate_limited"
    raise_one(org, by="sam")  # another member is not held back


def test_raising_a_concern_through_the_page():
    org = cb.full_organization()
    client = signed_in(org["rae"].user, org["rae"].key)
    answer = client.post(
        "/voice/concerns/new/",
        {"body": org.steering.pk, "title": "Staff hiring", "text": "Who decided?", "anonymous": "on"},
    )
    assert answer.status_code == 302
    concern = Concern.objects.get(body=org.steering)
    assert concern.anonymous
    assert not concern.private
    assert answer["Location"] == f"/voice/concerns/{concern.reference}/"
    assert concern.due_at > timezone.now()


def test_the_author_never_answers_their_own_concern_and_a_body_with_officers_answers_through_them():
    """Whoever sits on the body answers for it while it has no officers; once it has a chair, the chair (or vice
    chair, or secretary) does. The author, even sitting on the body, never does: answering would close the timer."""
    from datetime import date

    from rankfile.ledger.actions import OPERATOR
    from rankfile.org import actions as org_actions
    from rankfile.org.models import SeatBasis, SeatRole
    from tests.cases.builders import seat

    org = cb.full_organization()
    seat(org["dora"], org.steering)
    own = raise_one(org, by="dora")
    with pytest.raises(NotAllowed):
        actions.concern_answer(concern=own, answer="All is well.", by=org["dora"].user)
    org_actions.person_seat(
        person=org["sam"].person,
        body=org.steering,
        basis=SeatBasis.ELECTED,
        role=SeatRole.CHAIR,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    with pytest.raises(NotAllowed):
        actions.concern_answer(concern=own, answer="Not the chair.", by=org["lee"].user)
    actions.concern_answer(concern=own, answer="The chair answers.", by=org["sam"].user)


def test_a_concern_or_petition_goes_to_any_body_sitting_today_whatever_seats_ended_and_to_the_convention():
    from datetime import date

    from rankfile.ledger.actions import OPERATOR
    from rankfile.org import actions as org_actions
    from rankfile.org.models import Seat, SeatBasis, SeatEndReason, SeatRole

    org = cb.full_organization()
    past = org_actions.person_seat(
        person=org["dora"].person,
        body=org.steering,
        basis=SeatBasis.ELECTED,
        role=SeatRole.MEMBER,
        starts_on=date(2020, 1, 1),
        by=OPERATOR,
    )
    Seat.objects.filter(pk=past.pk).update(ends_on=date(2021, 1, 1), end_reason=SeatEndReason.TERM_OVER)
    offered = set(queries.bodies_to_ask())
    assert org.steering in offered  # Lee still sits on it, though Dora's seat ended
    assert org.convention in offered
