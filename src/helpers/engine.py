"""The per-document stage, run in this process, in a process pool, or on dask.distributed.

A document's NLP results are a pure function of its body blocks (``annotate_blocks``), so
any engine can run it anywhere the package is installed; the model is loaded once per
process (``get_nlp`` is cached) and results come back as plain rows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from tqdm import tqdm

from .annotate import annotate_blocks
from .cache import DocCache
from .nlp import get_nlp

ENGINES = ("local", "dask")
BATCH_WORDS = 20_000  # words per task: large enough to amortise scheduling

DocInput = tuple[str, str, list[dict]]  # doc_id, raw sha256, body block rows


def annotate_batch(batch: list[DocInput]) -> list[tuple[str, dict]]:
    return [(doc_id, annotate_blocks(blocks)) for doc_id, _, blocks in batch]


def batches(docs: list[DocInput], words: int = BATCH_WORDS) -> list[list[DocInput]]:
    """Consecutive documents grouped to about ``words`` words per task."""
    out, current, size = [], [], 0
    for doc in docs:
        current.append(doc)
        size += sum(len(b["text"].split()) for b in doc[2])
        if size >= words:
            out.append(current)
            current, size = [], 0
    return [*out, current] if current else out


def _local(todo: list[DocInput], n_process: int) -> Iterator[tuple[str, dict]]:
    if n_process <= 1:
        for batch in batches(todo):
            yield from annotate_batch(batch)
        return
    # spawn: clean workers, each loading the model once (initializer)
    with ProcessPoolExecutor(
        n_process, mp_context=get_context("spawn"), initializer=get_nlp
    ) as pool:
        for future in as_completed([pool.submit(annotate_batch, b) for b in batches(todo)]):
            yield from future.result()


def _dask(
    todo: list[DocInput],
    n_process: int,
    scheduler: str | None,
) -> Iterator[tuple[str, dict]]:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(n_process, 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        futures = client.map(annotate_batch, batches(todo), pure=False)
        for future in dask_completed(futures):
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_documents(
    docs: list[DocInput],
    cache: DocCache | None = None,
    engine: str = "local",
    n_process: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
) -> tuple[dict[str, dict], dict[str, int]]:
    """Results for every document (from the cache where possible) and how many of each."""
    results: dict[str, dict] = {}
    todo = []
    for doc_id, sha, blocks in docs:
        hit = cache.get(sha) if cache is not None else None
        if hit is None:
            todo.append((doc_id, sha, blocks))
        else:
            results[doc_id] = hit
    shas = {doc_id: sha for doc_id, sha, _ in todo}
    runner = _dask(todo, n_process, scheduler) if engine == "dask" else _local(todo, n_process)
    for doc_id, result in tqdm(
        runner,
        total=len(todo),
        desc="annotate",
        unit="doc",
        disable=not progress or not todo,
        file=sys.stderr,
    ):
        results[doc_id] = result
        if cache is not None:
            cache.put(shas[doc_id], result)
    return results, {
        "documents": len(docs),
        "annotated": len(todo),
        "cached": len(docs) - len(todo),
    }
