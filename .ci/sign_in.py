"""Sign in to a running Rankfile as a person would: open the sign-in page, send its form with the CSRF token, and
check that the start page now greets a signed-in person. Standard library only.

usage: python3 .ci/sign_in.py BASE_URL EMAIL PASSWORD EXPECTED_ORG_NAME
"""

import html
import re
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy


def main(base_url: str, email: str, password: str, org_name: str) -> None:
    # Browsers count plain http to the loopback address as secure, and send Secure cookies there; so does this.
    jar = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{base_url}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        sys.exit("the sign-in page has no CSRF token")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "login": email, "password": password})
    request = urllib.request.Request(
        f"{base_url}/accounts/login/",
        data=form.encode(),
        headers={"Referer": f"{base_url}/accounts/login/", "Content-Type": "application/x-www-form-urlencoded"},
    )
    home = html.unescape(browser.open(request, timeout=60).read().decode())
    if "Sign out" not in home:
        sys.exit(f"signing in as {email} did not work: no 'Sign out' on the page that followed")
    if org_name not in home:
        sys.exit(f"the start page does not name the organization {org_name!r}")
    print(f"signed in as {email} at {base_url}; the start page names {org_name}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
