"""The bulletin's pages: a member writes, an editor proposes an edit, the author accepts it, the editor accepts the
contribution and publishes the issue, and the members read it as a page, an Atom feed and a PDF. Hostile Markdown
reaches nobody as HTML; someone who may not read a contribution finds nothing there."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client

from rankfile.voice import bulletin
from rankfile.voice.bulletin_models import BulletinIssue, Contribution
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in
from tests.voice.helpers import bulletin_editors_named, site_admin

pytestmark = pytest.mark.django_db
CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # masked afresh in every response

HOSTILE = """# Read me

<script>alert("x")</script>

[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<img src="https://tracker.example/pixel.png" onerror="alert(2)">

![a picture](https://tracker.example/pixel.png)

[the agenda](https://example.org/agenda)
"""


def _published(org: cb.Org, body: str = "We should *publish* it.") -> BulletinIssue:
    contribution = bulletin.contribution_submit(title="On our budget", body=body, by=org["rae"].user)
    bulletin.contribution_accept(contribution=contribution, by=org["lee"].user)
    return bulletin.issue_publish(by=org["lee"].user)


def test_a_contribution_is_written_edited_with_the_authors_agreement_accepted_and_published():
    org = cb.full_organization()
    bulletin_editors_named()
    rae, lee = signed_in(org["rae"].user, org["rae"].key), signed_in(org["lee"].user, org["lee"].key)
    assert "Write for the bulletin" in rae.get("/voice/bulletin/").content.decode()
    answer = rae.post("/voice/bulletin/contribute/", {"title": "On our budget", "body": "We should publish it!"})
    contribution = Contribution.objects.get()
    page = f"/voice/bulletin/contributions/{contribution.pk}/"
    assert answer["Location"] == page

    assert "Waiting for review" in lee.get("/voice/bulletin/").content.decode()
    form = lee.get(page + "edit/")
    assert "We should publish it!" in form.content.decode()
    assert lee.post(page + "edit/", {"title": "On the budget", "body": "We should publish it."}).status_code == 302
    shown = rae.get(page).content.decode()
    assert "Accept the edit" in shown
    assert "<h1>On our budget</h1>" in shown  # the author's text until they agree
    rae.post(page + "edit/accept/")
    assert "<h1>On the budget</h1>" in rae.get(page).content.decode()

    lee.post(page + "accept/")
    answer = lee.post("/voice/bulletin/publish/")
    assert answer["Location"] == "/voice/bulletin/issues/1/"
    dora = signed_in(org["dora"].user, org["dora"].key)
    issue = dora.get("/voice/bulletin/issues/1/").content.decode()
    assert "On the budget" in issue
    assert "By Rae Reporter" in issue
    assert "Issue 1" in dora.get("/voice/bulletin/").content.decode()


def test_a_rejection_without_a_reason_is_refused_on_the_page_and_the_reason_is_shown_to_the_author():
    org = cb.full_organization()
    bulletin_editors_named()
    contribution = bulletin.contribution_submit(title="On our budget", body="Text.", by=org["rae"].user)
    lee = signed_in(org["lee"].user, org["lee"].key)
    page = f"/voice/bulletin/contributions/{contribution.pk}/"
    refused = lee.post(page + "reject/", {"reason": ""})
    assert refused.status_code == 400
    assert "Why the contribution is rejected" in refused.content.decode()
    lee.post(page + "reject/", {"reason": "It repeats last month's."})
    for name in ("rae", "olu"):
        shown = signed_in(org[name].user, org[name].key).get(page).content.decode()
        assert "It repeats last month&#x27;s." in shown, name
    assert signed_in(org["dora"].user, org["dora"].key).get(page).status_code == 404


class _Tags(HTMLParser):
    """Every element and its attributes, as a browser would build them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


def _assert_harmless(html: str) -> None:
    tags = _tags(html)
    assert not [tag for tag, _attrs in tags if tag in {"script", "img", "iframe", "style", "object"}]
    assert not [name for _tag, attrs in tags for name in attrs if name.startswith("on")]
    links = [attrs for tag, attrs in tags if tag == "a" and "href" in attrs and not attrs["href"].startswith("#")]
    assert [attrs["href"] for attrs in links if attrs["href"].startswith("https://example.org")] == [
        "https://example.org/agenda"
    ]
    for attrs in links:
        assert not attrs["href"].startswith(("javascript:", "data:")), attrs
    outside = [attrs for attrs in links if attrs["href"] == "https://example.org/agenda"]
    assert {"nofollow", "noopener"} <= set(outside[0]["rel"].split())
    assert "tracker.example" not in " ".join(v for _tag, attrs in tags for v in attrs.values())


def test_hostile_markdown_reaches_nobody_as_html():
    org = cb.full_organization()
    bulletin_editors_named()
    _published(org, body=HOSTILE)
    dora = signed_in(org["dora"].user, org["dora"].key)
    page = dora.get("/voice/bulletin/issues/1/").content.decode()
    _assert_harmless(page[page.index("<main") : page.index("</main>")])
    assert "&lt;script&gt;" in page  # raw HTML is shown as the text it is
    feed = dora.get("/voice/bulletin/feed/").content.decode()
    [summary] = re.findall(r"<summary type=\"html\">(.*?)</summary>", feed, re.S)
    _assert_harmless(unescape(summary))


def test_the_feed_is_atom_for_signed_in_readers_only():
    org = cb.full_organization()
    bulletin_editors_named()
    _published(org)
    feed = signed_in(org["dora"].user).get("/voice/bulletin/feed/")
    assert feed["Content-Type"] == "application/atom+xml; charset=utf-8"
    text = feed.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in text
    assert "<title>On our budget</title>" in text
    assert "<name>Rae Reporter</name>" in text
    signed_out = Client().get("/voice/bulletin/feed/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")
    assert signed_in(site_admin().user).get("/voice/bulletin/feed/").status_code == 404


def test_an_issue_prints_as_a_pdf():
    org = cb.full_organization()
    bulletin_editors_named()
    _published(org)
    answer = signed_in(org["dora"].user).get("/voice/bulletin/issues/1.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_the_page_says_who_must_name_the_editors_while_none_are_named():
    org = cb.full_organization()
    page = signed_in(org["rae"].user).get("/voice/bulletin/").content.decode()
    assert "No editors are named yet. The bylaws must name the body whose members edit the bulletin" in page


def test_someone_who_may_not_read_a_contribution_finds_what_a_made_up_one_shows():
    org = cb.full_organization()
    bulletin_editors_named()
    contribution = bulletin.contribution_submit(title="On our budget", body="Text.", by=org["rae"].user)
    dora = signed_in(org["dora"].user)
    real = dora.get(f"/voice/bulletin/contributions/{contribution.pk}/")
    missing = dora.get("/voice/bulletin/contributions/987654/")
    assert (real.status_code, missing.status_code) == (404, 404)
    assert CSRF.sub("", real.content.decode()) == CSRF.sub("", missing.content.decode())


def test_the_voice_page_links_the_bulletin_for_its_readers_only():
    org = cb.full_organization()
    assert "/voice/bulletin/" in signed_in(org["rae"].user).get("/voice/").content.decode()
    assert "/voice/bulletin/" not in signed_in(site_admin().user).get("/voice/").content.decode()
