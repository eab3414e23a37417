"""The build: raw folder in, tidy Parquet tables out.

Stages run in one direction: files -> articles (decoded, cleaned) -> blocks -> per-article
rows (sentences, mentions, quotes, sources, labels, stance) -> tables across articles.
Output is deterministic: a rebuild of unchanged input writes identical tables.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from helpers.annotate.nlp import get_nlp
from helpers.build.cache import DocCache, stamp_of
from helpers.build.engine import Engine, run_documents
from helpers.build.rows import ReadRecord, read_articles
from helpers.build.stages import claim_tables, quote_stage, task_tables, text_tables
from helpers.build.store import (
    TableFile,
    Tables,
    TableStore,
    TableWriter,
    new_version,
    publish,
)
from helpers.ingest.files import list_inputs
from helpers.schema import COLUMNS
from helpers.study import STUDY_RECORD, check_study, study_dir, use_study


def build(
    raw_dir: Path,
    out_dir: Path,
    progress: bool = True,
    engine: str = "local",
    n_process: int = 1,
    scheduler: str | None = None,
    use_cache: bool = True,
    timings: dict[str, float] | None = None,
    wait: float = 0.0,
    study: Path | None = None,
) -> Tables:
    """Build every table from ``raw_dir`` and publish them as Parquet in ``out_dir``.

    The per-document stage runs on ``engine`` ("local": this process, or ``n_process``
    worker processes; "dask": a LocalCluster of ``n_process`` workers, or the cluster at
    ``scheduler``), reading unchanged documents from the cache in ``out_dir/.cache``.
    Per-article tables go to disk as their documents are done, and the measures across
    articles read back only what they use. Stage durations in seconds go into
    ``timings`` when given.

    The folder is refused before any work where the build may not write (``claim_output``)
    and locked while it writes (another build's lock is waited for ``wait`` seconds). The
    tables go into a new version folder, published in one step with their stamp (the
    digest of the input as it was read) once all are written: a build that stops leaves
    the previous tables, whole and matching their stamp (``helpers.build.store``).
    ``study`` is the study folder to read (checked before anything is written: a
    ``StudyError`` names the file and line); none: the one in use.
    """
    if study is not None:
        check_study(study)
        use_study(study)
    with new_version(raw_dir, out_dir, wait) as version:
        return _build(
            raw_dir, out_dir, version, progress, engine, n_process, scheduler, use_cache, timings
        )


def _build(
    raw_dir: Path,
    out_dir: Path,
    version: Path,
    progress: bool,
    engine: str,
    n_process: int,
    scheduler: str | None,
    use_cache: bool,
    timings: dict[str, float] | None,
) -> Tables:
    clock = Stopwatch(timings)
    store = TableStore(version)
    record = ReadRecord()
    # the workers load the model while the files are read
    with Engine(engine, n_process, scheduler, warm_up) as runner:
        writers = {name: store.writer(name) for name in COLUMNS if name != "quotes"}
        # quotes are aligned across articles afterwards (``quote_stage``)
        writers["quotes"] = TableWriter(store.part("quotes-unaligned"), "quotes")
        text_task = None  # the text-only measures, submitted once every file is read

        # where the workers share this machine's disk, tasks read and write tables there
        into = version if runner.shares_disk else None

        def shipped(name: str) -> TableFile:
            """A closed table's file for a task: its path where the workers share this
            machine's disk, else its bytes (held until the task is done)."""
            return store.part(name) if into else store.file(name)

        def keep(doc_id: str, result: dict) -> None:
            for name, rows in result.items():
                writers[name].extend({"doc_id": doc_id, **row} for row in rows)

        def read() -> None:  # the text-only measures start beside the remaining annotation
            nonlocal text_task
            clock.lap("read (annotating meanwhile)")
            for name in ("articles", "blocks"):
                writers.pop(name).close()
            text_task = runner.submit(task_tables, into, text_tables, shipped("articles"))

        stats = run_documents(
            read_articles(raw_dir, writers["articles"], writers["blocks"], False, record),
            keep,
            runner,
            DocCache.open(out_dir / ".cache") if use_cache else None,
            progress,
            on_read=read,
            total=len(list_inputs(raw_dir)),  # an upper bound: rejected files are not annotated
        )
        clock.lap("annotate (the rest)")
        if progress:
            print(
                f"annotated {stats['annotated']} of {stats['documents']} documents "
                f"({stats['cached']} from the cache)",
                file=sys.stderr,
            )
        for writer in writers.values():
            writer.close()
        claims = runner.submit(  # beside the quotes, reading the files it is given
            task_tables, into, claim_tables, *map(shipped, ("sentences", "mentions", "stance"))
        )
        if into:  # the quotes on a worker too, in the same store
            runner.submit(quote_stage, into).result()
        else:  # workers elsewhere: here, beside the claims
            quote_stage(version)
        # the tasks' tables: already written where the workers share this machine's disk
        for name, file in {**claims.result(), **text_task.result()}.items():
            store.write(name, file)
        clock.lap("corpus measures")
    for warning in record.changed(raw_dir):  # metadata only: nothing is read again
        print(f"warning: {warning}", file=sys.stderr)
    (version / STUDY_RECORD).write_text(f"{study_dir()}\n", encoding="utf-8")
    written = publish(out_dir, version, stamp_of(record.digest.hexdigest()))
    clock.lap("write")
    return written


def warm_up() -> None:
    """Load the pipeline in a worker before its first task arrives. Finding this function
    (by name, ``helpers.build.worker``) imports this module, and with it the modules of
    the tasks across articles (scikit-learn takes a while to import): a task that imported
    them at the end of a build would wait for that on the critical path."""
    get_nlp()


class Stopwatch:
    """Records the seconds since the previous lap under each lap's name."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into, self.last = into, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[name] = round(now - self.last, 3)
        self.last = now
