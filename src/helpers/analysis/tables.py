"""Loading the processed tables (building them first when they are missing)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.build.pipeline import build
from helpers.paths import PROCESSED_DIR, RAW_DIR
from helpers.schema import TABLES


def load_tables(
    processed_dir: Path = PROCESSED_DIR,
    raw_dir: Path = RAW_DIR,
) -> dict[str, pd.DataFrame]:
    """Every table by name; a fresh clone builds them silently on first use."""
    paths = {name: processed_dir / f"{name}.parquet" for name in TABLES}
    if not all(p.exists() for p in paths.values()):
        build(raw_dir, processed_dir, progress=False)
    return {name: pd.read_parquet(path) for name, path in paths.items()}


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
