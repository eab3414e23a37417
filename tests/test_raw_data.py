"""The raw corpus is immutable: byte-identical to the seeds and to its recorded hashes."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from helpers.paths import PROJ_ROOT, RAW_DIR

SEEDS = PROJ_ROOT.parent / "shared" / "seeds"


def test_manifest_hashes_match_the_raw_files() -> None:
    manifest = pd.read_csv(RAW_DIR / "manifest.csv", dtype=str)
    assert {"file", "outlet", "url", "published", "author", "evidence"} <= set(manifest.columns)
    for row in manifest.itertuples():
        digest = hashlib.sha256((RAW_DIR / row.file).read_bytes()).hexdigest()
        assert digest == row.sha256, row.file
    assert set(manifest["file"]) == {p.name for p in RAW_DIR.glob("*.txt")}


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason="no original seed files in ../shared/seeds to compare with"
)
def test_raw_files_are_the_seeds_byte_for_byte() -> None:
    seeds = sorted(SEEDS.iterdir())
    assert seeds
    for seed in seeds:
        assert (RAW_DIR / seed.name).read_bytes() == seed.read_bytes(), seed.name
