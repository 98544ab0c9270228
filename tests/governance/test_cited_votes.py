"""Records that cite a vote by its reference (a version of the bylaws, the terms of a mandate) name it in words: the
motion's title, the meeting and the day, with a link to the motion on the meeting's page; never the code alone."""

from datetime import date

import pytest
from django.utils.formats import date_format

from rankfile.governance import actions
from rankfile.ledger.actions import OPERATOR
from rankfile.org import actions as org_actions
from rankfile.org import bylaws, hooks
from tests.governance.builders import DAY, login, organization, person_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organization()


@pytest.fixture
def bylaws_vote(org):
    held = actions.meeting_create(bodies=[org.convention], held_on=DAY, title="Convention 2026", by=OPERATOR)
    actions.attendance_record(meeting=held, present=org.delegates, by=OPERATOR)
    motion = actions.motion_make(
        meeting=held,
        text="That the bylaws are **amended** as printed.\n\nThe text follows.",
        mover=org.delegates[0],
        by=OPERATOR,
    )
    return actions.vote_record(motion=motion, method="unanimous", by=OPERATOR)


def adopt_bylaws(vote_reference: str) -> None:
    org_actions.bylaws_adopt(
        document=bylaws.defaults(), effective_from=date(2026, 4, 1), adopted_by_vote=vote_reference, by=OPERATOR
    )


def test_the_bylaws_page_names_the_adopting_vote_in_words_with_a_link(client, bylaws_vote, member):
    person_for(member)
    adopt_bylaws(bylaws_vote.reference)
    client.force_login(member)
    meeting = bylaws_vote.motion.meeting
    link = f'<a href="/meetings/{meeting.reference}/#motion-{bylaws_vote.motion.number}">'
    for address in ("/org/bylaws/", "/org/bylaws/1/"):
        page = client.get(address).content.decode()
        said = f"{link}“That the bylaws are amended as printed.”</a> (a vote at Convention 2026, {date_format(DAY)})"
        assert said in page
        assert f"Adopted by: {bylaws_vote.reference}" not in page


def test_a_reference_in_lower_case_or_with_spaces_still_names_the_vote(bylaws_vote, member):
    person_for(member)
    cited = hooks.cited_vote(f"  {bylaws_vote.reference.lower()} ", member)
    assert cited is not None
    assert (cited.motion, cited.meeting, cited.taken_on) == (
        "That the bylaws are amended as printed.",
        "Convention 2026",
        DAY,
    )


def test_someone_who_may_not_see_meetings_is_told_nothing_of_the_vote(bylaws_vote):
    assert hooks.cited_vote(bylaws_vote.reference, login("Al Ally")) is None


def test_text_that_names_no_recorded_vote_is_shown_as_given(client, member, org):
    person_for(member)
    adopt_bylaws("Convention 2020, motion 3 (carried 141-12-5)")
    client.force_login(member)
    page = client.get("/org/bylaws/").content.decode()
    assert "Adopted by: Convention 2020, motion 3 (carried 141-12-5)." in page
