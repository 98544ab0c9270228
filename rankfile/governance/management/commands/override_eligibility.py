from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rankfile.errors import RankfileError
from rankfile.governance import seating
from rankfile.ledger.actions import OPERATOR
from rankfile.org import eligibility
from rankfile.org.models import Body, Person


class Command(BaseCommand):
    help = (
        "Override the eligibility check for one person and one body, citing a carried vote of the body the bylaws "
        "empower on a motion about them (as recorders do on the meeting page). Flagged to the oversight body."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", type=int, help="the person's number in the directory (/org/people/NUMBER/)")
        parser.add_argument("body", help="the body's short name (slug), e.g. steering-committee")
        parser.add_argument("vote", help="the carried vote's reference, e.g. CONV-2026-M3")

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(pk=options["person"]).first()
        if person is None:
            raise CommandError(f"No person has the number {options['person']}.")
        body = Body.objects.filter(slug=options["body"]).first()
        if body is None:
            raise CommandError(f"No body has the short name {options['body']!r}.")
        try:
            override = seating.eligibility_override_by_vote(
                vote_reference=options["vote"], person=person, body=body, by=OPERATOR
            )
        except RankfileError as exc:
            raise CommandError(f"Refused ({exc.code}): {exc.message}") from None
        said = eligibility.reason_in_words(override.reason_code, on_date=timezone.localdate(override.created_at))
        self.stdout.write(
            f"Recorded: {person.name} may be seated on {body.name} by vote {override.vote_reference}, although the "
            f"check said: {said} "
            "The oversight body sees it under flagged entries."
        )
