"""Shared fixtures; nbval compares plain-text outputs only (HTML tables mirror them)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("text/html", "application/javascript", "stderr")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
