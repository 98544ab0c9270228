"""A choice of one thing on the case pages says what to do in its empty option, never Django's "---------"."""

from rankfile.cases.models import CaseDocument, PanelMember
from rankfile.cases.workspace_forms import ChallengeForm, RedactionForm


def test_the_empty_option_says_choose_one():
    forms = (
        RedactionForm(documents=CaseDocument.objects.none()),
        ChallengeForm(members=PanelMember.objects.none()),
    )
    for form in forms:
        rendered = str(form)
        assert "Choose one" in rendered
        assert "---------" not in rendered
