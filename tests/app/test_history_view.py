"""How a record's history reads: the part of a long text that changed, labels not codes."""

from forumdash.ui.practice import ACTIONS, _changed_part


def test_a_sentence_added_to_a_long_summary_is_visible_in_the_history():
    before = "An electronic service for registering newborns and their residence. " * 4
    after = before + "It now also covers changes of address."
    old, new = _changed_part("summary", before, after)
    assert "It now also covers changes of address." in new
    assert old != new and len(old) < len(before)


def test_a_change_in_the_middle_shows_its_context_and_short_values_stay_whole():
    before = "x" * 300 + " newborns " + "y" * 300
    old, new = _changed_part("summary", before, before.replace("newborns", "babies"))
    assert "newborns" in old and "babies" in new and old.startswith("…") and new.endswith("…")
    assert _changed_part("stage", "implementing", "evaluating") == ("Implementing", "Evaluating")
    assert ACTIONS["rejected"] == "Sent back"
