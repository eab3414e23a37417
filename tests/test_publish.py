"""Notebooks and the report are made again only when what they are made from changed."""

from __future__ import annotations

import argparse
import re
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest

from helpers.__main__ import main, make_parser
from helpers.analysis.tables import load_tables
from helpers.build.cache import STAMP
from helpers.paths import PROCESSED_DIR, PROJ_ROOT
from helpers.publish.notebooks import run_copies, run_notebooks
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


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    return path


def test_copies_get_their_tables_and_figures_folder_and_a_failure_is_kept(
    tmp_path: Path,
) -> None:
    good = _notebook(
        tmp_path / "01-good.ipynb",
        "TABLES_DIR = None\nFIGURES_DIR = None",
        "from pathlib import Path\nPath(FIGURES_DIR, 'seen.txt').write_text(str(TABLES_DIR))",
    )
    bad = _notebook(tmp_path / "02-bad.ipynb", "TABLES_DIR = None\nFIGURES_DIR = None", "1 / 0")
    before = good.read_bytes()
    errors = run_copies(tmp_path / "tables", tmp_path / "out", [good, bad])
    assert errors == {"01-good.ipynb": "", "02-bad.ipynb": "ZeroDivisionError: division by zero"}
    assert (tmp_path / "out" / "figures" / "seen.txt").read_text() == str(tmp_path / "tables")
    saved = nbformat.read(tmp_path / "out" / "notebooks" / "02-bad.ipynb", as_version=4)
    outputs = [o for c in saved.cells for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ZeroDivisionError" for o in outputs)
    assert good.read_bytes() == before  # the original is never executed in place


def test_copies_never_go_into_the_project_s_own_folders() -> None:
    with pytest.raises(ValueError, match="project's own"):
        run_copies(PROCESSED_DIR, PROJ_ROOT, [])


def test_tables_of_another_folder_are_never_built_there(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="build them first"):
        load_tables(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_running_notebooks_says_how_many_cells_and_how_long(
    notebook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = nbformat.read(notebook, as_version=4)
    nb.cells += [nbformat.v4.new_markdown_cell("# prose"), nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, notebook)
    run_notebooks([notebook], processed_dir=tmp_path)
    err = capsys.readouterr().err
    assert "01-tiny.ipynb: 100%" in err and "2/2" in err  # the bar counts the code cells
    assert re.search(r"01-tiny\.ipynb: 2 code cells in \d+\.\d s", err), err
    assert "TCP" not in err and "encryption" not in err


def test_the_report_says_each_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--out", str(tmp_path / "report.html"), "--force"]) == 0
    err = capsys.readouterr().err
    assert "report: findings from the tables" in err
    assert re.search(r"report: figure 1 of \d+: ", err), err


def test_every_argument_has_help_and_shows_its_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = make_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {"build", "study", "report", "bench", "schema", "notebooks"}
    parsers = list(commands.choices.items())
    while parsers:  # subcommands, and theirs ("study init")
        name, sub = parsers.pop()
        assert sub.formatter_class is argparse.ArgumentDefaultsHelpFormatter, name
        missing = [a.dest for a in sub._actions if not a.help]
        assert missing == [], name
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += [(f"{name} {n}", p) for n, p in action.choices.items()]
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    assert "folder the tables are written to (default:" in text
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"python -m helpers {version('helpers')}"
