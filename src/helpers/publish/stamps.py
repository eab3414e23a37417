"""Whether an output made from the tables (an executed notebook, the report) is current: a
stamp beside it holds the digest of everything it was made from, so an unchanged re-run
does nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from helpers.build.cache import pipeline_version
from helpers.build.layout import STAMP, published


def digest(*parts: str | bytes) -> str:
    found = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        found.update(len(data).to_bytes(8, "little"))  # "ab", "c" is not "a", "bc"
        found.update(data)
    return found.hexdigest()


def tables_state(processed_dir: Path) -> str:
    """The build stamp of the published tables (their input and pipeline), "" when there
    is none."""
    stamp = published(processed_dir) / STAMP
    return stamp.read_text() if stamp.is_file() else ""


def notebook_inputs(path: Path, processed_dir: Path) -> str:
    """What a notebook's outputs depend on: its cells' sources and tags (not its outputs,
    which running it rewrites), the tables, and the kit's code and data."""
    nb = json.loads(path.read_text(encoding="utf-8"))  # nbformat takes seconds to import
    cells = [
        (c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", []))
        for c in nb["cells"]
    ]
    return digest(json.dumps(cells), tables_state(processed_dir), pipeline_version())


def report_inputs(processed_dir: Path, figures_dir: Path) -> str:
    """What the report depends on: the tables, the figures it embeds, and the kit."""
    figures = sorted(figures_dir.glob("*.png"))
    manifest = figures_dir / "manifest.csv"
    return digest(
        tables_state(processed_dir),
        pipeline_version(),
        manifest.read_bytes() if manifest.exists() else b"",
        *(f"{p.name}".encode() + p.read_bytes() for p in figures),
    )


def stamp_path(output: Path) -> Path:
    """The stamp beside an output: ``.<name>.stamp`` in its folder."""
    return output.with_name(f".{output.name}.stamp")


def is_current(output: Path, inputs: str) -> bool:
    stamp = stamp_path(output)
    return output.exists() and stamp.exists() and stamp.read_text() == inputs


def mark_current(output: Path, inputs: str) -> None:
    stamp_path(output).write_text(inputs)
