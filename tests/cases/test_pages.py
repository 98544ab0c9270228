"""The reporting pages: starting (signed in or with a receipt code), the form and its autosave, choosing a path,
the reporter's status page, coming back with a receipt code, and the handlers' inbox and report page."""

import re
from datetime import date

import pytest
from django.test import Client

from rankfile.cases.actions import intake
from rankfile.cases.models import Handler, Message, Report, ReportPath, ReportStatus
from rankfile.cases.pages import reports
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions as org_actions
from rankfile.org import bylaws
from rankfile.org import queries as org_queries
from rankfile.org.models import BodyKind
from tests.cases.builders import member, organization, seat
from tests.cases.helpers import htmx, signed_in, with_key
from tests.hidden import assert_hidden
from tests.ledger.helpers import by_person

pytestmark = pytest.mark.django_db

WHAT = "At the branch meeting on 3 May, R. followed me to the car park."
CODE = re.compile(r"\b\d{4}(?:-\d{4}){4}\b")


@pytest.fixture
def org():
    return organization()


def anonymous_start(client: Client | None = None, **extra) -> tuple[Client, Report, str]:
    """An anonymous visitor starts a report: the page shows the code; the client now holds the key."""
    client = client or Client()
    response = client.post("/report/", **extra)
    assert response.status_code == 200, response.content.decode()
    code = CODE.search(response.content.decode())
    assert code, "the receipt code is shown"
    return client, Report.objects.latest("pk"), code.group(0)


def sent_formal(org, *, client: Client | None = None) -> tuple[Client, Report]:
    """Rae, signed in, writes and sends a formal complaint about Ray."""
    rae = org.people["rae"]
    client = client or signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT, "when": "3 May"})
    response = client.post(f"/report/{report.pk}/send/", {"path": "formal", "respondent": org.people["ray"].person.pk})
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    return client, report


# --- the start page --------------------------------------------------------------------------------------------


def test_the_start_page_explains_paths_withdrawal_and_support_before_anything_is_written(org, settings):
    settings.SUPPORT_HOTLINES = [("Crisis line", "0800 000 000"), ("Chat", "https://example.org/chat")]
    org_actions.body_create(name="Women's Caucus", slug="womens-caucus", kind=BodyKind.CAUCUS, by=OPERATOR)
    page = Client().get("/report/").content.decode()
    for path in ("Record only", "Support only", "Informal resolution", "Formal complaint"):
        assert path in page
    assert "change your path later" in page
    assert "If you withdraw a formal complaint," in page
    assert "the body may still go ahead where others are at risk" in page
    assert "Support Team" in page
    assert "Sam Support" in page
    assert "Women&#x27;s Caucus" in page
    assert "Crisis line: 0800 000 000" in page
    assert '<a href="https://example.org/chat" rel="noopener noreferrer">https://example.org/chat</a>' in page
    assert "Start a report without an account" in page


def test_support_only_is_said_in_one_phrase_naming_the_body_it_goes_to_on_the_start_and_send_pages(org):
    phrase = "The Support Team is told so that they can support you. Nobody investigates."
    assert phrase in Client().get("/report/").content.decode()
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.latest("pk")
    send = client.get(f"/report/{report.pk}/send/").content.decode()
    assert phrase in send
    assert "It goes to the Support Team" not in send  # said once, in the same words
    # No support team named: the oversight body takes it, and both pages say so alike.
    document = bylaws.with_defaults(org_queries.bylaws_document(day=date.today()))
    document["roles"]["support_team"] = ""
    org_actions.bylaws_adopt(document=document, effective_from=date(2021, 1, 1), adopted_by_vote="NC 4", by=OPERATOR)
    phrase = "The Oversight Commission is told so that they can support you. Nobody investigates."
    assert phrase in Client().get("/report/").content.decode()
    send = client.get(f"/report/{report.pk}/send/").content.decode()
    assert phrase in send
    assert "The support team is told" not in send


def test_a_malformed_hotline_setting_is_refused_with_its_format(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from rankfile.settings import envpairs

    monkeypatch.setenv("RANKFILE_SUPPORT_HOTLINES", "Crisis line|0800 000 000; Chat | https://example.org/chat")
    assert envpairs("RANKFILE_SUPPORT_HOTLINES") == [
        ("Crisis line", "0800 000 000"),
        ("Chat", "https://example.org/chat"),
    ]
    monkeypatch.setenv("RANKFILE_SUPPORT_HOTLINES", "Crisis line 0800 000 000")
    with pytest.raises(ImproperlyConfigured, match=r"Name\|contact"):
        envpairs("RANKFILE_SUPPORT_HOTLINES")


def test_an_anonymous_start_shows_the_receipt_code_once_and_opens_the_report_in_this_browser(org):
    client, report, code = anonymous_start()
    assert report.reporter is None
    response = client.get(f"/report/{report.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "What happened" in page
    assert code not in page
    assert not Entry.objects.filter(data__contains=code.replace("-", "")).exists()
    assert f'href="/report/{report.pk}/"' in client.get("/report/").content.decode()  # listed while it is open here
    assert f'href="/report/{report.pk}/"' not in Client().get("/report/").content.decode()


def test_the_receipt_code_page_is_never_cached_and_says_to_keep_the_code(org):
    response = Client().post("/report/")
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "Write it down now" in page
    assert "only way back" in page
    assert "Nobody can recover it" in page


def test_anonymous_starts_are_rate_limited_per_client(org, monkeypatch):
    monkeypatch.setattr(reports, "ANONYMOUS_STARTS_PER_CLIENT", "2/h")
    client = Client()
    for _ in range(2):
        assert client.post("/report/").status_code == 200
    refused = client.post("/report/")
    assert refused.status_code == 429
    assert "Too many reports were started from here" in refused.content.decode()
    assert Report.objects.count() == 2
    assert Client().post("/report/", REMOTE_ADDR="203.0.113.9").status_code == 200  # another client is not held up


def test_anonymous_starts_are_limited_overall_across_clients(org, monkeypatch):
    monkeypatch.setattr(reports, "ANONYMOUS_STARTS_OVERALL", "2/h")
    for number in range(2):
        assert Client().post("/report/", REMOTE_ADDR=f"203.0.113.{number}").status_code == 200
    assert Client().post("/report/", REMOTE_ADDR="198.51.100.7").status_code == 429


def test_a_signed_in_member_starts_with_their_account(org):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    response = client.post("/report/")
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/report/{report.pk}/"
    assert report.reporter == rae.user
    assert report.reporter_key == rae.key.keypair
    listed = client.get("/report/").content.decode()
    assert "Your reports" in listed
    assert f"/report/{report.pk}/" in listed


def test_signed_in_without_the_key_unlocked_is_told_to_sign_in_again(org):
    rae = org.people["rae"]
    report, _, _ = intake.report_start(reporter=rae.user)
    client = signed_in(rae.user)  # signed in, but no key in this browser
    for response in (client.post("/report/"), client.get(f"/report/{report.pk}/")):
        assert response.status_code == 403
        assert "Sign in again to open your reports" in response.content.decode()
    assert Report.objects.count() == 1


# --- the form --------------------------------------------------------------------------------------------------


def test_saving_the_form_keeps_a_new_version_and_says_when(org):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.get()
    response = client.post(f"/report/{report.pk}/", {"what_happened": WHAT, "where": "car park"}, follow=True)
    page = response.content.decode()
    assert re.search(r"Saved at \d\d:\d\d", page)
    assert "car park" in page  # the form shows what was saved
    assert report.content.versions.count() == 2
    content = intake.report_content(report=report, key=rae.key, actor=intake.REPORTER, capacity="reporter")
    assert content["where"] == "car park"


def test_save_and_continue_goes_to_the_choice_of_path(org):
    client, report, _ = anonymous_start()
    response = client.post(f"/report/{report.pk}/", {"what_happened": WHAT, "continue": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/report/{report.pk}/send/"


def test_what_happened_is_the_one_thing_needed_and_the_error_is_shown_by_its_field(org):
    client, report, _ = anonymous_start()
    response = client.post(f"/report/{report.pk}/", {"what_happened": "  ", "when": "May"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_what_happened">What happened</a>: Write what happened' in page
    assert re.search(r'<textarea name="what_happened"[^>]*aria-invalid="true"', page)
    assert "May" in page  # nothing typed is lost
    assert report.content.versions.count() == 1


def test_overlong_text_is_refused_by_its_field_without_a_500(org):
    client, report, _ = anonymous_start()
    response = client.post(f"/report/{report.pk}/", {"what_happened": WHAT, "who": "x" * 50_001})
    assert response.status_code == 400
    assert '<a href="#id_who">Who was involved (optional)</a>: This is longer than' in response.content.decode()


def test_autosave_saves_the_draft_and_answers_with_the_time_for_the_status_line(org):
    client, report, _ = anonymous_start()
    response = htmx(client, f"/report/{report.pk}/save/", {"what_happened": "", "when": "early May"})
    assert response.status_code == 200
    assert re.fullmatch(r"Saved at \d\d:\d\d\.", response.content.decode().strip())
    assert report.content.versions.count() == 2
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert f'hx-post="/report/{report.pk}/save/"' in page
    assert 'role="status" aria-live="polite"' in page
    assert "early May" in page


def test_autosave_says_why_it_did_not_save(org):
    client, report, _ = anonymous_start()
    response = htmx(client, f"/report/{report.pk}/save/", {"what_happened": "x" * 50_001})
    assert response.status_code == 200
    assert response.content.decode().strip().startswith("Not saved: This is longer than")
    assert report.content.versions.count() == 1


def test_autosave_without_htmx_goes_back_to_the_form(org):
    client, report, _ = anonymous_start()
    response = client.post(f"/report/{report.pk}/save/", {"what_happened": WHAT})
    assert response.status_code == 302
    assert report.content.versions.count() == 1


# --- choosing a path and sending --------------------------------------------------------------------------------


def test_the_send_page_offers_members_from_the_directory_and_the_people_who_might_handle_it(org):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.get()
    page = client.get(f"/report/{report.pk}/send/").content.decode()
    assert '<select name="respondent"' in page
    assert "Ray Respondent" in page
    conflicts = page.split('name="named_conflicts"', 1)[1]
    for name in ("Dana Discipline", "Olu Oversight", "Sam Support"):
        assert name in page
    assert "Lee Leader" not in conflicts  # the steering committee does not handle reports
    assert "It goes to the Disciplinary Committee." in page
    assert "handled unfairly. It goes to the Oversight Commission." in page


def test_an_anonymous_reporter_describes_the_person_instead_of_choosing_from_the_directory(org):
    client, report, _ = anonymous_start()
    page = client.get(f"/report/{report.pk}/send/").content.decode()
    assert 'name="respondent"' not in page
    assert "Describe the person it is about" in page
    assert 'name="named_conflicts"' in page


def test_a_formal_complaint_is_sent_around_the_people_the_reporter_named(org):
    client, report, _ = anonymous_start()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT, "who": "R., a branch officer"})
    response = client.post(
        f"/report/{report.pk}/send/",
        {"path": "formal", "named_conflicts": [org.people["dale"].person.pk]},
        follow=True,
    )
    assert "Your report was sent to the Disciplinary Committee." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    handlers = set(Handler.objects.filter(report=report).values_list("person__name", flat=True))
    assert handlers == {"Dana Discipline", "Dev Discipline", "Dora Discipline"}


def test_a_process_complaint_goes_to_the_oversight_body(org):
    client, report, _ = anonymous_start()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    client.post(f"/report/{report.pk}/send/", {"path": "formal", "process_complaint": "on"})
    report.refresh_from_db()
    assert (report.process_complaint, report.handling_body) == (True, org.oversight)


def test_recorded_privately_then_sent_on_from_the_same_page(org):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.get()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    response = client.post(f"/report/{report.pk}/send/", {"path": "record_only"}, follow=True)
    page = response.content.decode()
    assert "Your report is recorded privately. Only you can read it." in page
    assert "Send it on" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.RECORDED
    send_page = client.get(f"/report/{report.pk}/send/").content.decode()
    assert 'value="record_only"' not in send_page
    client.post(f"/report/{report.pk}/send/", {"path": "formal", "respondent": org.people["ray"].person.pk})
    report.refresh_from_db()
    assert (report.status, report.path, report.respondent) == (
        ReportStatus.SUBMITTED,
        ReportPath.FORMAL,
        org.people["ray"].person,
    )


def test_sending_needs_a_path_and_what_happened(org):
    client, report, _ = anonymous_start()
    response = client.post(f"/report/{report.pk}/send/", {})
    assert response.status_code == 400
    assert "Choose what you would like to happen with your report." in response.content.decode()
    response = client.post(f"/report/{report.pk}/send/", {"path": "formal"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write what happened before you send the report." in page
    assert f'href="/report/{report.pk}/edit/"' in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    "data",
    [
        {"path": "everything"},
        {"path": "formal", "respondent": "999999"},
        {"path": "formal", "respondent": "x"},
        {"path": "formal", "named_conflicts": ["nobody"]},
        {"path": ["formal", "informal"], "named_conflicts": "-1"},
        {"path": "formal", "named_conflicts": [str(2**64)]},  # no column holds it: SQLite's OverflowError
        {"path": "formal", "named_conflicts": [str(-(2**70)), "1"]},
    ],
)
def test_bad_input_on_the_send_page_is_refused_clearly_never_a_500(org, data):
    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.get()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    response = client.post(f"/report/{report.pk}/send/", data)
    assert response.status_code == 400
    assert "Please fix the following" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# --- the reporter's status page ---------------------------------------------------------------------------------


def test_before_the_bylaws_name_any_body_the_reporter_is_told_that_nobody_was_told(db):
    client = Client()
    assert "Informal resolution" in client.get("/report/").content.decode()
    client, report, _ = anonymous_start(client)
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    assert client.get(f"/report/{report.pk}/send/").status_code == 200
    client.post(f"/report/{report.pk}/send/", {"path": "formal"})
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "the bylaws do not yet name a body to receive reports, so nobody has been told" in page


def test_the_status_page_shows_the_step_the_deadline_the_handlers_and_every_read(org):
    client, report = sent_formal(org)
    dev = org.people["dev"]
    signed_in(dev.user, dev.key).get(f"/cases/{report.pk}/")  # Dev reads it
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "Sent, waiting to be acknowledged" in page
    assert "The Disciplinary Committee must acknowledge it by" in page
    for name in ("Dana Discipline", "Dev Discipline", "Dora Discipline", "Dale Discipline"):
        assert f"<li>{name} · <a href=" in page
    reads = page.split("Who has read your report", 1)[1].split("</table>", 1)[0]
    assert "<td>Dev Discipline</td>" in reads
    assert "<td>You</td>" in reads  # reading it to send it
    assert "Withdraw my report" in page


def test_the_reporter_sees_the_handlers_message_but_never_their_notes_and_replies(org):
    client, report = sent_formal(org)
    dev = org.people["dev"]
    intake.message_send(report=report, text="Thank you. Can we talk on Thursday?", key=dev.key, by=dev.user)
    intake.message_send(report=report, text="Check the minutes.", key=dev.key, by=dev.user, internal_note=True)
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "Thank you. Can we talk on Thursday?" in page
    assert "Check the minutes." not in page
    response = client.post(f"/report/{report.pk}/", {"text": "Thursday works."}, follow=True)
    assert "Your message was sent." in response.content.decode()
    read_log = page.split("Who has read your report", 1)[1].split("</table>", 1)[0]
    assert "A message" in read_log  # this very page's opening of the handler's message is listed
    reply = Message.objects.get(report=report, side="reporter")
    assert reply.author is None
    reads = Entry.objects.filter(action=intake.REPORT_READ, subject_id=report.pk, actor_type="reporter")
    assert reads.count() >= 2  # the reporter's opening of the handler's message is on the ledger too


def test_the_reporter_rules_out_a_handler_after_reading_what_it_means(org):
    client, report = sent_formal(org)
    dale = org.people["dale"]
    page = client.get(f"/report/{report.pk}/").content.decode()
    url = f"/report/{report.pk}/conflict/{dale.person.pk}/"
    assert f'href="{url}"' in page
    assert "can no longer open your report" in client.get(url).content.decode()
    assert Handler.objects.get(report=report, person=dale.person).removed_at is None
    response = client.post(url, follow=True)
    assert "Dale Discipline no longer handles your report" in response.content.decode()
    assert Handler.objects.get(report=report, person=dale.person).removed_at is not None
    assert signed_in(dale.user, dale.key).get(f"/cases/{report.pk}/").status_code == 404
    assert client.post(url).status_code == 404  # no longer a handler
    lee = org.people["lee"]
    assert client.get(f"/report/{report.pk}/conflict/{lee.person.pk}/").status_code == 404
    assert signed_in(lee.user, lee.key).post(url).status_code == 404


def test_an_empty_message_is_refused_by_its_field(org):
    client, report = sent_formal(org)
    response = client.post(f"/report/{report.pk}/", {"text": "   "})
    assert response.status_code == 400
    assert '<a href="#id_text">Your message</a>: Write a message first.' in response.content.decode()


def test_withdrawing_states_the_consequences_first(org):
    client, report = sent_formal(org)
    page = client.get(f"/report/{report.pk}/withdraw/").content.decode()
    assert "Where others may be at risk, the body may still go ahead" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    response = client.post(f"/report/{report.pk}/withdraw/", follow=True)
    assert "Your report is withdrawn." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN


def test_reading_what_was_sent_is_on_the_ledger_as_the_reporters(org):
    client, report = sent_formal(org)
    before = Entry.objects.filter(action=intake.REPORT_READ, actor_type="reporter").count()
    page = client.get(f"/report/{report.pk}/read/").content.decode()
    assert WHAT in page
    assert Entry.objects.filter(action=intake.REPORT_READ, actor_type="reporter").count() == before + 1


def test_a_deleted_private_record_says_so_and_offers_nothing_to_open(org):
    from rankfile.cases.actions import retention

    rae = org.people["rae"]
    client = signed_in(rae.user, rae.key)
    client.post("/report/")
    report = Report.objects.get()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    client.post(f"/report/{report.pk}/send/", {"path": "record_only"})
    retention.record_delete(report=report, key=rae.key)
    page = client.get(f"/report/{report.pk}/").content.decode()
    assert "What it said is destroyed for good." in page
    assert "Read what you wrote" not in page
    assert "Withdraw my report" not in page
    for url in ("read", "edit", "send", "withdraw"):
        assert client.get(f"/report/{report.pk}/{url}/").status_code == 302


def test_a_purged_report_shows_its_handlers_that_the_content_is_gone(org):
    from datetime import timedelta

    from django.utils import timezone

    from rankfile.cases.actions import retention

    client, report = sent_formal(org)
    client.post(f"/report/{report.pk}/withdraw/")
    assert retention.purge_due(timezone.now() + timedelta(days=365 * 8)) == 1
    dev = org.people["dev"]
    response = signed_in(dev.user, dev.key).get(f"/cases/{report.pk}/")
    assert response.status_code == 200
    assert "were destroyed at the end of the time the bylaws keep records" in response.content.decode()
    assert "That it existed, and who read it, stays on record." in client.get(f"/report/{report.pk}/").content.decode()


# --- coming back with a receipt code ----------------------------------------------------------------------------


def test_the_receipt_code_opens_the_report_again_in_another_browser(org):
    first, report, code = anonymous_start()
    first.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    first.post(f"/report/{report.pk}/send/", {"path": "support_only"})
    later = Client()
    # Not signed in and no code yet: the sign-in page, which points to the receipt code's page.
    to_sign_in = later.get(f"/report/{report.pk}/")
    assert to_sign_in["Location"] == f"/accounts/login/?next=/report/{report.pk}/"
    assert 'href="/report/receipt/"' in later.get(to_sign_in["Location"]).content.decode()
    response = later.post("/report/receipt/", {"code": code.replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == f"/report/{report.pk}/"
    page = later.get(response["Location"]).content.decode()
    assert "Sent to the Support Team" in page


def test_a_wrong_receipt_code_is_refused_clearly(org):
    anonymous_start()
    for wrong in ("1234-5678-9012-3456-7890", "not a code"):
        response = Client().post("/report/receipt/", {"code": wrong})
        assert response.status_code == 400
        assert "This code does not open any report." in response.content.decode()
    response = Client().post("/report/receipt/", {"code": ""})
    assert "Enter your receipt code." in response.content.decode()


def test_receipt_codes_are_rate_limited_with_a_clear_message(org):
    _, _, code = anonymous_start()
    guesser = Client()
    for _ in range(10):
        guesser.post("/report/receipt/", {"code": "1234-5678-9012-3456-7890"})
    response = guesser.post("/report/receipt/", {"code": code})  # even the right code waits
    assert response.status_code == 429
    assert "Too many tries with receipt codes from here. Wait an hour" in response.content.decode()


def test_a_signed_in_person_is_asked_to_sign_out_before_using_a_receipt_code(org):
    _, _, code = anonymous_start()
    lee = org.people["lee"]
    response = signed_in(lee.user, lee.key).post("/report/receipt/", {"code": code})
    assert response.status_code == 400
    assert "Sign out first" in response.content.decode()


# --- not found and forbidden look the same ---------------------------------------------------------------------

REPORTER_PAGES = ["/report/{pk}/", "/report/{pk}/edit/", "/report/{pk}/send/", "/report/{pk}/read/"]
REPORTER_PAGES += ["/report/{pk}/withdraw/"]


@pytest.mark.parametrize("url", REPORTER_PAGES)
def test_invariant_11_reporter_pages_are_not_found_for_everyone_else(org, admin, url):
    _, report = sent_formal(org)
    dev, lee = org.people["dev"], org.people["lee"]
    outsiders = [
        signed_in(lee.user, lee.key),
        signed_in(dev.user, dev.key),  # a handler, but not the reporter
        signed_in(admin),
        Client(),
        anonymous_start()[0],  # another anonymous reporter, with their own receipt key unlocked
        with_key(Client(), lee.key),  # someone else's key without their sign-in
    ]
    missing = signed_in(org.people["rae"].user, org.people["rae"].key).get(url.format(pk=999_999))
    for outsider in outsiders:
        for response in (outsider.get(url.format(pk=report.pk)), outsider.post(url.format(pk=report.pk), {})):
            assert_hidden(response, missing=missing)
    assert htmx(signed_in(lee.user, lee.key), f"/report/{report.pk}/save/", {"what_happened": "x"}).status_code == 404


def test_invariant_11_leaders_and_admins_who_do_not_handle_a_report_get_not_found(org, admin):
    _, report = sent_formal(org)
    lee, olu = org.people["lee"], org.people["olu"]
    assert_hidden(Client().get(f"/cases/{report.pk}/"))
    for user, key in ((lee.user, lee.key), (admin, None), (olu.user, olu.key)):
        client = signed_in(user, key)
        assert client.get(f"/cases/{report.pk}/").status_code == 404
        assert client.post(f"/cases/{report.pk}/", {"step": "acknowledge"}).status_code == 404
        assert f"/cases/{report.pk}/" not in client.get("/cases/").content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_respondent_on_the_committee_cannot_open_the_report(org):
    client, report, _ = anonymous_start()
    client.post(f"/report/{report.pk}/", {"what_happened": WHAT})
    dana = org.people["dana"]
    client.post(f"/report/{report.pk}/send/", {"path": "formal", "named_conflicts": [dana.person.pk]})
    assert signed_in(dana.user, dana.key).get(f"/cases/{report.pk}/").status_code == 404


# --- the handlers' pages ----------------------------------------------------------------------------------------


def test_a_handler_without_a_second_factor_is_told_to_enable_it_first(org):
    newcomer = member("Nia Newcomer", mfa=False)
    seat(newcomer, org.disciplinary)
    _, report = sent_formal(org)
    client = signed_in(newcomer.user, newcomer.key)
    for url in ("/cases/", f"/cases/{report.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Two-factor authentication is required" in response.content.decode()
    assert not Entry.objects.filter(action=intake.REPORT_READ).exclude(actor_type="reporter").exists()


def test_the_inbox_lists_the_reports_sent_to_the_handler(org):
    _, report = sent_formal(org)
    dev = org.people["dev"]
    page = signed_in(dev.user, dev.key).get("/cases/").content.decode()
    assert f'href="/cases/{report.pk}/"' in page
    assert "Formal complaint" in page
    assert WHAT not in page
    empty = signed_in(org.people["sam"].user, org.people["sam"].key).get("/cases/").content.decode()
    assert "No reports have been sent to you to handle." in empty


def test_a_reporter_following_an_update_to_the_inbox_is_pointed_to_their_own_reports(org):
    client, _ = sent_formal(org)
    page = client.get("/cases/").content.decode()
    assert "No reports have been sent to you to handle." in page
    assert 'It is listed on the <a href="/report/">Make a report</a> page.' in page


def test_the_inbox_asks_anonymous_visitors_to_sign_in(org):
    response = Client().get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_handler_reads_acknowledges_writes_to_the_reporter_and_keeps_notes_apart(org):
    reporter_client, report = sent_formal(org)
    dev = org.people["dev"]
    client = signed_in(dev.user, dev.key)
    page = client.get(f"/cases/{report.pk}/").content.decode()
    assert WHAT in page
    assert "Ray Respondent" in page
    read = Entry.objects.filter(action=intake.REPORT_READ, **by_person(dev.person))
    assert read.count() == 1

    response = client.post(f"/cases/{report.pk}/", {"step": "acknowledge"}, follow=True)
    assert "Acknowledged." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED

    client.post(f"/cases/{report.pk}/", {"step": "message", "message-text": "Can we talk on Thursday?"})
    client.post(f"/cases/{report.pk}/", {"step": "note", "note-text": "Check the minutes of 3 May."})
    assert Message.objects.filter(report=report, internal_note=False, author=dev.person).count() == 1
    assert Message.objects.filter(report=report, internal_note=True).count() == 1
    handler_page = client.get(f"/cases/{report.pk}/").content.decode()
    assert "Can we talk on Thursday?" in handler_page
    assert "Check the minutes of 3 May." in handler_page
    reporter_page = reporter_client.get(f"/report/{report.pk}/").content.decode()
    assert "Can we talk on Thursday?" in reporter_page
    assert "Check the minutes" not in reporter_page
    assert "The Disciplinary Committee acknowledged your report" in reporter_page


def test_a_handlers_empty_message_is_refused_by_its_field(org):
    _, report = sent_formal(org)
    dev = org.people["dev"]
    response = signed_in(dev.user, dev.key).post(f"/cases/{report.pk}/", {"step": "note", "note-text": ""})
    assert response.status_code == 400
    assert '<a href="#id_note-text">Internal note</a>: Write a message first.' in response.content.decode()


def test_a_handler_without_the_key_unlocked_is_told_to_sign_in_again(org):
    _, report = sent_formal(org)
    response = signed_in(org.people["dev"].user).get(f"/cases/{report.pk}/")
    assert response.status_code == 403
    assert "Sign in again" in response.content.decode()


def test_acknowledging_twice_is_explained_not_an_error_page(org):
    _, report = sent_formal(org)
    dev = org.people["dev"]
    client = signed_in(dev.user, dev.key)
    client.post(f"/cases/{report.pk}/", {"step": "acknowledge"})
    response = client.post(f"/cases/{report.pk}/", {"step": "acknowledge"}, follow=True)
    assert response.status_code == 200
    assert "This report is not waiting to be acknowledged." in response.content.decode()
