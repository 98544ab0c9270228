"""The step table's next step: of the steps the process waits on, the most pressing one a person may take."""

from rankfile.cases import stages


def test_every_step_the_process_waits_on_is_a_step_of_the_table():
    assert set(stages.WAITED_ON) <= set(stages.BY_NAME)
    assert len(set(stages.WAITED_ON)) == len(stages.WAITED_ON)


def test_the_next_step_is_the_most_pressing_step_waited_on_and_never_one_merely_open():
    assert stages.next_step({"document", "redaction", "review_open", "recuse"}) == "review_open"
    assert stages.next_step({"propose", "seat", "withdrawal"}) == "withdrawal"
    assert stages.next_step({"notice_draft", "notice_give", "notice_delay"}) == "notice_give"
    assert stages.next_step({"appeal", "appeal_waive", "adviser", "challenge"}) == "appeal"
    assert stages.next_step({"document", "interim", "recuse"}) is None
    assert stages.next_step(set()) is None
