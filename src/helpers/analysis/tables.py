"""Loading the processed tables (building them first when they are missing)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.build.layout import published
from helpers.build.pipeline import build
from helpers.paths import PROCESSED_DIR, RAW_DIR
from helpers.schema import TABLES

WAIT_SECONDS = 600.0  # for another build of the project's own tables to finish


def load_tables(
    processed_dir: Path = PROCESSED_DIR,
    raw_dir: Path = RAW_DIR,
) -> dict[str, pd.DataFrame]:
    """Every table by name, all of one build: the version published when they are read
    (a build publishing meanwhile is not mixed in). A fresh clone builds the project's own
    tables silently on first use (waiting for another build of them to finish); another
    folder must hold a build, which is never made or overwritten here."""
    version = published(processed_dir)
    missing = [name for name in TABLES if not (version / f"{name}.parquet").is_file()]
    if missing and processed_dir.resolve() != PROCESSED_DIR.resolve():
        raise FileNotFoundError(
            f"no tables {', '.join(missing)} in {processed_dir}: build them first with "
            f"python -m helpers build RAW_FOLDER --out {processed_dir}"
        )
    if missing:
        version = build(raw_dir, processed_dir, progress=False, wait=WAIT_SECONDS).folder
    return {name: pd.read_parquet(version / f"{name}.parquet") for name in TABLES}


def offset_mismatches(articles: pd.DataFrame, spans: pd.DataFrame, column: str = "text") -> int:
    """Rows of ``spans`` whose ``column`` is not exactly ``articles.text[start:end]``."""
    text = articles.set_index("doc_id")["text"]
    rows = spans.dropna(subset=["start", "end"])
    return sum(
        text[doc][int(start) : int(end)] != value
        for doc, start, end, value in rows[["doc_id", "start", "end", column]].itertuples(
            index=False
        )
    )
