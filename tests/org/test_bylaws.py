import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from rankfile.errors import InvalidInput, NotAllowed
from rankfile.ledger.actions import OPERATOR
from rankfile.ledger.models import Entry
from rankfile.org import actions, bylaws, queries
from rankfile.org.models import BylawsVersion
from tests.org.builders import body, enrolled

pytestmark = pytest.mark.django_db


def adopt(document=None, *, on=date(2024, 6, 1), vote="Convention 2024, motion 3"):
    return actions.bylaws_adopt(
        document=document or bylaws.defaults(), effective_from=on, adopted_by_vote=vote, by=OPERATOR
    )


def test_defaults_follow_common_practice():
    document = bylaws.defaults()
    assert document["deadlines"]["acknowledge_report"] == 3
    assert document["deadlines"]["respondent_response"] == 7
    assert document["deadlines"]["evidence_review"] == 10
    assert document["deadlines"]["appeal_window"] == 14
    assert document["panel"]["size"] == 3
    assert document["records"]["kept_years"] == 7


def test_the_version_in_force_on_a_date():
    assert queries.bylaws_in_force(day=date(2024, 1, 1)) is None
    assert queries.bylaws_document(day=date(2024, 1, 1)) == bylaws.defaults()
    first = adopt(on=date(2024, 6, 1))
    changed = bylaws.defaults()
    changed["deadlines"]["appeal_window"] = 21
    second = adopt(changed, on=date(2025, 1, 1), vote="Convention 2025, motion 8")
    assert queries.bylaws_in_force(day=date(2024, 5, 31)) is None
    assert queries.bylaws_in_force(day=date(2024, 6, 1)) == first
    assert queries.bylaws_in_force(day=date(2024, 12, 31)) == first
    assert queries.bylaws_in_force(day=date(2025, 1, 1)) == second
    assert queries.bylaws_document(day=date(2025, 2, 1))["deadlines"]["appeal_window"] == 21
    # Versions are never edited: the first still says what it said.
    first.refresh_from_db()
    assert first.document["deadlines"]["appeal_window"] == 14
    assert [v.number for v in BylawsVersion.objects.order_by("number")] == [1, 2]
    assert Entry.objects.filter(action="org.bylaws_adopted").count() == 2


def test_toml_round_trip():
    document = bylaws.defaults()
    assert bylaws.from_toml(bylaws.to_toml(document)) == document


def test_every_problem_is_reported_at_once():
    body("disciplinary-committee", kind="disciplinary")
    document = bylaws.defaults()
    document["roles"]["disciplinary"] = "disciplinary-committee"
    document["roles"]["appeals"] = "no-such-body"
    document["deadlines"]["appeal_window"] = 0
    document["panel"] = {"size": 3, "quorum": 5, "shared_body_lookback_years": 5}
    document["sanctions"].append({"code": "warning", "label": "Again"})
    document["sanctions"].append({"code": "expulsión", "label": "Not a code the ledger can hold"})
    document["sanctions"].append({"code": "x" * 41, "label": "Longer than a sanction's row keeps"})
    document["colour"] = "red"
    with pytest.raises(InvalidInput) as refused:
        adopt(document)
    problems = [str(p) for p in refused.value.field_errors["document"]]
    assert "roles.appeals: 'no-such-body' is not a body" in problems
    assert "deadlines.appeal_window: a number of days from 1 to 365" in problems
    assert "panel.quorum: cannot be larger than panel.size" in problems
    assert "sanctions[7].code: 'warning' appears twice" in problems
    assert "sanctions[8].code: a short lower-case word such as warning" in problems
    assert "sanctions[9].code: at most 40 characters" in problems
    assert "colour: not a part of the bylaws" in problems
    assert not BylawsVersion.objects.exists()


def test_not_toml_is_explained():
    with pytest.raises(InvalidInput, match="not valid TOML"):
        bylaws.from_toml("[roles\nx = ")


def test_a_vote_must_be_cited():
    with pytest.raises(InvalidInput):
        adopt(vote="  ")


def test_members_cannot_adopt_bylaws(member):
    with pytest.raises(NotAllowed):
        actions.bylaws_adopt(
            document=bylaws.defaults(), effective_from=date(2024, 1, 1), adopted_by_vote="x", by=member
        )


def test_bylaws_command_exports_and_adopts(tmp_path, capsys):
    call_command("bylaws", "export", "--defaults")
    exported = capsys.readouterr().out
    source = tmp_path / "bylaws.toml"
    source.write_text(exported.replace("appeal_window = 14", "appeal_window = 30"))
    call_command("bylaws", "adopt", str(source), "--effective", "2025-01-01", "--vote", "NC 2024-12, motion 2")
    assert "Adopted version 1" in capsys.readouterr().out
    call_command("bylaws", "show", "--on", "2025-06-01")
    assert "Version 1" in capsys.readouterr().out
    source.write_text("[deadlines]\nappeal_window = -1\n")
    with pytest.raises(CommandError, match="appeal_window"):
        call_command("bylaws", "adopt", str(source), "--effective", "2025-02-01", "--vote", "x")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("bylaws", "adopt", str(source), "--effective", "soon", "--vote", "x")


def test_bylaws_pages(client, admin, member):
    enrolled("Mo Member", user=member)
    adopt()
    client.force_login(member)
    page = client.get("/org/bylaws/").content.decode()
    assert "Version 1 is in force" in page
    assert "Adopted by: Convention 2024, motion 3." in page  # no recorded vote has this reference: shown as given
    assert "Adopt a new version" not in page
    assert client.get("/org/bylaws/adopt/").status_code == 404
    download = client.get("/org/bylaws/1/", {"format": "toml"})
    assert bylaws.from_toml(download.content.decode()) == bylaws.defaults()

    client.force_login(admin)
    form = client.get("/org/bylaws/adopt/").content.decode()
    assert "appeal_window = 14" in form
    bad = client.post(
        "/org/bylaws/adopt/",
        {"document": "[panel]\nsize = 0\n", "effective_from": "2025-01-01", "adopted_by_vote": "NC motion 4"},
    )
    assert "panel.size: a whole number from 1 to 15" in bad.content.decode()
    good = client.post(
        "/org/bylaws/adopt/",
        {
            "document": bylaws.to_toml(bylaws.defaults()),
            "effective_from": "2025-01-01",
            "adopted_by_vote": "NC motion 4",
        },
    )
    assert good.status_code == 302
    assert BylawsVersion.objects.count() == 2


def test_the_meetings_quorum_is_a_share_of_seats_from_0_to_100():
    from rankfile.errors import InvalidInput
    from rankfile.org import bylaws

    document = bylaws.defaults()
    assert document["meetings"] == {"quorum_percent": 0}  # a majority, unless the bylaws say otherwise
    document["meetings"]["quorum_percent"] = 40
    assert bylaws.check(document, body_slugs=set())["meetings"]["quorum_percent"] == 40
    document["meetings"]["quorum_percent"] = 101
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(document, body_slugs=set())
    assert "meetings.quorum_percent: a whole number from 0 to 100" in refused.value.field_errors["document"]


def test_support_contacts_are_a_name_and_how_to_reach_them_with_every_problem_named():
    body("womens-caucus", kind="caucus")
    document = bylaws.defaults()
    document["support_contacts"] = [
        {"name": " Ana Ruiz ", "reach": "ana@example.org", "body": "womens-caucus"},
        {"name": "Night line volunteer", "reach": "0700 000 000"},
        {"name": "", "reach": "someone@example.org"},
        {"name": "Bo", "reach": "x" * 201},
        {"name": "Cy", "reach": "cy@example.org", "body": "no-such-caucus"},
        {"name": "Di", "reach": "line one\nline two"},
        {"name": "Ed", "reach": "ed@example.org", "phone": "0700"},
        "Fay, fay@example.org",
    ]
    with pytest.raises(InvalidInput) as refused:
        adopt(document)
    problems = [str(p) for p in refused.value.field_errors["document"]]
    assert problems == [
        "support_contacts[3].name: who they are",
        "support_contacts[4].reach: at most 200 characters",
        "support_contacts[5].body: 'no-such-caucus' is not a body",
        "support_contacts[6].reach: how to reach them, e.g. an email address",
        "support_contacts[7]: a table with name, reach and, if they speak for one, body",
        "support_contacts[8]: a table with name, reach and, if they speak for one, body",
    ]
    document["support_contacts"] = document["support_contacts"][:2]
    version = adopt(document)
    assert version.document["support_contacts"] == [
        {"name": "Ana Ruiz", "reach": "ana@example.org", "body": "womens-caucus"},
        {"name": "Night line volunteer", "reach": "0700 000 000", "body": ""},
    ]
    assert bylaws.from_toml(bylaws.to_toml(version.document)) == version.document


def test_support_contacts_are_optional_and_a_list_of_at_most_fifty():
    assert bylaws.defaults()["support_contacts"] == []
    document = bylaws.defaults()
    document["support_contacts"] = [{"name": f"Person {n}", "reach": f"p{n}@example.org"} for n in range(51)]
    with pytest.raises(InvalidInput) as refused:
        adopt(document)
    assert refused.value.field_errors["document"] == ["support_contacts: a list of at most 50 contacts"]


def test_self_identification_categories_and_the_goals_that_count_them_are_checked():
    document: dict[str, Any] = {
        "self_identification": {
            "categories": [{"code": "poc", "label": "a person of color"}, {"code": "Bad Code", "label": "x"}],
            "minimum_count": 0,
        },
        "composition_goals": [
            {"body": "steering", "goal": "poc", "minimum_percent": 50, "binding": True},
            {"body": "steering", "goal": "astronauts", "minimum_percent": 50, "binding": "yes"},
        ],
    }
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(document, body_slugs={"steering"})
    problems = [str(p) for p in refused.value.field_errors["document"]]
    assert any(p.startswith("self_identification.categories[2]") for p in problems)
    assert any(p.startswith("self_identification.minimum_count") for p in problems)
    assert any(p.startswith("composition_goals[2].goal") for p in problems)
    assert any(p.startswith("composition_goals[2].binding") for p in problems)
    assert not any(p.startswith("composition_goals[1]") for p in problems)
    good = {**document, "self_identification": {"categories": document["self_identification"]["categories"][:1]}}
    good["composition_goals"] = document["composition_goals"][:1]
    checked = bylaws.check(good, body_slugs={"steering"})
    assert checked["self_identification"] == {
        "categories": [{"code": "poc", "label": "a person of color"}],
        "minimum_count": 5,
    }
    assert checked["composition_goals"][0]["binding"] is True


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('sanctions = [{code = ["warning"], label = "Warning"}]', "sanctions[1].code"),
        ('sanctions = [{code = {a = 1}, label = ["x"]}]', "sanctions[1].label"),
        ("composition_goals = [{body = [1], goal = {a = 1}, minimum_percent = 5}]", "composition_goals[1].body"),
        ('support_contacts = [{name = "Sam", reach = "sam@example.org", body = {a = 1}}]', "support_contacts[1].body"),
        ("roles = {disciplinary = [[1]]}", "roles.disciplinary"),
        ("roles = {disciplinary = " + "[" * 20 + "]" * 20 + "}", "roles.disciplinary"),
        ("sanctions = " + "[" * 5000 + "]" * 5000, "the bylaws"),  # deeper than tomllib's recursion reaches
    ],
)
def test_a_list_or_table_where_a_value_belongs_is_a_problem_naming_its_key(text, named):
    with pytest.raises(InvalidInput) as refused:
        bylaws.check(bylaws.from_toml(text), body_slugs={"board"})
    assert any(str(problem).startswith(f"{named}:") for problem in refused.value.field_errors["document"])


def test_the_command_and_the_page_refuse_a_list_where_a_value_belongs_with_its_key(tmp_path, client, admin):
    source = tmp_path / "bylaws.toml"
    source.write_text('sanctions = [{code = ["warning"], label = "Warning"}]\n')
    with pytest.raises(CommandError, match=r"sanctions\[1\]\.code"):
        call_command("bylaws", "adopt", str(source), "--effective", "2025-02-01", "--vote", "NC motion 4")
    client.force_login(admin)
    nested = "[roles]\ndisciplinary = " + "[" * 5000 + "]" * 5000 + "\n"
    response = client.post(
        "/org/bylaws/adopt/", {"document": nested, "effective_from": "2025-01-01", "adopted_by_vote": "NC motion 4"}
    )
    assert "the bylaws: lists or tables nested too deep" in response.content.decode()
    assert not BylawsVersion.objects.exists()


@pytest.mark.parametrize(
    "arguments", [["show", "--on", "2025-02-30"], ["adopt", "-", "--effective", "soon", "--vote", "x"]]
)
def test_an_impossible_date_is_said_by_the_command_without_a_traceback(arguments):
    result = subprocess.run(
        [sys.executable, "-m", "rankfile", "bylaws", *arguments], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "is not a date; write it as YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_bylaws_page_shows_the_version_in_force_on_a_date_and_downloads_it_or_the_defaults(client, member):
    enrolled("Mo Member", user=member)
    adopt(on=date(2024, 6, 1))
    later = bylaws.defaults()
    later["deadlines"]["appeal_window"] = 21
    adopt(later, on=date(2025, 6, 1), vote="Convention 2025, motion 8")
    client.force_login(member)
    before_any = client.get("/org/bylaws/", {"on": "2024-01-01"}).content.decode()
    assert "No bylaws had been adopted by" in before_any
    first = client.get("/org/bylaws/", {"on": "2024-12-31"}).content.decode()
    assert "version 1 was in force, since" in first
    assert "Convention 2024, motion 3" in first
    download = client.get("/org/bylaws/", {"on": "2025-07-01", "format": "toml"})
    assert download["Content-Disposition"] == 'attachment; filename="bylaws-v2.toml"'
    assert bylaws.from_toml(download.content.decode())["deadlines"]["appeal_window"] == 21
    defaults = client.get("/org/bylaws/", {"format": "defaults"})
    assert defaults["Content-Disposition"] == 'attachment; filename="bylaws-defaults.toml"'
    assert bylaws.from_toml(defaults.content.decode()) == bylaws.defaults()
    not_a_date = client.get("/org/bylaws/", {"on": "2025-02-30"}).content.decode()
    assert "Enter a valid date." in not_a_date
    assert "Version 2 is in force" in not_a_date


def test_the_bylaws_page_says_each_role_and_deadline_in_words_with_the_bodys_name(client, member):
    enrolled("Mo Member", user=member)
    oversight = body("oversight-commission", kind="oversight")
    document = bylaws.defaults()
    document["roles"]["oversight"] = oversight.slug
    adopt(document)
    client.force_login(member)
    page = client.get("/org/bylaws/").content.decode()
    roles = page[page.index('id="roles-heading"') : page.index('id="sanctions-heading"')]
    assert "<dt>Oversight: watches deadlines, overrides and the ledger</dt>" in roles
    assert f'<a href="/org/bodies/{oversight.slug}/">Oversight Commission</a>' in roles
    assert "<dt>To acknowledge a report</dt><dd>3</dd>" in roles
    for code in ("support_team", "Supportteam", "acknowledge_report", oversight.slug + "</a>"):
        assert code not in roles
    assert "<code>expulsion</code>" not in page
