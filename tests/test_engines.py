"""The per-document stage on every engine gives the same tables; the cache and the build
stamp skip exactly the work that is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import helpers.build.engine as engine
from helpers.annotate.article import annotate_documents
from helpers.build.cache import is_current
from helpers.build.pipeline import build
from helpers.build.rows import in_memory, read_articles
from helpers.paths import RAW_DIR
from helpers.schema import TABLES

SEEDS = sorted(RAW_DIR.glob("*.txt"))


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, folder)
    return folder


def parquet_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / f"{name}.parquet").read_bytes() for name in TABLES}


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """Counts documents the in-process engine really annotates."""
    calls: list[int] = []
    original = engine.annotate_documents

    def counting(documents):
        calls.extend(len(blocks) for blocks in documents)
        return original(documents)

    monkeypatch.setattr(engine, "annotate_documents", counting)
    return calls


def test_rebuild_reads_the_cache_and_a_new_article_is_the_only_one_annotated(
    raw: Path, tmp_path: Path, counted: list[int]
) -> None:
    out = tmp_path / "out"
    build(raw, out, progress=False)
    assert len(counted) == 2
    first = parquet_bytes(out)
    build(raw, out, progress=False)
    assert len(counted) == 2, "an unchanged rebuild annotated something again"
    assert parquet_bytes(out) == first
    shutil.copy(SEEDS[2], raw)
    build(raw, out, progress=False)
    assert len(counted) == 3, "adding one article must annotate only that one"
    fresh = tmp_path / "fresh"
    build(raw, fresh, progress=False, use_cache=False)
    assert parquet_bytes(out) == parquet_bytes(fresh)


def test_a_new_pipeline_version_annotates_everything_again(
    raw: Path, tmp_path: Path, counted: list[int], monkeypatch
) -> None:
    out = tmp_path / "out"
    build(raw, out, progress=False)
    monkeypatch.setattr("helpers.build.cache.pipeline_version", lambda: "a-changed-pipeline")
    build(raw, out, progress=False)
    assert len(counted) == 4
    assert [p.name for p in (out / ".cache").iterdir()] == ["a-changed-pipeline"]


def test_build_stamp_follows_the_input(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert not is_current(raw, out, TABLES)
    build(raw, out, progress=False)
    assert is_current(raw, out, TABLES)
    first = SEEDS[0].name
    (raw / first).write_bytes((raw / first).read_bytes() + b"\nOne more line of text.\n")
    assert not is_current(raw, out, TABLES)


def test_process_pool_gives_the_same_tables(raw: Path, tmp_path: Path) -> None:
    build(raw, tmp_path / "one", progress=False, use_cache=False)
    build(raw, tmp_path / "two", progress=False, use_cache=False, n_process=2)
    assert parquet_bytes(tmp_path / "one") == parquet_bytes(tmp_path / "two")


@pytest.mark.slow  # a cluster of workers started for one build: make test-all
def test_workers_apart_from_this_disk_give_the_same_tables(
    raw: Path, tmp_path: Path, monkeypatch
) -> None:
    """Workers of a cluster elsewhere get the tables they read as bytes and return theirs;
    the quotes are then aligned in the main process."""
    build(raw, tmp_path / "shared", progress=False, use_cache=False, n_process=2)
    monkeypatch.setattr(engine.Engine, "shares_disk", property(lambda self: False))
    build(raw, tmp_path / "apart", progress=False, use_cache=False, n_process=2)
    assert parquet_bytes(tmp_path / "shared") == parquet_bytes(tmp_path / "apart")


@pytest.mark.slow  # a cluster of workers started for one build: make test-all
@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::UserWarning"
)
def test_dask_engine_gives_the_same_tables(raw: Path, tmp_path: Path) -> None:
    build(raw, tmp_path / "local", progress=False, use_cache=False)
    build(raw, tmp_path / "dask", progress=False, use_cache=False, engine="dask", n_process=1)
    local, dask = parquet_bytes(tmp_path / "local"), parquet_bytes(tmp_path / "dask")
    assert local == dask
    assert len(pd.read_parquet(tmp_path / "dask" / "quotes.parquet")) > 0


def test_batches_keep_order_and_size() -> None:
    docs = [(f"d{i}", "sha", [{"text": "word " * 300}]) for i in range(10)]
    groups = list(engine.batches(docs, words=1000))
    assert [d[0] for g in groups for d in g] == [d[0] for d in docs]
    assert all(len(g) <= 4 for g in groups)


def test_documents_annotated_together_get_their_own_results() -> None:
    """One pipeline stream for a task's documents: each document's results are those it
    gets alone, whatever its neighbours (the cache relies on it)."""
    docs = [
        body
        for _, _, body in read_articles(RAW_DIR, in_memory("articles"), in_memory("blocks"), False)
    ][:3]
    alone = [annotate_documents([body])[0] for body in docs]
    assert all(result["sentences"] for result in alone)
    assert annotate_documents(docs) == alone
    assert annotate_documents(docs[::-1]) == alone[::-1]
