"""Execute the numbered notebooks in order, in place, with the project's kernel."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.paths import NOTEBOOKS_DIR


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def run_notebooks(paths: list[Path] | None = None, timeout: int = 600) -> None:
    """Run every cell of each notebook and save the outputs (what strict nbval checks)."""
    for path in paths or notebook_paths():
        print(f"running {path.name}", file=sys.stderr)
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:  # timestamps would make every re-run a diff
            cell.metadata.pop("execution", None)
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        nbformat.write(nb, path)
