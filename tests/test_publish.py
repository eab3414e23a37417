"""Notebooks and the report are made again only when what they are made from changed."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers.__main__ import main
from helpers.build.cache import STAMP
from helpers.publish.notebooks import run_notebooks
from helpers.publish.stamps import digest, stamp_path


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    path = tmp_path / "01-tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_notebook_runs_once_until_its_cells_or_tables_change(
    notebook: Path, tmp_path: Path
) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / STAMP).write_text("first build")
    assert run_notebooks([notebook], processed_dir=tables) == [notebook]
    assert nbformat.read(notebook, as_version=4).cells[0].outputs[0]["text"] == "42\n"
    assert stamp_path(notebook).exists()
    assert run_notebooks([notebook], processed_dir=tables) == []  # unchanged: not run

    (tables / STAMP).write_text("another build")
    assert run_notebooks([notebook], processed_dir=tables) == [notebook]

    nb = nbformat.read(notebook, as_version=4)
    nb.cells[0].source = "print(6 * 9)"
    nbformat.write(nb, notebook)
    assert run_notebooks([notebook], processed_dir=tables) == [notebook]
    assert nbformat.read(notebook, as_version=4).cells[0].outputs[0]["text"] == "54\n"
    assert run_notebooks([notebook], processed_dir=tables, force=True) == [notebook]


def test_running_a_notebook_does_not_change_what_it_depends_on(
    notebook: Path, tmp_path: Path
) -> None:
    run_notebooks([notebook], processed_dir=tmp_path)
    # its outputs changed on disk, its inputs did not
    assert run_notebooks([notebook], processed_dir=tmp_path) == []


def test_the_report_is_written_again_only_when_its_inputs_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    first = out.stat().st_mtime_ns
    assert main(["report", "--out", str(out)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert out.stat().st_mtime_ns == first
    stamp_path(out).write_text("made from something else")
    assert main(["report", "--out", str(out)]) == 0
    assert "report ->" in capsys.readouterr().out


def test_digest_parts_are_delimited() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("ab", "c") == digest("ab", "c")
