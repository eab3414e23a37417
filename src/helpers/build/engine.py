"""The per-document stage, run in this process, in a process pool, or on dask.distributed.

A document's NLP results are a pure function of its body blocks (``annotate_documents``), so
any engine can run it anywhere the package is installed; the model is loaded once per
process (``get_nlp`` is cached) and results come back as plain rows. Workers start, and
load the model, as soon as the engine opens, so that happens while the main process is
still reading. Documents are sent as soon as they are read, at most a few batches in
flight at a time; batches read ahead of the workers wait as JSON in a temporary file, not
in memory, and reading pauses if too many wait.

Workers stop with the build: they ignore Ctrl-C (the build stops them), are terminated at
once when the build stops early (an error, Ctrl-C, SIGTERM), and end themselves when the
build's process dies however it dies (the system's parent-death signal, and a thread that
watches for a new parent).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from typing import Any, BinaryIO

import pandas as pd
from tqdm import tqdm

from helpers.annotate.article import annotate_documents
from helpers.annotate.nlp import get_nlp
from helpers.build.cache import DocCache
from helpers.build.worker import named, spawning, start_worker
from helpers.study import STUDY_ENV, study_dir

ENGINES = ("local", "dask")
BATCH_WORDS = 10_000  # words per task: amortises scheduling, keeps the last task short
IN_FLIGHT = 2  # tasks per worker submitted ahead of the results read
SCATTER_BYTES = 1 << 20  # larger than any batch's pickle: only tables are scattered
READ_AHEAD = 1_000  # batches read ahead of the workers, waiting on disk (docs/scale.md)

# Housekeeping of LocalCluster workers that feeds the dashboard, which is off: the
# statistical profiler and monitors polling many times a second take the GIL from the task
# (their cost is measured in docs/scale.md).
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}

DocInput = tuple[str, str, list[dict]]  # doc_id, cache key, body block rows


def annotate_batch(batch: bytes) -> list[tuple[str, str, dict]]:
    """Every document's id, cache key and results from a list of documents as JSON (plain
    data: nothing read back from the spool is executed)."""
    docs = json.loads(batch)
    results = annotate_documents([blocks for _, _, blocks in docs])
    return [(doc_id, sha, result) for (doc_id, sha, _), result in zip(docs, results, strict=True)]


def batches(docs: Iterable[DocInput], words: int = BATCH_WORDS) -> Iterator[list[DocInput]]:
    """Consecutive documents grouped to about ``words`` words per task."""
    current, size = [], 0
    for doc in docs:
        current.append(doc)
        size += sum(len(b["text"].split()) for b in doc[2])
        if size >= words:
            yield current
            current, size = [], 0
    if current:
        yield current


class _Deferred:
    """A task of the in-process engine: run when its result is first asked for."""

    def __init__(self, fn: Callable, args: tuple) -> None:
        self.fn, self.args = fn, args

    def result(self) -> Any:
        if self.fn is not None:
            self.value, self.fn = self.fn(*self.args), None
        return self.value

    def done(self) -> bool:
        """Runs the task: this process is its only worker, so reading waits for it."""
        self.result()
        return True


def _is_data(arg: Any) -> bool:
    """A table, or bytes larger than a batch of documents (dask warns of task graphs of
    a few MB)."""
    return isinstance(arg, pd.Series | pd.DataFrame) or (
        isinstance(arg, bytes) and len(arg) > SCATTER_BYTES
    )


class Spool:
    """Byte strings, first in first out, waiting in ``file`` instead of memory. The build's
    file is a ``tempfile.TemporaryFile``: unlinked as it is made (no name another user
    could open), readable by its owner only, and what it holds is JSON, never code."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.sizes: deque[int] = deque()
        self.read_at = 0

    def __len__(self) -> int:
        return len(self.sizes)

    def append(self, data: bytes) -> None:
        self.file.seek(0, os.SEEK_END)
        self.file.write(data)
        self.sizes.append(len(data))

    def popleft(self) -> bytes:
        self.file.seek(self.read_at)
        data = self.file.read(self.sizes.popleft())
        self.read_at += len(data)
        if not self.sizes:  # all read: start the file again
            self.file.truncate(0)
            self.read_at = 0
        return data


def _noop() -> None:
    """A task that only makes a worker start."""


STOP_SECONDS = 2.0  # workers still running this long after a stop is asked are killed


class Engine:
    """Runs functions of the package in this process ("local", ``n_process`` 1), in
    ``n_process`` spawned worker processes ("local"), or on dask.distributed ("dask": a
    LocalCluster of ``n_process`` workers, or the cluster at ``scheduler``). Use it as a
    context manager; ``submit`` returns an object whose ``result()`` waits for the value.
    ``warm_up`` runs in each worker as it starts, before its first task."""

    def __init__(
        self,
        kind: str = "local",
        n_process: int = 1,
        scheduler: str | None = None,
        warm_up: Callable[[], None] = get_nlp,
    ):
        if kind not in ENGINES:
            raise ValueError(f"unknown engine {kind!r}: use one of {', '.join(ENGINES)}")
        self.kind, self.n_process, self.scheduler = kind, max(n_process, 1), scheduler
        self.warm_up = warm_up
        self._pool: ProcessPoolExecutor | None = None
        self._client: Future | None = None
        self._cluster = None

    def __enter__(self) -> Engine:
        if self.kind == "dask":  # the cluster starts in the background while we read
            starter = ThreadPoolExecutor(1)
            self._client = starter.submit(self._connect)
            starter.shutdown(wait=False)
        elif self.n_process > 1:
            self._pool = ProcessPoolExecutor(
                self.n_process,
                mp_context=get_context("spawn"),
                initializer=start_worker,
                initargs=(os.getpid(), named(self.warm_up)),
            )
            self._submit(_noop)  # starts a worker now
        return self

    def _connect(self):
        import dask
        from dask.distributed import Client, LocalCluster

        if self.scheduler is None:
            # dask starts workers with a 64 KiB malloc trim threshold to hand memory back
            # eagerly; spaCy frees many small arrays per document and trimming on each free
            # costs much of its throughput, so workers keep glibc's default, as nlp.pipe
            environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
            environ.pop("MALLOC_TRIM_THRESHOLD_", None)
            environ[STUDY_ENV] = str(study_dir())  # the workers read the build's study
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ, **QUIET}):
                self._cluster = LocalCluster(
                    n_workers=self.n_process,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
        client = Client(self._cluster if self._cluster is not None else self.scheduler)
        client.run(self.warm_up)
        return client

    @property
    def ready(self) -> bool:
        """Whether ``submit`` would return at once (a dask cluster may still be starting)."""
        return self._client is None or self._client.done()

    @property
    def shares_disk(self) -> bool:
        """Whether the workers run on this machine and may read files by path (not the
        workers of a cluster at a scheduler's address)."""
        return self.kind == "local" or self.scheduler is None

    @property
    def workers(self) -> int:
        if self._client is not None:
            return max(len(self._client.result().scheduler_info()["workers"]), 1)
        return self.n_process if self._pool is not None else 1

    def submit(self, fn: Callable, *args: Any) -> Any:
        if self._client is not None:
            client = self._client.result()
            # tables and files go to the workers as data, not inside the task graph
            args = tuple(client.scatter(a) if _is_data(a) else a for a in args)
            return client.submit(fn, *args, pure=False)
        if self._pool is not None:
            return self._submit(fn, *args)
        return _Deferred(fn, args)

    def _submit(self, fn: Callable, *args: Any) -> Future:
        """Submit to the pool, which may spawn a worker to run it (``spawning``)."""
        if len(self._pool._processes or {}) >= self.n_process:
            return self._pool.submit(fn, *args)
        with spawning():
            return self._pool.submit(fn, *args)

    def __exit__(self, kind: type | None, *exc: object) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.shutdown(cancel_futures=True)
            else:  # stopping early: no task is waited for
                self._stop_pool()
        if self._client is not None:
            if kind is not None and not self._client.done():
                self._client.cancel()
            try:
                client = self._client.result(timeout=None if kind is None else 0)
            except BaseException:
                client = None
            stopping = {} if kind is None else {"timeout": STOP_SECONDS}
            if client is not None:
                client.close(**stopping)
            if self._cluster is not None:
                self._cluster.close(**stopping)

    def _stop_pool(self) -> None:
        """Terminate the workers, then kill those still there after ``STOP_SECONDS``."""
        processes = list((self._pool._processes or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        self._pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + STOP_SECONDS
        for process in processes:
            process.join(max(deadline - time.monotonic(), 0))
            if process.is_alive():
                process.kill()
                process.join(1)


def run_documents(
    docs: Iterable[DocInput],
    keep: Callable[[str, dict], None],
    engine: Engine,
    cache: DocCache | None = None,
    progress: bool = True,
    words: int = BATCH_WORDS,
    on_read: Callable[[], None] | None = None,
    total: int | None = None,
) -> dict[str, int]:
    """Hand every document's results to ``keep``, in the order of ``docs`` (from the cache
    where possible, else annotated on ``engine`` in tasks of about ``words`` words, then
    cached) and say how many of each. Reading ``docs`` goes on while the workers
    annotate; ``on_read`` is called once all are read, while the last tasks run. ``total``
    (at most that many documents) lets the progress bar show its share from the start;
    it is made exact once every document is read."""
    counts = {"documents": 0, "annotated": 0, "cached": 0}
    order: deque[str] = deque()  # documents read and not yet kept
    early: dict[str, dict] = {}  # results that came before an earlier document's

    def finish(doc_id: str, result: dict) -> None:
        early[doc_id] = result
        while order and order[0] in early:
            first = order.popleft()
            keep(first, early.pop(first))

    in_flight: deque = deque()
    bar = tqdm(total=total, desc="annotate", unit="doc", disable=not progress, file=sys.stderr)

    def collect(task) -> None:
        for doc_id, sha, result in task.result():
            finish(doc_id, result)
            if cache is not None:
                cache.put(sha, result)
            counts["annotated"] += 1
            bar.update()

    def send(wait: bool) -> None:
        """Collect finished tasks, then submit waiting batches up to the bound."""
        while in_flight and in_flight[0].done():
            collect(in_flight.popleft())
        while waiting and (wait or engine.ready) and len(in_flight) < IN_FLIGHT * engine.workers:
            in_flight.append(engine.submit(annotate_batch, waiting.popleft()))

    def todo() -> Iterator[DocInput]:
        for doc_id, sha, blocks in docs:
            counts["documents"] += 1
            order.append(doc_id)
            hit = cache.get(sha) if cache is not None else None
            if hit is None:
                yield doc_id, sha, blocks
            else:
                finish(doc_id, hit)
                counts["cached"] += 1
                bar.update()

    def wait_for_one() -> None:
        send(wait=True)
        if in_flight:
            collect(in_flight.popleft())

    with bar, tempfile.TemporaryFile() as spool:
        waiting = Spool(spool)
        for batch in batches(todo(), words):
            waiting.append(json.dumps(batch, separators=(",", ":")).encode())
            send(wait=False)
            while len(waiting) > READ_AHEAD:
                wait_for_one()
        bar.total = counts["documents"]
        bar.refresh()
        if on_read is not None:
            on_read()
        while waiting or in_flight:
            wait_for_one()
    return counts
