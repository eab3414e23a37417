"""Line-level body/chrome labels on invented pages from templates the seeds do not have.

Each fixture line starts with ``B `` (article content) or ``- `` (not content); the prefix
is stripped to rebuild the page. Blank fixture lines are blank page lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.clean import clean_lines

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


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_line_labelled_as_annotated(path: Path) -> None:
    text, gold = read_page(path)
    pred = predicted(text)
    assert set(pred) == set(gold), "every non-blank line belongs to exactly one block"
    wrong = {n: (gold[n], pred[n]) for n in gold if gold[n] != pred[n]}
    assert not wrong, f"lines (gold, predicted) differ: {wrong}"


def test_fixture_pages_exist() -> None:
    assert len(PAGES) >= 3
