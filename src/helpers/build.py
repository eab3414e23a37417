"""The build: raw folder in, tidy Parquet tables out.

Stages run in one direction: files -> articles (decoded, cleaned) -> blocks -> sentences
and entity mentions.
Output is deterministic: a rebuild of unchanged input writes identical tables.
"""

from __future__ import annotations

import io
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from .alignment import (
    Quoted,
    relayed,
    utterance_versions,
    utterances,
    version_batches,
    with_utterances,
)
from .cache import DocCache, clear_stamp, write_stamp
from .chain import QUOTE_COLUMNS, chain_edges, cited_media, relay_citations
from .claims import claim_entities, match_claims, sets_status
from .corpus import Article, in_blocks, inputs, load_article, manifest_row, outlet_labels
from .distinctive import fightin_words, tfidf_terms
from .engine import DocInput, Engine, run_documents
from .reuse import reuse_files
from .schema import COLUMNS, ORDER
from .stance import CAVEAT_TYPES, about_testimony, hedge_survival
from .store import (
    TableFile,
    TableRows,
    Tables,
    TableStore,
    TableWriter,
    read_table,
    row_groups,
    typed_schema,
    with_slices,
)


def iter_articles(raw_dir: Path, progress: bool = True) -> Iterator[Article]:
    """Every input file as an Article (rejected ones included), one at a time in the
    order of their document ids, which orders every table; manifest problems are printed
    as warnings."""
    found = inputs(raw_dir)
    for warning in found.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # the first kept file of each content, by its digest (bytes: half the hex string)
    first_seen: dict[bytes, int] = {}
    files = tqdm(found.names, desc="articles", unit="file", disable=not progress, file=sys.stderr)
    for number, name in enumerate(files):
        row = manifest_row(found.manifest[number])
        art = load_article(raw_dir / name, raw_dir, found.doc_id(name), row)
        if art.sha256 and art.status == "ok":
            first = first_seen.setdefault(bytes.fromhex(art.sha256), number)
            if first != number:
                art.reject(f"duplicate of {found.doc_id(found.names[first])} (identical bytes)")
        yield art


def article_row(a: Article) -> dict:
    return {
        "doc_id": a.doc_id,
        "file": a.file,
        "sha256": a.sha256,
        "status": a.status,
        "reason": a.reason,
        "outlet": a.outlet,
        "url": a.url,
        "published": a.published,
        "published_month": a.published_month,
        "author": a.author,
        "headline": a.headline,
        "n_words": a.n_words,
        "text": a.text,
        "encoding": a.encoding,
        "n_lines": len(a.blocks),
        "n_body_lines": sum(b.is_body for b in a.blocks),
        "metadata_evidence": "; ".join(a.evidence),
    }


def block_rows(a: Article) -> Iterator[dict]:
    """The article's blocks, body blocks with their offsets in the article text."""
    offset = 0
    for block_id, b in enumerate(a.blocks):
        start = end = None
        if b.is_body:
            start, end = offset, offset + len(b.text)
            offset = end + 2  # the "\n\n" that joins body blocks
        yield {
            "doc_id": a.doc_id,
            "block_id": block_id,
            "line_start": b.line_start,
            "line_end": b.line_end,
            "role": b.role,
            "is_body": b.is_body,
            "text": b.text,
            "start": start,
            "end": end,
            "reason": b.reason,
            "wraps": list(b.wraps),
        }


INPUT_COLUMNS = ["block_id", "role", "reason", "start", "line_start", "wraps", "text"]


def read_articles(
    raw_dir: Path, articles: TableRows, blocks: TableRows, progress: bool = True
) -> Iterator[DocInput]:
    """Read every file, adding its row to ``articles`` and its blocks to ``blocks``, and
    yield (doc_id, sha256, body block rows) for each kept article with a body, the
    engines' input, as soon as it is read. Blocks of rejected pages stay visible for the
    audit; a duplicate's would count twice."""
    for art in iter_articles(raw_dir, progress):
        articles.extend([article_row(art)])
        if art.reason.startswith("duplicate of"):
            continue
        rows = list(block_rows(art))
        blocks.extend(rows)
        body = [{k: row[k] for k in INPUT_COLUMNS} for row in rows if row["is_body"]]
        if art.status == "ok" and body:
            yield art.doc_id, art.sha256, body


def in_memory(name: str) -> TableRows:
    return TableRows(list(COLUMNS[name]), ORDER[name])


def read_tables(raw_dir: Path, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles and blocks tables of ``raw_dir``."""
    articles, blocks = in_memory("articles"), in_memory("blocks")
    deque(read_articles(raw_dir, articles, blocks, progress), maxlen=0)
    return articles.frame(), blocks.frame().astype({"start": "Int64", "end": "Int64"})


QUOTES = typed_schema({**COLUMNS["quotes"], "utterance_id": "str", "utterance_speaker": "str"})
CAVEATS = typed_schema(CAVEAT_TYPES)


def most_cited_outlet(sources: pd.DataFrame) -> str:
    """The news outlet the most articles cite: the original reporting they relay."""
    media = sources[sources["source_type"] == "news_media"]
    counts = media.groupby("source")["doc_id"].nunique()
    return sorted(counts.index, key=lambda s: (-counts[s], s))[0] if len(counts) else ""


def kept_texts(articles: TableFile) -> Iterator[tuple[str, str, str]]:
    """(doc_id, outlet label, text) of every kept article in doc-id order, read from the
    articles table's Parquet file a row group at a time."""
    columns = ["doc_id", "status", "outlet", "text"]
    for kept in row_groups(articles, columns, lambda a: a["status"] == "ok"):
        yield from zip(kept["doc_id"], outlet_labels(kept), kept["text"], strict=True)


def text_tables(articles: TableFile) -> dict[str, pd.DataFrame | bytes]:
    """Measures across articles that need only their texts, from the articles table's
    Parquet file: similarity and reuse (as Parquet files), and each outlet's distinctive
    terms. They run on the engine beside the annotation, reading the texts as they go."""
    distinctive = pd.concat(
        [
            fightin_words((o, t) for _, o, t in kept_texts(articles)).assign(
                method="fightin_words"
            ),
            tfidf_terms((o, t) for _, o, t in kept_texts(articles)).assign(method="tfidf"),
        ],
        ignore_index=True,
    )
    columns = ["outlet", "method", "term", "count", "count_rest", "z", "tfidf"]
    return {
        "distinctive": distinctive.reindex(columns=columns),
        **reuse_files((d, t) for d, _, t in kept_texts(articles)),
    }


# articles whose chain edges and caveats are found at a time (fewer, a smaller peak in
# the process that finds them; more, fewer reads of each table)
CHUNK_DOCS = 500


def doc_ranges(doc_ids: pd.Series) -> list[tuple[str, str]]:
    """(first, last) of consecutive runs of ``CHUNK_DOCS`` sorted document ids; one range
    that holds none when there are none."""
    ids = doc_ids.tolist()
    return [
        (ids[k], ids[min(k + CHUNK_DOCS, len(ids)) - 1]) for k in range(0, len(ids), CHUNK_DOCS)
    ] or [("", "")]


def quote_stage(folder: Path) -> None:
    """Align the quotes of the build's store at ``folder`` and write the quotes table and
    the tables made from the aligned quotes (``quote_tables``) there. It runs on a worker
    where the workers share this machine's disk: what aligning tens of thousands of
    quotes allocates for a while stays out of the main process, whose heap kept ~10 MB of
    it at 4 M words."""
    store = TableStore(folder)
    unaligned = store.part("quotes-unaligned")
    articles = store.read("articles", ["doc_id", "status", "outlet"])
    numbers, docs = align(store, unaligned)
    unaligned.unlink()
    for name, parts, schema in quote_tables(store, articles, numbers, docs):
        store.write_parts(name, parts, schema)  # written as made: none waits for another


def align(store: TableStore, unaligned: Path) -> tuple[np.ndarray, np.ndarray]:
    """Align the quotes in the Parquet file ``unaligned`` (``align_quotes``) and write the
    quotes table, reading it twice a row group at a time; the utterance number and the
    document number of each quote."""
    with Quoted.gathered(row_groups(unaligned, ["doc_id", "kind", "text", "speaker"])) as quoted:
        numbers, speakers = utterances(quoted)
    parts = row_groups(unaligned, list(COLUMNS["quotes"]))
    aligned = (with_utterances(p, n, speakers) for p, n in with_slices(parts, numbers))
    store.write_parts("quotes", aligned, QUOTES)
    return numbers, quoted.docs


def quote_tables(
    store: TableStore, articles: pd.DataFrame, numbers: np.ndarray, docs: np.ndarray
) -> Iterator[tuple[str, Iterator[pd.DataFrame], pa.Schema | None]]:
    """Measures across articles from their sources and aligned quotes, each table a part
    at a time, to be written before the next is made: versions of shared quotes (a batch
    of utterances at a time), then the attribution chain and caveat survival (a range of
    articles at a time, with what they need across articles: the outlets every article
    relaying an utterance cites, the original outlet and whom it is quoted relaying).
    ``numbers`` and ``docs``: the utterance and document number of each quote."""
    labels = outlet_labels(articles)
    quotes = store.part("quotes")
    shared = relayed(numbers, docs)

    def versions() -> Iterator[pd.DataFrame]:
        columns = ["utterance_id", "doc_id", "quote_id", "line", "speaker", "text"]
        for batch in version_batches(numbers, shared):
            parts = with_slices(row_groups(quotes, columns), batch)
            rows = pd.concat((part[picked] for part, picked in parts), ignore_index=True)
            yield utterance_versions(rows, labels)

    yield "utterances", versions(), None
    sources = store.read(  # the news media cited: all the chain and its origin use
        "sources", ["doc_id", "source", "source_type"], lambda s: s["source_type"] == "news_media"
    )
    original, media = most_cited_outlet(sources), set(sources["source"])
    ranges = doc_ranges(articles["doc_id"])
    parts = with_slices(row_groups(quotes, ["utterance_id", "doc_id"]), shared[numbers])
    pairs = (pair for part, picked in parts for pair in part[picked].itertuples(False, None))
    cited_by_all = relay_citations(pairs, cited_media(sources))
    from_original: list[pd.DataFrame] = []  # whom the original is quoted relaying

    def chain() -> Iterator[pd.DataFrame]:
        for docs in ranges:
            quoted = store.read("quotes", QUOTE_COLUMNS, docs=docs)
            in_quotes = set(zip(quoted["doc_id"], quoted["block_id"], strict=True))
            edges = chain_edges(
                articles[articles["doc_id"].between(*docs)],
                store.read(
                    "blocks",
                    ["doc_id", "block_id", "role", "text", "line_start"],
                    lambda b, in_quotes=in_quotes: (
                        (b["role"] == "credit") | in_blocks(b, in_quotes)
                    ),
                    docs,
                ),
                store.read(
                    "mentions",
                    ["doc_id", "entity", "line"],
                    lambda m: m["entity"].isin(media),
                    docs,
                ),
                quoted,
                sources[sources["doc_id"].between(*docs)],
                labels,
                cited_by_all,
            )
            relaying = (edges["source"] == original) & (edges["relation"] == "quotes")
            from_original.append(
                edges.loc[relaying, ["source", "target", "relation"]].drop_duplicates()
            )
            yield edges

    yield "chain", chain(), None
    relays = pd.concat(from_original, ignore_index=True).drop_duplicates()

    def caveats() -> Iterator[pd.DataFrame]:
        for docs in ranges:
            quoted = store.read("quotes", ["doc_id", "block_id", "utterance_speaker"], docs=docs)
            about = store.read(
                "sentences",
                list(COLUMNS["sentences"]),
                lambda s, quoted=quoted: about_testimony(s, quoted, relays, original),
                docs,
            )
            with_sentences = store.read("sentences", ["doc_id"], docs=docs)["doc_id"].unique()
            yield hedge_survival(about, quoted, relays, original, with_sentences)

    yield "caveats", caveats(), CAVEATS


def claim_tables(
    sentences: TableFile, mentions: TableFile, stance: TableFile
) -> dict[str, pd.DataFrame]:
    """The claims table, from the Parquet files of the tables it reads, a row group of
    sentences at a time with the mentions of claim entities and the stance of attributed
    or hedged sentences of the same documents."""
    entities = claim_entities()
    columns = ["doc_id", "sent_id", "line", "start", "end", "text"]

    def chunks() -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        for part in row_groups(sentences, columns):
            docs = (part["doc_id"].min(), part["doc_id"].max())
            yield (
                part,
                read_table(
                    mentions,
                    ["doc_id", "sent_id", "entity"],
                    lambda m: m["entity"].isin(entities),
                    docs,
                ),
                read_table(
                    stance,
                    ["doc_id", "sent_id", "attributed", "n_hedges"],
                    sets_status,
                    docs,
                ),
            )

    return {"claims": match_claims(chunks())}


def task_tables(
    into: Path | None, fn: Callable[..., dict[str, pd.DataFrame | bytes]], *args: Any
) -> dict[str, bytes]:
    """Run on a worker: ``fn``'s tables written into the store at ``into`` by the worker
    itself, where it shares this machine's disk (none returned), else returned as Parquet
    files (those ``fn`` gives as files, as they are), a fraction of the frames' size, for
    the main process to write as they are."""
    files = {}
    for name, table in fn(*args).items():
        if isinstance(table, pd.DataFrame):
            buffer = io.BytesIO()
            table.to_parquet(buffer, index=False)
            table = buffer.getvalue()
        files[name] = table
    if into is None:
        return files
    store = TableStore(into)
    for name, file in files.items():
        store.write(name, file)
    return {}


def build(
    raw_dir: Path,
    out_dir: Path,
    progress: bool = True,
    engine: str = "local",
    n_process: int = 1,
    scheduler: str | None = None,
    use_cache: bool = True,
    timings: dict[str, float] | None = None,
) -> Tables:
    """Build every table from ``raw_dir`` and write them as Parquet into ``out_dir``.

    The per-document stage runs on ``engine`` ("local": this process, or ``n_process``
    worker processes; "dask": a LocalCluster of ``n_process`` workers, or the cluster at
    ``scheduler``), reading unchanged documents from the cache in ``out_dir/.cache``.
    Per-article tables go to disk as their documents are done, and the measures across
    articles read back only what they use. Stage durations in seconds go into
    ``timings`` when given.
    """
    clock = Stopwatch(timings)
    store = TableStore(out_dir)
    with Engine(engine, n_process, scheduler) as runner:  # workers load the model meanwhile
        writers = {name: store.writer(name) for name in COLUMNS if name != "quotes"}
        # quotes are aligned across articles afterwards (``quote_stage``)
        writers["quotes"] = TableWriter(store.part("quotes-unaligned"), "quotes")
        text_task = None  # the text-only measures, submitted once every file is read

        # where the workers share this machine's disk, tasks read and write tables there
        into = out_dir if runner.shares_disk else None

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
            read_articles(raw_dir, writers["articles"], writers["blocks"], progress=False),
            keep,
            runner,
            DocCache(out_dir / ".cache") if use_cache else None,
            progress,
            on_read=read,
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
            quote_stage(out_dir)
        # the tasks' tables: already written where the workers share this machine's disk
        for name, file in {**claims.result(), **text_task.result()}.items():
            store.write(name, file)
        clock.lap("corpus measures")
    clear_stamp(out_dir)
    written = store.publish()
    write_stamp(raw_dir, out_dir)
    clock.lap("write")
    return written


class Stopwatch:
    """Records the seconds since the previous lap under each lap's name."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into, self.last = into, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[name] = round(now - self.last, 3)
        self.last = now
