"""What an outsider gets for something they may not see: exactly what they would get if it did not exist."""

from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOGIN = "/accounts/login/"


def assert_hidden(response: "Response", *, missing: "Response | None" = None) -> None:
    """ "Not found" (the same page as ``missing``, when given); for a signed-out visitor opening a page, the sign-in
    page that brings them back, which they get whether or not the thing exists."""
    request = response.wsgi_request
    if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
        assert response.status_code == 302, (request.get_full_path(), response.status_code)
        assert response["Location"] == f"{LOGIN}?next={quote(request.get_full_path(), safe='/')}"
        return
    assert response.status_code == 404, (request.get_full_path(), response.status_code)
    if missing is not None:
        assert response.content.decode().count("Not found") == missing.content.decode().count("Not found")
