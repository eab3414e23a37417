"""Execute the numbered notebooks in order, in place, with the project's kernel; a notebook
whose cells, tables and kit are unchanged since it last ran is not run again."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from helpers.paths import FIGURES_DIR, NOTEBOOKS_DIR, PROCESSED_DIR
from helpers.publish.stamps import is_current, mark_current, notebook_inputs

if TYPE_CHECKING:
    from traitlets.config import Config


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def _over_sockets(folder: Path) -> Config:
    """Kernel settings that reach the project's kernel through Unix sockets in ``folder``:
    nothing listens on the network (over TCP the kernel warns that its traffic is
    unencrypted)."""
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(folder / "kernel")
    return config


def run_notebooks(
    paths: list[Path] | None = None,
    timeout: int = 600,
    force: bool = False,
    processed_dir: Path = PROCESSED_DIR,
) -> list[Path]:
    """Run every cell of each notebook and save the outputs (what strict nbval checks);
    the notebooks run. Current ones are skipped unless ``force``."""
    ran = []
    for path in paths or notebook_paths():
        inputs = notebook_inputs(path, processed_dir)
        if not force and is_current(path, inputs):
            print(f"up to date: {path.name}", file=sys.stderr)
            continue
        import nbformat  # these two take seconds to import: only when a notebook runs
        from nbclient import NotebookClient

        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:  # timestamps would make every re-run a diff
            cell.metadata.pop("execution", None)
        # the cells nbclient runs (and reports through the hook): code with a source
        code = sum(cell.cell_type == "code" and bool(cell.source.strip()) for cell in nb.cells)
        started = time.perf_counter()
        with (
            tempfile.TemporaryDirectory() as sockets,
            tqdm(total=code, desc=path.name, unit="cell", file=sys.stderr) as bar,
        ):
            NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                config=_over_sockets(Path(sockets)),
                record_timing=False,
                resources={"metadata": {"path": str(path.parent)}},
                on_cell_executed=lambda **_: bar.update(),
            ).execute()
        print(
            f"{path.name}: {code} code cells in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        nbformat.write(nb, path)
        mark_current(path, inputs)
        ran.append(path)
    return ran


def run_copies(
    tables_dir: Path, out_dir: Path, paths: list[Path] | None = None, study_dir: Path | None = None
) -> dict[str, str]:
    """Execute copies of the notebooks on the build in ``tables_dir`` with papermill, their
    ``parameters`` cells given these tables, the study (None: the one the build read) and
    ``out_dir/figures``: the executed copies go
    to ``out_dir/notebooks``, and the committed notebooks and ``figures/`` are never
    touched. A notebook that fails is saved with its error and the others still run.
    Returns each notebook's error, "" when it ran."""
    import papermill  # imports nbclient and its kernel machinery

    copies, figures = out_dir / "notebooks", out_dir / "figures"
    if copies.resolve() == NOTEBOOKS_DIR.resolve() or figures.resolve() == FIGURES_DIR.resolve():
        raise ValueError(f"{out_dir} holds the project's own notebooks and figures: use another")
    copies.mkdir(parents=True, exist_ok=True)
    figures.mkdir(parents=True, exist_ok=True)
    errors = {}
    for path in paths or notebook_paths():
        print(f"running {path.name} on {tables_dir}", file=sys.stderr)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as sockets:
            try:
                papermill.execute_notebook(
                    path,
                    copies / path.name,
                    parameters={
                        "TABLES_DIR": str(tables_dir.resolve()),
                        "FIGURES_DIR": str(figures.resolve()),
                        "STUDY_DIR": str(study_dir.resolve()) if study_dir else None,
                    },
                    kernel_name="python3",
                    language="python",
                    progress_bar={"desc": path.name, "file": sys.stderr},
                    cwd=str(copies),
                    config=_over_sockets(Path(sockets)),
                )
                errors[path.name] = ""
            except papermill.PapermillExecutionError as failed:  # saved with its error
                errors[path.name] = f"{failed.ename}: {failed.evalue}"
        status = f"failed ({errors[path.name]})" if errors[path.name] else "done"
        print(f"  {path.name}: {status} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return errors
