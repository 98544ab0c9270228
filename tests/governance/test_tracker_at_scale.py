"""The tracker at scale: its query count does not grow with the mandates or the bodies, its filter offers the bodies
that have a mandate the viewer sees (not every branch of the organization), and its rows say the same as before they
were prepared in the view."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rankfile.governance import mandates as mandate_actions
from rankfile.governance.models import Mandate, MandateStatus, ProgressUpdate
from rankfile.ledger.actions import OPERATOR
from rankfile.org.models import Body
from tests.governance.builders import login, mandate, organization, person_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STATUSES = [MandateStatus.NOT_STARTED, MandateStatus.IN_PROGRESS, MandateStatus.DONE, MandateStatus.RESCINDED]


@pytest.fixture
def org():
    return organization()


def more_bodies(count: int, *, start: int) -> list[Body]:
    """Branches written straight to the table, as an organization of many has them."""
    return Body.objects.bulk_create(
        Body(name=f"Branch {start + n}", slug=f"branch-{start + n}", kind="branch") for n in range(count)
    )


def more_mandates(first: Mandate, count: int, *, bodies: list[Body]) -> None:
    """Copies of ``first`` spread over ``bodies``, in every status, half public, written straight to the table."""
    fields = {f.attname: getattr(first, f.attname) for f in Mandate._meta.concrete_fields if not f.primary_key}
    start = Mandate.objects.count()
    planned = []
    for n in range(count):
        status = STATUSES[n % len(STATUSES)]
        due_on = TODAY + timedelta(days=n - count // 2)
        planned.append(
            Mandate(
                **{
                    **fields,
                    "reference": f"{first.reference}-{start + n}",
                    "responsible_body_id": bodies[n % len(bodies)].pk,
                    "visibility": "public" if n % 2 else "members",
                    "status": status,
                    "due_on": due_on,
                    "done_on": due_on + timedelta(days=n % 3) if status == MandateStatus.DONE else None,
                    "percent": 40 if status == MandateStatus.IN_PROGRESS else None,
                }
            )
        )
    Mandate.objects.bulk_create(planned)


def queries_of(client, path: str) -> tuple[int, int, str]:
    """The queries of a view of ``path``, the templates it rendered (Django's select renders one per option) and
    the page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.templates), response.content.decode()


def test_the_tracker_asks_as_many_questions_for_many_mandates_on_many_bodies_as_for_a_few(client, org, member):
    first = mandate(org)
    ally = login("Al Ally")  # signed in, not a member: sees the public ones and those of the bodies he sits on
    person_for(member)
    viewers = {"member": member, "ally": ally, "anyone": None}
    paths = {"member": "/mandates/", "ally": "/mandates/", "anyone": "/public/mandates/"}
    more_mandates(first, 3, bodies=[org.national, org.steering])

    def counts() -> dict[str, tuple[int, ...]]:
        found: dict[str, tuple[int, ...]] = {}
        for name, user in viewers.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            client.get(paths[name])
            first = queries_of(client, paths[name])
            found[name] = (first[0], first[1], queries_of(client, paths[name] + "?page=2")[0])
        return found

    few = counts()
    more_mandates(first, 240, bodies=more_bodies(40, start=1))
    more_bodies(60, start=100)  # bodies with no mandate
    assert counts() == few
    client.force_login(member)
    *_, page = queries_of(client, "/mandates/?page=2")
    assert page.count('<tr class="mandate-overdue">') + page.count("<tr>\n") == 50 + 1  # fifty rows, and the head's
    assert "Page 2 of 5" in page


def test_the_filter_offers_the_bodies_responsible_for_a_mandate_the_viewer_sees(client, org, member):
    mandate(org, responsible=org.national, visibility="public")
    mandate(org, responsible=org.steering, visibility="members")
    person_for(member)
    client.force_login(member)
    page = client.get("/mandates/").content.decode()
    assert f'<option value="{org.national.slug}">' in page
    assert f'<option value="{org.steering.slug}">' in page
    assert f'<option value="{org.oversight.slug}">' not in page  # responsible for nothing
    public = client.get("/public/mandates/").content.decode()
    assert f'<option value="{org.national.slug}">' in public
    assert f'<option value="{org.steering.slug}">' not in public  # its only mandate is for members
    # A body the address names is offered, chosen, even when it has none: the filter says so rather than an error.
    asked = client.get("/mandates/", {"body": org.oversight.slug}).content.decode()
    assert f'<option value="{org.oversight.slug}" selected>Oversight Commission</option>' in asked
    assert "No mandate matches." in asked
    assert "Select a valid choice" not in asked
    assert "Select a valid choice" in client.get("/mandates/", {"body": "no-such-body"}).content.decode()


def test_a_row_says_its_status_in_words_the_share_done_while_open_and_a_late_completion(client, org, member):
    started = mandate(org, days=30, visibility="public")
    mandate_actions.progress_post(mandate=started, status="in_progress", percent=40, text="Begun.", by=OPERATOR)
    late = mandate(org, adopted_days_ago=20, days=10)
    mandate_actions.progress_post(mandate=late, status="done", delivered="Published.", by=OPERATOR)
    person_for(member)
    client.force_login(member)
    page = client.get("/mandates/").content.decode()
    assert f'<a href="/mandates/{started.reference}/">Publish an apology</a>' in page
    assert "in progress (40%)" in page
    assert f"{late.reference} · members only" in page
    assert f"{started.reference} · members only" not in page
    done_on = f"{TODAY.day} {TODAY:%B} {TODAY.year}"
    assert f'<span class="muted">done on {done_on}, late</span>' in page
    assert "done (100%)" not in page
    public = client.get("/public/mandates/").content.decode()
    assert f'<a href="/public/mandates/{started.reference}/">Publish an apology</a>' in public
    assert late.reference not in public


def test_a_mandates_page_reads_its_terms_updates_and_timers_once_however_many_there_are(client, org, member):
    adopted = mandate(org, days=30)
    mandate_actions.progress_post(mandate=adopted, status="in_progress", percent=10, text="Begun.", by=OPERATOR)
    person_for(member)
    client.force_login(member)
    path = f"/mandates/{adopted.reference}/"
    client.get(path)

    def reads() -> tuple[int, dict[str, int], str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(path).content.decode()
        tables = ("governance_mandateterms", "governance_progressupdate", "deadlines_deadline")
        sql = [query["sql"] for query in captured.captured_queries]
        each = {table: sum(f'FROM "{table}" ' in text for text in sql) for table in tables}
        return len(captured.captured_queries), each, page

    few, each, _ = reads()
    assert each == {"governance_mandateterms": 1, "governance_progressupdate": 1, "deadlines_deadline": 1}
    ProgressUpdate.objects.bulk_create(  # straight to the table: eight more
        ProgressUpdate(mandate=adopted, number=n, status="in_progress", percent=n * 10, text="On.", posted_on=TODAY)
        for n in range(2, 10)
    )
    more, each, page = reads()
    assert (more, each["governance_progressupdate"]) == (few, 1)
    assert page.count("On.") == 8
    assert "Due at" in page  # the timer, from the same read as the history
