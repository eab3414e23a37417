"""Line-level body/chrome labels on invented pages from templates the seeds do not have.

Each fixture line starts with ``B `` (article content) or ``- `` (not content); the prefix
is stripped to rebuild the page. Blank fixture lines are blank page lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.ingest.clean import clean_lines

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.txt"))


def read_page(path: Path) -> tuple[str, dict[int, bool]]:
    lines, gold = [], {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        tag, text = raw[:2], raw[2:]
        lines.append(text)
        if text.strip():
            assert tag in {"B ", "- "}, f"{path.name}:{number} has no label"
            gold[number] = tag == "B "
    return "\n".join(lines), gold


def predicted(text: str) -> dict[int, bool]:
    return {
        line: b.is_body for b in clean_lines(text) for line in range(b.line_start, b.line_end + 1)
    }


# Pages the classifier still gets wrong, and why: each must fail until it is fixed.
KNOWN_MISSES = {
    "rt": "a teaser headline touching the menu above the real headline is taken for it; "
    "'Watch RT's report:' above a video that the copy lost reads as a menu line",
}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN_MISSES[p.stem]))
        if p.stem in KNOWN_MISSES
        else p
        for p in PAGES
    ],
    ids=lambda p: p.stem,
)
def test_every_line_labelled_as_annotated(path: Path) -> None:
    text, gold = read_page(path)
    pred = predicted(text)
    assert set(pred) == set(gold), "every non-blank line belongs to exactly one block"
    wrong = {n: (gold[n], pred[n]) for n in gold if gold[n] != pred[n]}
    assert not wrong, f"lines (gold, predicted) differ: {wrong}"


def test_body_line_f1_over_all_pages_meets_the_target() -> None:
    """The foundation issue's target, on every page together: body-line F1 >= 0.98."""
    tp = fp = fn = 0
    for path in PAGES:
        text, gold = read_page(path)
        pred = predicted(text)
        tp += sum(gold[n] and pred[n] for n in gold)
        fp += sum(pred[n] and not gold[n] for n in gold)
        fn += sum(gold[n] and not pred[n] for n in gold)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.98, f"body-line F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"


def test_fixture_pages_exist() -> None:
    assert len(PAGES) >= 16
