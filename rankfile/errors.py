"""Domain errors. Actions raise them; the web middleware and the API turn them into a clear page or an
RFC 9457 problem document, never a 500 and never a stack trace.

Each error carries a stable ``code`` (for the API, the CLI and tests) and a ``message`` meant for the person
who caused it: it says what to fix.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RankfileError(Exception):
    """Base of every domain error."""

    status = 400
    code = "error"
    title: str | Promise = _("Something needs your attention")
    # Set when a hold of a final decision or an interim measure refused the change: (the person's id, what was
    # attempted), so that the refusal is recorded, flagged, once the refused transaction has rolled back.
    held: tuple[int, str] | None = None
    # What was attempted, in words, for the oversight body's email ("a seat on the Steering Committee"); when empty,
    # the attempt's code in words.
    held_words: str = ""

    def __init__(self, message: str | Promise | None = None, *, code: str | None = None) -> None:
        self.message = message if message is not None else self.title
        if code is not None:
            self.code = code
        super().__init__(str(self.message))


class NotAllowed(RankfileError):
    """The actor may not see or do this. Shown exactly like "not found" (DESIGN.md invariant 11)."""

    status = 404
    code = "not_found"
    title = _("Not found")

    def __init__(self, message: str | Promise | None = None, *, code: str | None = None) -> None:
        # The message is for logs and tests only; people without access see the generic "not found".
        super().__init__(message, code=code)


class InvalidInput(RankfileError):
    """The request cannot be carried out as given; ``field_errors`` name each field to fix."""

    status = 400
    code = "invalid_input"
    title = _("Please check what you entered")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        field_errors: Mapping[str, Sequence[str | Promise]] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.field_errors = dict(field_errors or {})

    def apply_to(self, form: Any) -> None:
        """Show the problems on a Django form: each by its field, the rest above the form."""
        for field, messages in self.field_errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, str(message))
        if not self.field_errors:
            # A refusal by a hold is not a mistake in the form: nothing in it can fix that (the summary says so).
            code = "refused" if self.held is not None else None
            form.add_error(None, ValidationError(str(self.message), code=code))


class Ineligible(RankfileError):
    """A person may not take a seat; the code says why without revealing any case detail."""

    status = 409
    code = "ineligible"
    title = _("This person cannot take this seat")


class DeadlinePassed(RankfileError):
    """The step's deadline has passed."""

    status = 409
    code = "deadline_passed"
    title = _("The deadline for this step has passed")


class Conflict(RankfileError):
    """The thing changed or was used up since it was read (a used invitation, a stale form)."""

    status = 409
    code = "conflict"
    title = _("This can no longer be done")


class MfaRequired(RankfileError):
    """The role this person holds needs two-factor authentication before they may continue."""

    status = 403
    code = "mfa_required"
    title = _("Two-factor authentication is required")


class Held(InvalidInput):
    """The change would undo what a final decision (or an interim measure, while it lasts) holds in place. Only an
    appeal decision, an override or a re-admission, each citing a carried vote, changes it (DESIGN.md invariant 8)."""

    status = 409
    code = "held_by_decision"
    title = _("A final decision holds this in place")
