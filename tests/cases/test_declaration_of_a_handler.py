"""A member of the handling body who read the report as its handler may still be proposed for the panel (the bylaws do
not keep them off it), and their declaration says truthfully that they have read it, never "before you see anything"."""

import pytest

from rankfile.cases.actions import panel
from rankfile.cases.actions.intake import report_content
from rankfile.cases.models import PanelRole
from tests.cases import casebuilders as cb
from tests.cases.helpers import signed_in

pytestmark = pytest.mark.django_db

READ_IT = "You have already read its report, as one of the people handling it"
NOTHING_SEEN = "Before you see anything of it"


def test_a_handler_who_read_the_report_is_told_so_when_declaring_and_one_who_did_not_is_not():
    org = cb.full_organization()
    case = cb.opened(org)
    dev, dora = org["dev"], org["dora"]
    report_content(report=case.reports.get(), key=dev.key, actor=dev.user, capacity="handler")
    for who in (dev, dora):
        panel.panelist_propose(case=case, person=who.person, role=PanelRole.DECISION_MAKER, by=org["dana"].user)
    read = signed_in(dev.user, dev.key).get(f"/cases/panel/{case.reference}/").content.decode()
    assert READ_IT in read
    assert NOTHING_SEEN not in read
    unread = signed_in(dora.user, dora.key).get(f"/cases/panel/{case.reference}/").content.decode()
    assert NOTHING_SEEN in unread
    assert READ_IT not in unread
