"""Email, the one way: plain-text templates rendered without HTML escaping, the organization's name in the subject,
sent only after the transaction commits (an action that rolls back tells nobody).

Each message is two templates, ``<name>_subject.txt`` and ``<name>_message.txt``, found in the apps' template
folders by the "email" engine of settings.TEMPLATES (autoescape off). Every template gets ``org_name`` and
``base_url`` besides its own context. Messages about a matter carry no content: a sentence and a link."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import engines


def render(name: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of the message ``name`` (e.g. "cases/email/to_party")."""
    engine = engines["email"]
    full = {"org_name": settings.ORG_NAME, "base_url": settings.BASE_URL, **context}
    subject = " ".join(engine.get_template(f"{name}_subject.txt").render(full).split())
    body = engine.get_template(f"{name}_message.txt").render(full).strip() + "\n"
    return f"[{settings.ORG_NAME}] {subject}", body


def send(name: str, context: Mapping[str, Any], recipients: Iterable[str]) -> int:
    """Render now, send after the commit: one message to each address, so that nobody learns who else was told.
    Returns how many addresses there were (blank ones are dropped)."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return 0
    subject, body = render(name, context)

    def deliver() -> None:
        for address in addresses:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])

    transaction.on_commit(deliver)
    return len(addresses)
