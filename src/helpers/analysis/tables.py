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
    """Every table by name. A fresh clone builds the project's own tables silently on
    first use; another folder must hold a build, which is never made or overwritten here."""
    paths = {name: processed_dir / f"{name}.parquet" for name in TABLES}
    missing = [name for name, path in paths.items() if not path.exists()]
    if missing and processed_dir.resolve() != PROCESSED_DIR.resolve():
        raise FileNotFoundError(
            f"no tables {', '.join(missing)} in {processed_dir}: build them first with "
            f"python -m helpers build RAW_FOLDER --out {processed_dir}"
        )
    if missing:
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
