from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase

from rankfile.accounts.models import User
from tests.totp import totp_code

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class LoadedDemo:
    printed: str  # what `rankfile demo` printed as it loaded
    logins_file: Path


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[LoadedDemo]:
    """`rankfile demo` run once into the empty database, with no name for the organization yet, for all the tests of
    a class: each test runs in a transaction of its own inside this one, and this one is rolled back after the last.
    What the demo does once its transaction commits (the email it sends) runs at the end of the load, as then."""
    logins_file = tmp_path_factory.mktemp("demo") / "demo-logins.txt"
    printed = StringIO()
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch, transaction.atomic():
        monkeypatch.delenv("RANKFILE_ORG_NAME", raising=False)
        settings.ORG_NAME_FILE.unlink(missing_ok=True)
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("demo", "--logins-file", str(logins_file), stdout=printed)
        yield LoadedDemo(printed=printed.getvalue(), logins_file=logins_file)
        transaction.set_rollback(True)


def printed_logins(printed: str) -> dict[str, tuple[str, str]]:
    """Each printed login: its email, and its password and two-factor secret ("" for none)."""
    logins: dict[str, tuple[str, str]] = {}
    email = ""
    for line in printed.split("Demo logins", 1)[1].splitlines():
        if "password:" in line:
            email = line.split()[0]
            logins[email] = (line.split("password:")[1].split()[0], "")
        elif "two-factor secret:" in line:
            logins[email] = (logins[email][0], line.split("two-factor secret:")[1].strip())
    return logins


def test_demo_leaves_a_database_with_accounts_alone(tmp_path, capsys, member):
    call_command("demo", "--logins-file", str(tmp_path / "logins.txt"))
    assert "no demo loaded" in capsys.readouterr().out
    assert User.objects.count() == 1


class TestTheLoadedDemo:
    def test_demo_loads_into_an_empty_database_and_prints_working_logins(self, loaded, client):
        # Every later process on this data directory (the server, the timers) shows the demo organization's name.
        assert settings.ORG_NAME_FILE.read_text(encoding="utf-8").strip() == "Riverside Workers' Federation"
        out = loaded.printed
        assert "admin@example.org" in out
        assert "member@example.org" in out
        line = next(line for line in out.splitlines() if "admin@example.org" in line)
        password = line.split("password:")[1].split()[0]
        response = client.post("/accounts/login/", {"login": "admin@example.org", "password": password})
        assert response.status_code == 302
        assert User.objects.get(email="admin@example.org").is_site_admin

    def test_every_printed_login_signs_in_with_its_second_factor(self, loaded):
        logins = printed_logins(loaded.printed)
        assert len(logins) == 15
        assert {"respondent@example.org", "oversight.second@example.org", "oversight.third@example.org"} <= set(logins)
        for email, (password, secret) in logins.items():
            browser = Client()
            signed_in = browser.post("/accounts/login/", {"login": email, "password": password})
            assert signed_in.status_code == 302, email
            if secret:
                assert signed_in["Location"] == "/accounts/2fa/authenticate/", email
                second = browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
                assert second.status_code == 302, email
            assert "Sign out" in browser.get("/").content.decode(), email

    def test_demo_prints_the_same_logins_again(self, loaded, capsys):
        first = loaded.printed
        call_command("demo", "--logins-file", str(loaded.logins_file))
        again = capsys.readouterr().out
        assert "Loading" in first
        assert "Loading" not in again
        assert first.split("Demo logins", 1)[1] == again.split("Demo logins", 1)[1]

    def test_demo_organization_has_its_bodies_people_and_seat_history(self, loaded):
        from django.utils import timezone

        from rankfile.ledger import queries as ledger_queries
        from rankfile.ledger import reconcile, verification
        from rankfile.org import queries
        from rankfile.org.models import Body, Person

        assert Person.objects.count() == 200 + 17  # the members, and the people of the demo cases
        kinds = sorted(Body.objects.values_list("kind", flat=True))
        assert kinds.count("branch") == 6
        assert kinds.count("caucus") == 2
        assert {"convention", "disciplinary", "appeals", "oversight", "leadership", "committee"} <= set(kinds)
        steering = Body.objects.get(slug="steering-committee")
        today = [(s.person.name, s.role) for s in queries.seats_on(body=steering, day=timezone.localdate())]
        assert ("Lee Leader", "chair") in today
        ten_years_ago = timezone.localdate() - timedelta(days=3653)
        assert queries.seats_on(body=steering, day=ten_years_ago).count() == 7
        respondent = Person.objects.get(name="Ray Respondent")
        recused = Person.objects.get(name="Quinn Recused")
        assert [s.body.slug for s in queries.shared_bodies(first=respondent, second=recused)] == ["branch-northside"]
        result, _ = verification.verify_all(verifier=ledger_queries.ledger_key()[0].verifier)
        assert result.ok
        assert result.size > 1000
        # Invariant 8: every record the demo made through the actions reconciles with the entry that made it.
        records = reconcile.reconcile()
        assert records.ok, [str(mismatch) for mismatch in records.mismatches]
        assert records.rows["cases_decision"] >= 1
        assert records.rows["governance_mandate"] >= 1

    def test_demo_has_a_case_at_every_stage_and_the_final_one_took_effect(self, loaded):
        from django.utils import timezone

        from rankfile.cases.models import Case, PanelStatus, Stage
        from rankfile.org import eligibility, queries
        from rankfile.org.models import Body, Person

        out = loaded.printed
        assert "investigator@example.org" in out
        assert "two-factor secret:" in out
        stages = set(Case.objects.values_list("stage", flat=True))
        assert {
            Stage.PANEL,
            Stage.RESPONSE,
            Stage.EVIDENCE_REVIEW,
            Stage.APPEAL_WINDOW,
            Stage.APPEAL,
            Stage.FINAL,
            Stage.AGREEMENT,
        } <= stages
        assert Case.objects.filter(kind="process").exists()
        first = Case.objects.get(stage=Stage.PANEL, kind="conduct")
        assert first.panel.get(person__name="Quinn Recused").status == PanelStatus.EXCLUDED
        expelled = Person.objects.get(name="Zeke Mallory")
        today = timezone.localdate()
        assert queries.status_on(person=expelled, day=today) == "expelled"
        assert not queries.seats_on_any_body(person=expelled, day=today + timedelta(days=1)).exists()
        steering = Body.objects.get(slug="steering-committee")
        assert not eligibility.check(expelled, steering, today).ok

    def test_demo_convention_by_election_refused_the_barred_man_and_seated_its_winner(self, loaded, client):
        from django.utils import timezone

        from rankfile.elections.models import Election, NominationStatus, SeatingOutcome
        from rankfile.org import eligibility, queries
        from rankfile.org.models import Person

        election = Election.objects.get(body__slug="steering-committee")
        zeke = election.nominations.get(nominee__name="Zeke Mallory")
        assert zeke.status == NominationStatus.REFUSED
        assert zeke.refusal_code in {eligibility.BARRED_FROM_OFFICE, eligibility.NOT_A_MEMBER_IN_GOOD_STANDING}
        assert election.result.rounds[0]["status"] == "excluded"
        (seating,) = election.seatings.all()
        assert seating.outcome == SeatingOutcome.SEATED
        winner = seating.nomination.nominee
        steering_today = queries.seats_on(body=election.body, day=timezone.localdate())
        assert winner in [seat.person for seat in steering_today]
        assert steering_today.count() == 9
        # A member reads the results: the winner, the rounds and the seat; nothing of the refusal.
        client.force_login(Person.objects.get(name="Mo Member").user)
        page = client.get(f"/elections/{election.reference}/results/").content.decode()
        assert f"{winner.name} was seated." in page
        assert "Round 2" in page
        assert "Zeke Mallory" not in page

    def test_demo_witness_statement_reads_as_a_statement_not_as_code(self, loaded):
        from rankfile.cases.models import Case, Stage
        from rankfile.vault import keys
        from tests.cases.helpers import signed_in

        line = next(line for line in loaded.printed.splitlines() if "investigator@example.org" in line)
        password = line.split("password:")[1].split()[0]
        investigator = User.objects.get(email="investigator@example.org")
        key = keys.person_key_unlock(user=investigator, password=password)
        assert key is not None
        case = Case.objects.get(stage=Stage.EVIDENCE_REVIEW)
        html = signed_in(investigator, key).get(f"/cases/case/{case.reference}/").content.decode()
        assert "<p>I saw the respondent follow the reporter out.</p>" in html
        assert "&quot;statement&quot;" not in html

    def test_demo_drafts_this_periods_transparency_report_with_no_small_number_shown(self, loaded):
        from django.utils import timezone

        from rankfile.ledger.actions import OPERATOR
        from rankfile.org.models import Body, Person
        from rankfile.transparency import actions
        from tests.cases.helpers import signed_in

        today = timezone.localdate()
        report = actions.report_draft(period=f"{today.year}H{1 if today.month <= 6 else 2}", by=OPERATOR)
        assert report.publisher == Body.objects.get(slug="oversight-commission")
        assert report.checkpoint_size > 0
        shown = []
        for section in report.figures["sections"].values():
            if section["kind"] == "grid":
                shown += [n for row in section["cells"] for n in row]
                shown += [*section["row_totals"], *section["column_totals"], section["total"]]
            elif section["kind"] == "counts":
                shown += [item["count"] for item in section["items"]] + [section["total"]]
        assert not [n for n in shown if isinstance(n, int) and 0 < n < 5]  # None: "fewer than 5"; "hidden": not shown
        total = report.figures["sections"]["received"]["total"]
        assert not isinstance(total, int) or total >= 5
        oversight = Person.objects.filter(seats__body=report.publisher, user__isnull=False).first()
        assert oversight is not None
        page = signed_in(oversight.user).get(f"/transparency/{report.pk}/")
        assert page.status_code == 200
        assert "Reports received" in page.content.decode()

    def test_the_oversight_commissions_chair_signs_in_and_reaches_publishing_the_transparency_report(self, loaded):
        from rankfile.transparency.models import TransparencyReport

        line = next(line for line in loaded.printed.splitlines() if line.strip().startswith("oversight@example.org"))
        assert "chair of the oversight commission" in line
        password, secret = printed_logins(loaded.printed)["oversight@example.org"]
        chair = Client()
        chair.post("/accounts/login/", {"login": "oversight@example.org", "password": password})
        assert chair.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
        listed = chair.get("/transparency/").content.decode()
        period = listed.split('<option value="', 1)[1].split('"', 1)[0]  # the newest period offered
        assert chair.post("/transparency/", {"period": period}).status_code == 302
        report = TransparencyReport.objects.get(period=period)
        assert "Publish it by a vote" in chair.get(f"/transparency/{report.pk}/").content.decode()
        publishing = chair.get(f"/transparency/{report.pk}/publish/")
        assert publishing.status_code == 200
        page = publishing.content.decode()
        assert "Oversight Commission has no carried vote since this draft was made." in page
        assert 'href="/meetings/new/"' in page
        recording = chair.get("/meetings/new/").content.decode()
        assert "Oversight Commission" in recording  # she records the commission's meeting and its vote

    def test_the_elections_committees_chair_signs_in_and_runs_an_election_in_its_nomination_period(self, loaded):
        from rankfile.elections.models import Election
        from rankfile.org.models import Person

        line = next(line for line in loaded.printed.splitlines() if "chair of the Elections Committee" in line)
        email = line.split()[0]
        chair = Person.objects.get(user__email=email)  # the account is hers on the membership list
        assert chair.seats.filter(body__slug="elections-committee", role="chair").exists()
        password, secret = printed_logins(loaded.printed)[email]
        assert secret
        browser = Client()
        assert browser.post("/accounts/login/", {"login": email, "password": password})["Location"] == (
            "/accounts/2fa/authenticate/"
        )
        assert browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
        election = Election.objects.get(body__slug="appeals-committee")
        assert election.run_by.slug == "elections-committee"
        assert election.reference in browser.get("/elections/").content.decode()
        page = browser.get(f"/elections/{election.reference}/").content.decode()
        assert "For the body that runs the election" in page
        assert "Nominate" in page  # nominations are open

    def test_demo_has_members_voice_on_the_ledger(self, loaded, capsys):
        from django.utils import timezone

        from rankfile.governance import queries as governance_queries
        from rankfile.org import queries as org_queries
        from rankfile.org.models import Body, Person
        from rankfile.voice import caucus_support
        from rankfile.voice.bulletin_models import BulletinIssue, Contribution, ContributionStatus
        from rankfile.voice.models import Caucus, JoinRule, MembersMeeting, Statement
        from tests.cases.helpers import signed_in

        today = timezone.localdate()
        survivors = Caucus.objects.get(name="Survivors' Caucus")
        assert survivors.formed_at is not None
        assert survivors.members.filter(status="active").count() == 3
        assert caucus_support.named_conveners(survivors) == ("Mo Member",)
        assert (survivors.posts.count(), survivors.files.count(), survivors.meetings.count()) == (1, 1, 1)
        card = Client().get("/report/").content.decode()
        listed = f'(its conveners include Mo Member): <a href="/voice/support/{survivors.pk}/">write to its conveners'
        assert listed in card
        # The organization's caucuses are reached by the contacts its bylaws give them.
        assert 'Disability Caucus<ul><li>Its conveners: <a href="mailto:disability.caucus@example.org"' in card
        housing = Caucus.objects.get(name="Housing Caucus")
        assert housing.formed_at is not None
        assert (housing.join_rule, housing.listed) == (JoinRule.OPEN, True)

        steering = Body.objects.get(slug="steering-committee")
        concerns = steering.concerns.order_by("pk")
        assert [concern.answered_at is not None for concern in concerns] == [True, False]
        assert today < timezone.localtime(concerns[1].due_at).date() <= today + timedelta(days=7)
        placed, called = steering.petitions.order_by("pk")
        assert placed.reached_at is not None
        next_meeting = governance_queries.next_meeting_of(body=steering, after=today)
        assert next_meeting is not None
        assert placed.placed_on == next_meeting
        assert placed.reference in next_meeting.agenda
        members_meeting = MembersMeeting.objects.get()
        assert called.reached_at is not None
        assert called.placed_on == members_meeting.meeting
        assert members_meeting.meeting.held_on.month == (today.month % 12) + 1

        editors = Body.objects.get(slug=org_queries.bylaws_document(day=today)["voice"]["bulletin_editors"])
        assert Person.objects.get(name="Mo Member").seats.filter(body=editors).exists()
        (issue,) = BulletinIssue.objects.all()
        assert issue.contributions.count() == 2
        assert Contribution.objects.filter(status=ContributionStatus.SUBMITTED).count() == 1

        apology = Statement.objects.get(kind="apology")
        adopting_vote = apology.versions.get().vote
        assert apology.body == Body.objects.get(slug="convention")
        assert apology.visibility == "public"
        assert adopting_vote is not None
        assert adopting_vote.carried
        assert Statement.objects.filter(visibility="members", caucus=survivors).exists()

        mo = Person.objects.get(name="Mo Member")
        page = signed_in(mo.user).get("/voice/").content.decode()
        assert "Survivors&#x27; Caucus" in page
        call_command("ledger", "verify")
        assert "OK:" in capsys.readouterr().out
