from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.formats import date_format

from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions, importing, queries
from rankfile.org.models import Person
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


def today_in_words() -> str:
    return date_format(timezone.localdate(), "j F Y")


CLEAN = """\
Name,Email,Member number,Status,Joined,Branch
Ana Abara,ana@example.org,M-001,active,2015-03-01,Northside
Ben Bakker,ben@example.org,M-002,current,2018-09-15,eastgate
Cleo Chen,cleo@example.org,M-003,,,
"""


@pytest.fixture
def branches():
    return {slug: body(slug, kind="branch") for slug in ("northside", "eastgate")}


def write(tmp_path, text, *, encoding="utf-8", name="members.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_members", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def run_refused(path, *args):
    """Run an import that must fail; return what it printed and the error."""
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_members", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue(), str(refused.value)


def snapshot():
    return Person.objects.count(), Entry.objects.count()


def test_a_clean_file_imports_people_with_their_status_and_branch(tmp_path, branches):
    output = run(write(tmp_path, CLEAN))

    assert "Imported: 3 new, 0 updated, 0 unchanged." in output
    ana = Person.objects.get(member_number="M-001")
    assert (ana.name, ana.email) == ("Ana Abara", "ana@example.org")
    assert queries.status_on(person=ana, day=date(2015, 3, 1)) == "active"
    assert queries.status_on(person=ana, day=date(2015, 2, 28)) is None
    assert [(s.body.slug, s.starts_on, s.basis) for s in ana.seats.all()] == [
        ("northside", date(2015, 3, 1), "ex_officio")
    ]
    ben = Person.objects.get(member_number="M-002")
    assert ben.seats.get().body == branches["eastgate"]
    cleo = Person.objects.get(email="cleo@example.org")
    today = timezone.localdate()
    assert [(c.status, c.effective_from, c.reason_code) for c in cleo.status_changes.all()] == [
        ("active", today, "imported")
    ]
    assert not cleo.seats.exists()
    actions_recorded = list(Entry.objects.order_by("seq").values_list("action", "actor_type"))[-9:]
    assert ("org.person_created", "operator") in actions_recorded
    assert ("org.person_seated", "operator") in actions_recorded


def test_a_bad_file_is_rejected_whole_with_every_problem_listed_by_row_and_column(tmp_path, branches):
    enrolled("Dora Diaz", email="dora@example.org", member_number="M-100")
    before = snapshot()
    bad = """\
Name,E-mail,Member number,Status,Joined,Branch
Ana Abara,ana@example.org,M-001,active,2015-03-01,Northside
,nobody@example.org,M-002,active,,
Cleo Chen,cleo@,M-003,active,,
Dan Dorn,dan@example.org,M-004,gold,,
Eve Ek,eve@example.org,M-005,active,31/02/2015,
Fay Fox,fay@example.org,M-001,active,,
Gus Gray,gus@example.org,M-007,active,,Southside
Hal Hu,hal@example.org,,active,,
Ida Ito,ANA@example.org,M-009,active,,
Jo Jung,dora@example.org,M-010,active,,
Kim Kay,,,active,,
"""
    output, error = run_refused(write(tmp_path, bad))

    assert "nothing was imported" in error
    assert "9 problems" in error
    lines = output.splitlines()
    assert "row 3, Name: empty" in lines
    assert "row 4, E-mail: 'cleo@' is not a valid email address" in lines
    assert any(line.startswith("row 5, Status: 'gold' is not a membership status") for line in lines)
    assert "row 6, Joined: '31/02/2015' is not a date written YYYY-MM-DD" in output
    assert "row 7, Member number: 'M-001' is also on row 2" in lines
    assert any(
        line.startswith("row 8, Branch: 'Southside' is not a branch (branches: Eastgate, Northside)") for line in lines
    )
    assert "row 10, E-mail: 'ana@example.org' is also on row 2" in lines
    assert "row 11, E-mail: 'dora@example.org' belongs to Dora Diaz, whose member number is M-100, not M-010" in lines
    assert any(line.startswith("row 12: it needs an email address or a member number") for line in lines)
    assert "row 9" not in output  # an email without a member number is enough
    assert snapshot() == before


def test_running_the_same_file_again_changes_nothing(tmp_path, branches):
    path = write(tmp_path, CLEAN)
    run(path)
    before = snapshot()

    output = run(path)

    assert "Imported: 0 new, 0 updated, 3 unchanged." in output
    assert "Membership statuses recorded: none." in output
    assert snapshot() == before


def test_a_changed_status_is_recorded_on_the_next_run_from_its_date(tmp_path, branches):
    run(write(tmp_path, CLEAN))
    changed = CLEAN.replace("Status,Joined", "Status,Status date,Joined").replace(
        ",active,2015", ",lapsed,2020-01-31,2015"
    )
    changed = changed.replace("current,", "current,,").replace("M-003,,", "M-003,,,")

    output = run(write(tmp_path, changed, name="changed.csv"))

    assert "Imported: 0 new, 1 updated, 2 unchanged." in output
    assert "Membership statuses recorded: lapsed 1." in output
    ana = Person.objects.get(member_number="M-001")
    history = [(c.status, c.effective_from, c.reason_code) for c in queries.status_history(person=ana)]
    assert history == [("active", date(2015, 3, 1), "imported"), ("lapsed", date(2020, 1, 31), "imported")]
    assert "0 new, 0 updated, 3 unchanged" in run(write(tmp_path, changed, name="changed.csv"))


def test_a_status_without_a_date_takes_effect_today(tmp_path, branches):
    run(write(tmp_path, CLEAN))
    run(write(tmp_path, CLEAN.replace("M-002,current", "M-002,On Leave"), name="leave.csv"))

    ben = Person.objects.get(member_number="M-002")
    assert queries.status_on(person=ben, day=timezone.localdate()) == "on_leave"
    assert queries.status_on(person=ben, day=date(2019, 1, 1)) == "active"


def test_an_import_cannot_put_a_status_before_the_current_one(tmp_path, branches):
    enrolled("Ana Abara", email="ana@example.org", member_number="M-001", since=date(2021, 1, 1))
    text = "Name,Member number,Status,Status date\nAna Abara,M-001,resigned,2020-05-01\n"

    output, _ = run_refused(write(tmp_path, text))

    assert "row 2, Status date: 2020-05-01 is before the current status (active since 2021-01-01)" in output


def test_a_file_with_a_byte_order_mark_and_semicolons_is_read(tmp_path, branches):
    text = "E-Mail;Full Name;Member ID;Membership Status;Member since;Chapter\r\n"
    text += "jose@example.org;José Núñez;7;Good Standing;2019-05-01;NORTHSIDE\r\n"
    text += "zoe@example.org;Zoë Weiß, Jr.;8;expired;2010-01-01;\r\n"

    output = run(write(tmp_path, text, encoding="utf-8-sig"))

    assert "2 new, 0 updated, 0 unchanged" in output
    jose = Person.objects.get(member_number="7")
    assert (jose.name, jose.email) == ("José Núñez", "jose@example.org")
    assert jose.seats.get().body.slug == "northside"
    zoe = Person.objects.get(member_number="8")
    assert zoe.name == "Zoë Weiß, Jr."
    assert queries.status_on(person=zoe, day=date(2012, 1, 1)) == "active"
    assert queries.status_on(person=zoe, day=timezone.localdate()) == "lapsed"


def test_a_tab_separated_file_with_first_and_last_names_is_read(tmp_path):
    text = "First name\tLast name\tEmail\nAna\tAbara\tana@example.org\n\t\t\nBen\tBakker\tben@example.org\n"

    output = run(write(tmp_path, text))

    assert "2 new" in output
    assert set(Person.objects.values_list("name", flat=True)) == {"Ana Abara", "Ben Bakker"}


def test_a_file_that_is_not_utf8_is_refused_saying_how_to_save_it(tmp_path):
    path = write(tmp_path, "Name,Email\nJosé Núñez,jose@example.org\n", encoding="latin-1")
    before = snapshot()

    with pytest.raises(CommandError, match="Save the file as CSV UTF-8") as refused:
        run(path)

    assert "line 2" in str(refused.value)
    assert snapshot() == before


def test_columns_with_other_names_are_mapped_on_the_command_line(tmp_path):
    text = "Nom,Courriel,Adherent,Notes\nAna Abara,ana@example.org,A-17,likes bikes\n"
    path = write(tmp_path, text)

    output, _ = run_refused(path)
    assert "No column holds the name" in output

    output = run(path, "--map", "Nom=name", "--map", "courriel=email", "--map", "Adherent=member_number")

    assert "Nom -> name; Courriel -> email; Adherent -> member_number; Notes -> (not imported)" in output
    ana = Person.objects.get()
    assert (ana.name, ana.email, ana.member_number) == ("Ana Abara", "ana@example.org", "A-17")


def test_a_mapped_column_takes_the_field_from_the_detected_one(tmp_path):
    text = "Name,ID,Member code\nAna Abara,1,RWF-9\n"

    run(write(tmp_path, text), "--map", "Member code=member_number")

    assert Person.objects.get().member_number == "RWF-9"


def test_a_wrong_mapping_stops_the_command(tmp_path):
    path = write(tmp_path, CLEAN)
    with pytest.raises(CommandError, match="no column 'Mail'"):
        run(path, "--map", "Mail=email")
    with pytest.raises(CommandError, match="'phone' is not a field"):
        run(path, "--map", "Email=phone")
    with pytest.raises(CommandError, match="COLUMN=FIELD"):
        run(path, "--map", "email")


def test_the_same_person_twice_in_the_file_is_a_problem(tmp_path):
    enrolled("Ana Abara", email="ana@example.org", member_number="M-001")
    text = "Name,Email,Member number\nAna Abara,ana@example.org,\nAna A.,other@example.org,M-001\n"

    output, _ = run_refused(write(tmp_path, text))

    assert "row 3: this is Ana Abara again, as on row 2" in output


def test_an_unknown_branch_is_a_problem_naming_the_branches(tmp_path, branches):
    output, _ = run_refused(write(tmp_path, "Name,Email,Branch\nAna Abara,ana@example.org,Harbour\n"))

    assert "row 2, Branch: 'Harbour' is not a branch (branches: Eastgate, Northside)" in output
    assert not Person.objects.exists()


def test_a_branch_seat_the_eligibility_check_refuses_blocks_the_import(tmp_path, branches):
    text = """\
Name,Email,Status,Branch
Ana Abara,ana@example.org,active,Northside
Ben Bakker,ben@example.org,lapsed,Northside
"""
    before = snapshot()

    output, error = run_refused(write(tmp_path, text))

    assert f"row 3: not seated on Northside: They are not a member in good standing on {today_in_words()}." in output
    assert "1 problem in" in error
    assert snapshot() == before


def test_after_a_refusal_every_row_is_checked_and_every_refusal_listed(tmp_path, branches):
    # The quick pass stops at row 3; the careful one goes on and finds row 5 too, and counts nothing twice.
    text = """\
Name,Email,Status,Branch
Ana Abara,ana@example.org,active,Northside
Ben Bakker,ben@example.org,lapsed,Northside
Cleo Chen,cleo@example.org,active,Eastgate
Dev Das,dev@example.org,resigned,Eastgate
"""
    before = snapshot()

    output, error = run_refused(write(tmp_path, text))

    assert f"row 3: not seated on Northside: They are not a member in good standing on {today_in_words()}." in output
    assert f"row 5: not seated on Eastgate: They are not a member in good standing on {today_in_words()}." in output
    assert "2 problems in" in error
    assert snapshot() == before
    member_file = importing.member_file_read(data=text.encode())
    outcome = importing.members_import(
        member_file=member_file,
        mapping=importing.mapping_detect(headers=member_file.headers),
        by=OPERATOR,
        dry_run=True,
    )
    assert [p.row for p in outcome.problems] == [3, 5]
    assert (outcome.new, dict(outcome.seats)) == (2, {"Eastgate": 1, "Northside": 1})


def test_a_clean_import_writes_its_ledger_entries_in_batches_without_savepoints(tmp_path, branches):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entries_before = Entry.objects.count()
    with CaptureQueriesContext(connection) as queries_run:
        run(write(tmp_path, CLEAN))

    statements = [q["sql"].upper() for q in queries_run.captured_queries]
    # only the import's own transaction, a savepoint here because each test runs in a transaction
    assert len([s for s in statements if s.startswith("SAVEPOINT")]) == 1
    # one statement for all of them on SQLite; none that Django lists on PostgreSQL, which takes them by COPY
    assert sum(s.startswith('INSERT INTO "LEDGER_ENTRY"') for s in statements) <= 1
    assert Entry.objects.count() - entries_before == 3 + 3 + 2  # people, statuses, branch seats


def test_a_dry_run_says_what_would_happen_and_changes_nothing(tmp_path, branches):
    before = snapshot()

    output = run(write(tmp_path, CLEAN), "--dry-run")

    assert "Dry run, nothing was changed. The import would make: 3 new, 0 updated, 0 unchanged." in output
    assert "Membership statuses to record: active 3." in output
    assert "Branch seats to add: Eastgate 1, Northside 1." in output
    assert snapshot() == before


def test_dates_with_the_day_first_need_the_date_format(tmp_path):
    path = write(tmp_path, "Name,Email,Joined\nAna Abara,ana@example.org,03/04/2015\n")

    output, _ = run_refused(path)
    assert "row 2, Joined: '03/04/2015' is not a date written YYYY-MM-DD (for dates written DD/MM/YYYY" in output

    run(path, "--date-format", "dmy")
    assert Person.objects.get().status_changes.get().effective_from == date(2015, 4, 3)


def test_dates_with_the_month_first_and_dates_in_the_future(tmp_path):
    text = "Name,Email,Joined\nAna Abara,ana@example.org,04/30/2015\nBen Bakker,ben@example.org,2999-01-01\n"

    output, _ = run_refused(write(tmp_path, text), "--date-format", "mdy")

    assert "row 2" not in output
    assert "row 3, Joined: '2999-01-01' is in the future" in output


def test_existing_people_are_found_by_member_number_then_by_email(tmp_path, branches):
    ana = enrolled("Ana Abara", email="ana@example.org", member_number="M-001")
    ben = enrolled("Ben Bakker", email="Ben@Example.org")
    text = """\
Name,Email,Member number,Branch
Ana Abara,ana.new@example.org,M-001,
Ben Bakker,ben@example.org,M-002,Northside
"""

    output = run(write(tmp_path, text))

    assert "0 new, 1 updated, 1 unchanged" in output
    assert "note: row 2: the email address on record is ana@example.org" in output
    assert "note: row 3: there is no member number on record" in output
    assert Person.objects.count() == 2
    assert ben.seats.get().starts_on == timezone.localdate()  # already a member: joins the branch today
    assert ana.status_changes.count() == 1


def test_a_non_member_on_record_becomes_a_member(tmp_path):
    ally = actions.person_create(name="Ali Ally", email="ali@example.org", by=OPERATOR)

    output = run(write(tmp_path, "Name,Email,Joined\nAli Ally,ali@example.org,2020-02-02\n"))

    assert "0 new, 1 updated, 0 unchanged" in output
    assert queries.status_on(person=ally, day=date(2020, 2, 2)) == "active"


def test_status_words_from_other_systems_are_understood(tmp_path):
    text = """\
Name,Email,Status
A,a@example.org,Current
B,b@example.org,in good standing
C,c@example.org,EXPIRED
D,d@example.org,on_leave
"""

    output = run(write(tmp_path, text))

    assert "Membership statuses recorded: active 2, lapsed 1, on leave 1." in output
    today = timezone.localdate()
    assert queries.status_on(person=Person.objects.get(name="C"), day=today) == "lapsed"
    assert queries.status_on(person=Person.objects.get(name="D"), day=today) == "on_leave"


def test_files_too_large_or_too_long_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    text = "Name,Email\n" + "".join(f"P{n},p{n}@example.org\n" for n in range(3))
    with pytest.raises(CommandError, match="more than 2 rows"):
        run(write(tmp_path, text))
    monkeypatch.setattr(importing, "MAX_BYTES", 10)
    with pytest.raises(CommandError, match="larger than 0 MB"):
        run(write(tmp_path, text))


def test_a_missing_or_empty_file_stops_the_command(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nowhere.csv")
    with pytest.raises(CommandError, match="The file is empty"):
        run(write(tmp_path, "\n\n"))


def test_an_unclosed_quote_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(importing.csv, "field_size_limit", importing.csv.field_size_limit)
    importing.csv.field_size_limit(50)
    try:
        with pytest.raises(CommandError, match=r"Row 3 cannot be read .*quotation mark"):
            run(write(tmp_path, 'Name,Email\nAna,a@example.org\n"Ben,b@example.org\n' + "x" * 60 + "\n"))
    finally:
        importing.csv.field_size_limit(131072)


def test_large_files_show_progress(tmp_path, capsys):
    text = "Name,Email\n" + "".join(f"P{n},p{n}@example.org\n" for n in range(1000))
    err = StringIO()

    call_command("import_members", str(write(tmp_path, text)), "--dry-run", stdout=StringIO(), stderr=err)

    assert "1,000 of 1,000 rows" in err.getvalue()


# The page


@pytest.mark.parametrize("nul_in", ["name", "email", "header"])
def test_a_nul_character_in_any_field_refuses_the_file_naming_its_line(tmp_path, nul_in):
    lines = ["Name,Email", "Ann Able,ann@example.org", "Bo Nul,bo@example.org"]
    if nul_in == "header":
        lines[0] = "Name,E\x00mail"
    else:
        lines[2] = "Bo\x00 Nul,bo@example.org" if nul_in == "name" else "Bo Nul,bo@exa\x00mple.org"
    before = snapshot()

    with pytest.raises(CommandError, match="holds a NUL character") as refused:
        run(write(tmp_path, "\n".join(lines) + "\n"))

    assert f"Line {1 if nul_in == 'header' else 3} " in str(refused.value)
    assert snapshot() == before


def upload(client, text, *, date_format="iso", name="members.csv", encoding="utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post("/org/import/", {"file": file, "date_format": date_format})


def review_data(response, **changes):
    """The preview form's values, as the browser would send them back."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.update(changes)
    return data


def test_members_get_not_found_on_the_import_page(client, member):
    client.force_login(member)

    assert client.get("/org/import/").status_code == 404
    assert client.post("/org/import/", {"content": CLEAN, "step": "import"}).status_code == 404
    assert not Person.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/org/import/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_admin_previews_then_imports(client, admin, branches):
    client.force_login(admin)
    page = client.get("/org/import/")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    preview = upload(client, CLEAN)

    text = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview: nothing has been changed yet" in text
    assert "3 new people" in text
    assert "Northside 1" in text
    assert not Person.objects.exists()
    assert preview.context["form"]["column_1"].value() == "email"

    done = client.post("/org/import/", review_data(preview, step="import"), follow=True)

    assert done.redirect_chain == [("/org/import/", 302)]
    assert "Imported 3 rows: 3 new, 0 updated, 0 unchanged." in done.content.decode()
    assert Person.objects.count() == 3
    entry = Entry.objects.filter(action="org.person_created").latest("seq")
    assert (entry.actor_type, entry.actor_id) == ("accounts.user", admin.pk)  # an admin who is no person


def test_the_page_lists_the_problems_and_offers_no_import(client, admin, branches):
    client.force_login(admin)
    before = snapshot()

    preview = upload(client, CLEAN.replace("ana@example.org", "ana@").replace("eastgate", "Harbour"))

    text = preview.content.decode()
    assert "2 problems: nothing can be imported until they are fixed" in text
    assert "row 2, Email: &#x27;ana@&#x27; is not a valid email address" in text
    assert "row 3, Branch: &#x27;Harbour&#x27; is not a branch" in text
    assert 'value="import"' not in text
    assert snapshot() == before


def test_the_page_refuses_a_file_that_is_not_utf8(client, admin):
    client.force_login(admin)

    response = upload(client, "Name,Email\nJosé,jose@example.org\n", encoding="latin-1")

    assert "Save the file as CSV UTF-8" in response.content.decode()
    assert "form" not in response.context or response.context.get("upload_form") is not None


def test_the_page_refuses_a_nul_character_in_the_file_and_in_the_reviewed_content(client, admin):
    client.force_login(admin)
    before = snapshot()

    response = upload(client, "Name,Email\nBo\x00 Nul,bo@example.org\n")
    assert "Line 2 holds a NUL character" in response.content.decode()
    content = "Name,Email,Member number\nBo\x00 Nul,bo@example.org,7\n"
    response = client.post("/org/import/", {"content": content, "date_format": "iso", "step": "import"})
    assert response.status_code == 400
    assert "Line 2 holds a NUL character" in response.content.decode()
    assert snapshot() == before


def test_the_admin_changes_what_a_column_holds_and_checks_again(client, admin):
    client.force_login(admin)
    preview = upload(client, "Nom,Courriel\nAna Abara,ana@example.org\n")
    assert "No column holds the name" in preview.content.decode()

    again = client.post("/org/import/", review_data(preview, column_0="name", column_1="email", step="preview"))

    assert "1 new person" in again.content.decode()
    client.post("/org/import/", review_data(again, step="import"))
    assert Person.objects.get().email == "ana@example.org"


def test_a_confirmation_that_differs_from_the_preview_imports_nothing(client, admin, branches):
    client.force_login(admin)
    preview = upload(client, CLEAN)

    changed = client.post("/org/import/", review_data(preview, step="import", column_1=""))
    assert "changed since the preview" in changed.content.decode()
    tampered = client.post(
        "/org/import/", review_data(preview, step="import", content=CLEAN + "Eve Ek,eve@example.org,M-9,,,\n")
    )
    assert "changed since the preview" in tampered.content.decode()
    assert not Person.objects.exists()


def test_an_import_confirmed_after_the_organization_changed_shows_a_new_preview(client, admin, branches):
    client.force_login(admin)
    preview = upload(client, CLEAN)
    enrolled("Ana Abara", email="ana@example.org", member_number="M-001")

    response = client.post("/org/import/", review_data(preview, step="import"))

    text = response.content.decode()
    assert "Something changed in the organization since the preview" in text
    assert "2 new people" in text
    assert Person.objects.count() == 1


def test_the_page_sends_long_files_to_the_command_line(client, admin, monkeypatch):
    from rankfile.org import import_views

    monkeypatch.setattr(import_views, "PAGE_MAX_ROWS", 2)
    client.force_login(admin)

    response = upload(client, CLEAN)

    assert "This file has 3 rows; the page imports up to 2 at a time" in response.content.decode()
    assert "rankfile import_members" in response.content.decode()


def test_an_excel_separator_line_names_the_delimiter_and_is_not_a_row(tmp_path):
    text = "sep=;\nName;Email\nAbara, Ana;ana@example.org\nBen  Bakker;ben@\n"

    output, _ = run_refused(write(tmp_path, text))

    assert "row 3, Email: 'ben@' is not a valid email address" in output
    assert "Name -> name; Email -> email (delimiter ';')" in output


def test_a_row_with_more_cells_than_columns_and_a_shared_email_are_problems(tmp_path):
    enrolled("Ana Abara", email="team@example.org", member_number="M-1")
    enrolled("Ben Bakker", email="team@example.org", member_number="M-2")
    text = "Name,Email\nCleo Chen,cleo@example.org,extra\nAna Abara,team@example.org\n"

    output, _ = run_refused(write(tmp_path, text))

    assert "row 2: it has 3 cells, but row 1 names 2 columns" in output
    assert "row 3, Email: 2 people have the email address 'team@example.org'; add their member numbers" in output
