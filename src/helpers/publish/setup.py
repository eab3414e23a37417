"""The one setup call every notebook makes, so the five cannot drift apart in style,
display options, where they read and write, or how they name the outlets."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from helpers.analysis.tables import load_tables
from helpers.figures.save import setup_style
from helpers.ingest.corpus import outlet_labels
from helpers.paths import FIGURES_DIR, PROCESSED_DIR
from helpers.study import DEFAULT_STUDY, recorded_study, use_study


class Notebook(NamedTuple):
    """What a notebook works with: every table, the outlet labels, the figures folder."""

    tables: dict[str, pd.DataFrame]
    labels: pd.Series
    figures: Path


def setup_notebook(
    max_rows: int = 80,
    max_colwidth: int = 50,
    width: int = 160,
    tables_dir: str | Path | None = None,
    figures_dir: str | Path | None = None,
    study_dir: str | Path | None = None,
) -> Notebook:
    """Apply the figure style and pandas display options, then load every table.

    Each table with a ``doc_id`` gets ``outlet``, the article's display name, so a notebook
    can show or group rows by outlet without mapping ids itself; in ``articles`` this fills
    in the outlets the metadata left unknown with the document id, as everywhere else.
    The labels (doc_id → outlet) come back too, for renaming frames indexed by document.
    The parameters are what the notebooks vary: ``max_rows`` before pandas elides rows,
    ``max_colwidth`` characters per cell (pandas' own default is 50), ``width`` of a line;
    ``tables_dir`` and ``figures_dir`` (the notebook's parameters, None for the project's
    own ``data/processed`` and ``figures``) say where it reads and writes; ``study_dir``
    is the study to read (None: the one the tables were built with, else ``study/``).
    """
    setup_style()
    pd.set_option("display.width", width)
    pd.set_option("display.max_rows", max_rows)
    pd.set_option("display.max_colwidth", max_colwidth)
    folder = Path(tables_dir) if tables_dir else PROCESSED_DIR
    use_study(Path(study_dir) if study_dir else recorded_study(folder) or DEFAULT_STUDY)
    tables = load_tables(folder)
    labels = outlet_labels(tables["articles"])
    named = {
        name: table.assign(outlet=table["doc_id"].map(labels)) if "doc_id" in table else table
        for name, table in tables.items()
    }
    return Notebook(named, labels, Path(figures_dir) if figures_dir else FIGURES_DIR)
