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

import pandas as pd
from tqdm import tqdm

from .alignment import align_quotes, utterance_versions
from .cache import DocCache, clear_stamp, write_stamp
from .chain import chain_edges
from .claims import claim_entities, match_claims, sets_status
from .corpus import (
    Article,
    doc_ids,
    in_blocks,
    list_inputs,
    load_article,
    outlet_labels,
    read_manifest,
)
from .distinctive import fightin_words, tfidf_terms
from .engine import DocInput, Engine, run_documents
from .reuse import reuse_files
from .schema import COLUMNS, ORDER
from .stance import about_testimony, hedge_survival
from .store import TableRows, Tables, TableStore, read_table, row_groups


def iter_articles(raw_dir: Path, progress: bool = True) -> Iterator[Article]:
    """Every input file as an Article (rejected ones included), one at a time in the
    order of their document ids, which orders every table; manifest problems are printed
    as warnings."""
    manifest = read_manifest(raw_dir)
    paths = list_inputs(raw_dir)
    ids = doc_ids(paths)
    warnings = list(manifest.warnings)
    if manifest.rows:
        warnings += [
            f"{name} is not in manifest.csv: metadata inferred from the text"
            for name in sorted({p.name for p in paths} - set(manifest.rows))
        ]
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    first_seen: dict[str, str] = {}
    in_order = sorted(paths, key=ids.__getitem__)
    for path in tqdm(in_order, desc="articles", unit="file", disable=not progress, file=sys.stderr):
        art = load_article(path, raw_dir, ids[path], manifest.rows.get(path.name))
        if art.sha256 and art.status == "ok":
            if art.sha256 in first_seen:
                art.reject(f"duplicate of {first_seen[art.sha256]} (identical bytes)")
            else:
                first_seen[art.sha256] = art.doc_id
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


def most_cited_outlet(sources: pd.DataFrame) -> str:
    """The news outlet the most articles cite: the original reporting they relay."""
    media = sources[sources["source_type"] == "news_media"]
    counts = media.groupby("source")["doc_id"].nunique()
    return sorted(counts.index, key=lambda s: (-counts[s], s))[0] if len(counts) else ""


def kept_texts(articles: bytes) -> Iterator[tuple[str, str, str]]:
    """(doc_id, outlet label, text) of every kept article in doc-id order, read from the
    articles table's Parquet file a row group at a time."""
    columns = ["doc_id", "status", "outlet", "text"]
    for kept in row_groups(io.BytesIO(articles), columns, lambda a: a["status"] == "ok"):
        yield from zip(kept["doc_id"], outlet_labels(kept), kept["text"], strict=True)


def text_tables(articles: bytes) -> dict[str, pd.DataFrame | bytes]:
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


def quote_tables(
    store: TableStore, articles: pd.DataFrame, quotes: pd.DataFrame
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Measures across articles from their sources and aligned quotes, one table at a
    time so that each can be written before the next is made: shared quotes, the
    attribution chain, and caveat survival. Of the large tables they read only the rows
    they use: the news media cited, credit lines and quoted paragraphs, first mentions of
    cited media, and sentences about the relayed testimony."""
    labels = outlet_labels(articles)
    yield "quotes", quotes
    yield "utterances", utterance_versions(quotes, labels)
    sources = store.read(  # the news media cited: all the chain and its origin use
        "sources", ["doc_id", "source", "source_type"], lambda s: s["source_type"] == "news_media"
    )
    media = set(sources["source"])
    quoted = set(zip(quotes["doc_id"], quotes["block_id"], strict=True))
    blocks = store.read(
        "blocks",
        ["doc_id", "block_id", "role", "text", "line_start"],
        lambda b: (b["role"] == "credit") | in_blocks(b, quoted),
    )
    mentions = store.read(
        "mentions", ["doc_id", "entity", "line"], lambda m: m["entity"].isin(media)
    )
    chain = chain_edges(articles, blocks, mentions, quotes, sources, labels)
    del blocks, mentions
    yield "chain", chain
    original = most_cited_outlet(sources)
    about = store.read(
        "sentences",
        list(COLUMNS["sentences"]),
        lambda s: about_testimony(s, quotes, chain, original),
    )
    firsts = store.read("sentences", ["doc_id"], lambda s: ~s["doc_id"].duplicated())
    yield "caveats", hedge_survival(about, quotes, chain, original, firsts["doc_id"].unique())


def claim_tables(sentences: bytes, mentions: bytes, stance: bytes) -> dict[str, pd.DataFrame]:
    """The claims table, from the Parquet files of the tables it reads, a row group of
    sentences at a time with the mentions of claim entities and the stance of attributed
    or hedged sentences of the same documents."""
    entities = claim_entities()
    columns = ["doc_id", "sent_id", "line", "start", "end", "text"]

    def chunks() -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        for part in row_groups(io.BytesIO(sentences), columns):
            docs = (part["doc_id"].min(), part["doc_id"].max())
            yield (
                part,
                read_table(
                    io.BytesIO(mentions),
                    ["doc_id", "sent_id", "entity"],
                    lambda m: m["entity"].isin(entities),
                    docs,
                ),
                read_table(
                    io.BytesIO(stance),
                    ["doc_id", "sent_id", "attributed", "n_hedges"],
                    sets_status,
                    docs,
                ),
            )

    return {"claims": match_claims(chunks())}


def encoded(fn: Callable[..., dict[str, pd.DataFrame | bytes]], *args: Any) -> dict[str, bytes]:
    """``fn``'s tables as Parquet files (those it gives as files, as they are). Run on a
    worker, so that the main process receives a fraction of the frames' size and writes
    them as they are."""
    files = {}
    for name, table in fn(*args).items():
        if isinstance(table, pd.DataFrame):
            buffer = io.BytesIO()
            table.to_parquet(buffer, index=False)
            table = buffer.getvalue()
        files[name] = table
    return files


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
        quotes = in_memory("quotes")  # aligned across articles before it is written
        corpus = {}

        def keep(doc_id: str, result: dict) -> None:
            for name, rows in result.items():
                table = quotes if name == "quotes" else writers[name]
                table.extend({"doc_id": doc_id, **row} for row in rows)

        def read() -> None:  # the text-only measures start beside the remaining annotation
            clock.lap("read (annotating meanwhile)")
            for name in ("articles", "blocks"):
                writers.pop(name).close()
            corpus["texts"] = runner.submit(encoded, text_tables, store.file("articles"))
            corpus["articles"] = store.read("articles", ["doc_id", "status", "outlet"])

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
        claims = runner.submit(  # beside the alignment, reading the files it is sent
            encoded, claim_tables, *(store.file(n) for n in ("sentences", "mentions", "stance"))
        )
        aligned = align_quotes(quotes.frame())
        clock.lap("assemble and align quotes")
        for name, table in quote_tables(store, corpus["articles"], aligned):
            store.write(name, table)  # written as made: none waits for the others
        del aligned
        for name, file in {**claims.result(), **corpus.pop("texts").result()}.items():
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
