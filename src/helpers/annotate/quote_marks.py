"""Quotation spans in one paragraph of text, from the quote marks alone.

Handles curly and straight double marks, single marks (told apart from apostrophes),
split quotes ("…,” he said, “…”), a paragraph whose opening mark was lost in copying (it
closes but never opens: the quote starts at the paragraph start, or after an earlier quote
at the start of its own sentence), and a
paragraph that opens a quote it does not close (a multi-paragraph quote). Single-mark
quotes inside a double-mark quote are nested and belong to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SENTENCE_START = re.compile(r"[.!?…][\"”’)]*\s+(?=[A-Z“‘\"'])")


@dataclass(frozen=True)
class QuoteSpan:
    """Offsets of the quoted words (marks excluded) within the paragraph."""

    start: int
    end: int
    missing_open: bool = False  # closes but never opened: the mark was lost
    unclosed: bool = False  # opens but does not close: continues in the next paragraph
    single: bool = False  # single quotation marks

    def text(self, paragraph: str) -> str:
        return paragraph[self.start : self.end]


def _opens(text: str, i: int) -> bool:
    """A straight mark at ``i`` opens when it follows a space, a bracket or the start."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-:/"


def _recover_start(text: str, limit: int, close: int) -> int:
    """Where a quote that lost its opening mark begins: the paragraph start, or after a
    quote earlier in the paragraph, the start of the sentence that closes."""
    if limit == 0:
        return 0
    starts = [m.end() for m in _SENTENCE_START.finditer(text, limit, close)]
    return starts[-1] if starts else limit  # the nearest sentence: claim no narration


def _double_spans(text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    last_end = 0
    for i, ch in enumerate(text):
        straight = ch == '"'
        if ch in _DOUBLE_OPEN or (straight and open_at is None and _opens(text, i)):
            if open_at is None:
                open_at = i + 1
            continue
        if ch in _DOUBLE_CLOSE or straight:
            if open_at is not None:
                spans.append(QuoteSpan(open_at, i))
            else:
                start = _recover_start(text, last_end, i)
                spans.append(QuoteSpan(start, i, missing_open=True))
            open_at = None
            last_end = i + 1
    if open_at is not None and text[open_at:].strip():
        spans.append(QuoteSpan(open_at, len(text.rstrip()), unclosed=True))
    return [s for s in spans if text[s.start : s.end].strip()]


_SINGLE_PAIR = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–:]))([‘'])(?=\w)(.+?)(?<=[\w.,!?…])[’'](?!\w)")
# A curly opening mark before a capital that nothing closes: speech that runs on into the
# next paragraph (British style, ‘We buried him …). Apostrophes (“We’ve”) close nothing.
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–:]))‘(?=[A-Z])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?…])’(?!\w)")


def _single_spans(text: str, inside: list[QuoteSpan]) -> list[QuoteSpan]:
    """‘…’ and '…' pairs that are not apostrophes and not nested in a double quote, and a
    last ‘ that the paragraph leaves open."""
    spans = []
    for match in _SINGLE_PAIR.finditer(text):
        start, end = match.start(2), match.end(2)
        if any(s.start <= start < s.end for s in inside):
            continue
        spans.append(QuoteSpan(start, end, single=True))
    taken = [(s.start - 1, s.end + 1) for s in spans]
    for match in _SINGLE_OPEN.finditer(text):
        at = match.end()
        if any(a <= match.start() <= b for a, b in taken) or any(
            s.start <= at < s.end for s in inside
        ):
            continue
        if not _SINGLE_CLOSE.search(text, at) and text[at:].strip():
            spans.append(QuoteSpan(at, len(text.rstrip()), unclosed=True, single=True))
        break  # only the paragraph's first open mark can run on
    return spans


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in a paragraph, in order."""
    doubles = _double_spans(text)
    return sorted(doubles + _single_spans(text, doubles), key=lambda s: s.start)
