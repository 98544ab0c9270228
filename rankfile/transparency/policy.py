"""Who may draft, read and publish transparency reports.

- Drafting: the oversight body (seated today), and the command line.
- Reading a draft: the oversight body and the body that publishes it (seated today).
- Publishing: a recorder (chair, vice chair or secretary, seated today) of the body that publishes it, citing its
  carried vote; the command line. Never a site administrator by virtue of the role.
- Reading a published report: for members only, members in good standing, the oversight body, the publishing body
  and site administrators; a public one, anyone, signed in or not.
"""

from typing import Any

import rules
from django.utils import timezone

from rankfile.governance.policy import is_the_operator, records_for, sees_members_business
from rankfile.org import queries as org_queries
from rankfile.org.policy import watches_over
from rankfile.policy import rule_set
from rankfile.transparency.models import Audience, TransparencyReport


@rules.predicate
def sits_on_the_publisher(user: Any, report: TransparencyReport | None) -> bool:
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        org_queries.seats_on(body=report.publisher, day=timezone.localdate()).filter(person__user_id=user.pk).exists()
    )


@rules.predicate
def records_for_the_publisher(user: Any, report: TransparencyReport | None) -> bool:
    return report is not None and bool(records_for(user, [report.publisher]))


@rules.predicate
def is_published(user: Any, report: TransparencyReport | None) -> bool:
    return report is not None and report.is_published


@rules.predicate
def is_public(user: Any, report: TransparencyReport | None) -> bool:
    return report is not None and report.is_published and report.audience == Audience.PUBLIC


reviews_drafts = watches_over | sits_on_the_publisher

rule_set.add_rule("transparency.draft", watches_over | is_the_operator)
rule_set.add_rule("transparency.publish", ~is_published & (is_the_operator | records_for_the_publisher))
rule_set.add_rule(
    "transparency.view_report",
    is_public | (is_published & (sees_members_business | sits_on_the_publisher)) | (~is_published & reviews_drafts),
)
