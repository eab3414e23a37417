"""Shared fixtures; nbval compares plain-text outputs only (HTML tables mirror them).

Tests run on two processes (pytest-xdist, ``--dist loadscope``: a module's tests, and a
notebook's cells, stay together and in order). The tables the notebooks read are built
once, before any worker starts; notebooks running side by side share ``figures/``, whose
manifest ``record`` locks while it rewrites it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.build.cache import is_current
from helpers.build.pipeline import build
from helpers.paths import PROCESSED_DIR, RAW_DIR
from helpers.schema import TABLES

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_sessionstart(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # a worker: the controller has built them
    if not is_current(RAW_DIR, PROCESSED_DIR, TABLES):
        build(RAW_DIR, PROCESSED_DIR, progress=False)


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("text/html", "application/javascript", "stderr")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def seed_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """Every table of the seed corpus, built once per process for the tests that only read
    them."""
    out = tmp_path_factory.mktemp("seed-tables")
    build(RAW_DIR, out, progress=False)
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}
