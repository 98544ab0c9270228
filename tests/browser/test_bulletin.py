"""The members' bulletin in a real browser on a phone: a member writes a contribution, and another reads an issue
with long links, code and a table. Every page fits a 390 px screen and passes axe."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from rankfile.voice import bulletin
from rankfile.voice.bulletin_models import Contribution
from tests.browser.helpers import sign_in
from tests.browser.test_reporting import can_sign_in, email_of, sign_in_with_totp
from tests.cases import casebuilders as cb
from tests.voice.helpers import bulletin_editors_named

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WIDE = """Members asked for this at the convention; the minutes are at
https://example.org/convention/2026/minutes/the-whole-of-the-second-day-with-every-motion-and-amendment-recorded.

- dues stay as they are;
- the accounts are published each quarter.

```
a_line_of_code_that_is_much_longer_than_any_phone_is_wide = "and it goes on, and on, and on, and on"
```

| Quarter | Income | Spent on organizing | Spent on staff |
|---|---|---|---|
| First | 12,400 | 7,900 | 3,100 |
"""


def _on_phone(new_page, a11y, live_server, who: cb.Member) -> Page:
    page = new_page()
    page.set_viewport_size(PHONE)
    if Authenticator.objects.filter(user=who.user).exists():
        sign_in_with_totp(page, a11y, base_url=live_server.url, who=who)
    else:
        sign_in(page, a11y, base_url=live_server.url, email=email_of(who))
    return page


def _checked(page: Page, a11y) -> None:
    a11y.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_members_write_for_and_read_the_bulletin_on_their_phones(live_server, new_page, a11y):
    org = cb.full_organization()
    bulletin_editors_named()
    published = bulletin.contribution_submit(title="On our budget", body=WIDE, by=org["sam"].user)
    bulletin.contribution_accept(contribution=published, by=org["lee"].user)
    bulletin.issue_publish(by=org["lee"].user)

    rae = _on_phone(new_page, a11y, live_server, can_sign_in(org["rae"]))
    rae.goto(live_server.url + "/voice/")
    _checked(rae, a11y)
    rae.get_by_role("link", name="The members' bulletin").click()
    rae.wait_for_url("**/voice/bulletin/")
    _checked(rae, a11y)
    rae.get_by_role("link", name="Write for the bulletin").click()
    rae.wait_for_url("**/voice/bulletin/contribute/")
    _checked(rae, a11y)
    rae.get_by_label("Title").fill("On caucuses")
    rae.get_by_label("Your contribution").fill("Caucuses need **no** permission.")
    rae.get_by_role("button", name="Send to the editors").click()
    expect(rae.get_by_role("heading", name="On caucuses", level=1)).to_be_visible()
    _checked(rae, a11y)
    assert Contribution.objects.filter(title="On caucuses", author=org["rae"].person).exists()

    rae.goto(live_server.url + "/voice/bulletin/")
    rae.get_by_role("link", name="Issue 1").click()
    rae.wait_for_url("**/voice/bulletin/issues/1/")
    expect(rae.get_by_role("heading", name="On our budget", level=2)).to_be_visible()
    _checked(rae, a11y)
