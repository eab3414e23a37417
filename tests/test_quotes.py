"""Quote spans from marks alone: the cases reposted text throws at us."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from helpers.annotate.quote_marks import find_quote_spans


def quoted(text: str) -> list[str]:
    return [s.text(text) for s in find_quote_spans(text)]


def test_curly_straight_and_split_quotes() -> None:
    text = '“ISIS commanders told us,” he said, “and they reassured us.” "Fine," she said.'
    assert quoted(text) == ["ISIS commanders told us,", "and they reassured us.", "Fine,"]


def test_paragraph_that_lost_its_opening_mark() -> None:
    text = "I rarely heard them speak in Arabic. IS guys were serious.”"
    spans = find_quote_spans(text)
    assert [s.text(text) for s in spans] == [
        "I rarely heard them speak in Arabic. IS guys were serious."
    ]
    assert spans[0].missing_open


def test_lost_opening_mark_after_a_quote_starts_at_the_next_sentence() -> None:
    text = "“We came,” he said. He was tired. We left at night.”"
    assert quoted(text) == ["We came,", "We left at night."]


def test_quote_that_runs_into_the_next_paragraph() -> None:
    spans = find_quote_spans("He said: “We crossed the border at night.")
    assert (
        spans[0].unclosed
        and spans[0].text("He said: “We crossed the border at night.")
        == "We crossed the border at night."
    )


def test_single_quotes_are_not_apostrophes() -> None:
    text = (
        "Turkey’s role in the so-called ‘safe zone’ and the soldiers’ posts; "
        "they 'rejected all attempts' to act."
    )
    assert quoted(text) == ["safe zone", "rejected all attempts"]


def test_a_single_quote_left_open_is_unclosed_and_apostrophes_close_nothing() -> None:
    text = "She went on: ‘We’ve packed the car. My brother’s boots are on the stairs."
    spans = find_quote_spans(text)
    assert [(s.text(text), s.unclosed) for s in spans] == [
        ("We’ve packed the car. My brother’s boots are on the stairs.", True)
    ]
    assert [s.unclosed for s in find_quote_spans("Six ‘terrorists’ were killed.")] == [False]


def test_single_quotes_nested_in_a_double_quote_belong_to_it() -> None:
    text = "“They call it ‘the safe zone’ but it is not,” he said."
    assert quoted(text) == ["They call it ‘the safe zone’ but it is not,"]


@given(st.text(alphabet="ab “”‘’\"'., \n", max_size=60))
def test_spans_are_ordered_and_inside_the_text(text: str) -> None:
    spans = find_quote_spans(text)
    assert all(0 <= s.start <= s.end <= len(text) for s in spans)
    assert [s.start for s in spans] == sorted(s.start for s in spans)
