"""The build: raw folder in, tidy Parquet tables out.

Stages run in one direction: files -> articles (decoded, cleaned) -> blocks -> sentences
and entity mentions.
Output is deterministic: a rebuild of unchanged input writes identical tables.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from .alignment import align_quotes, utterance_versions
from .annotate import ANNOTATION_COLUMNS, ANNOTATION_ORDER
from .cache import DocCache, write_stamp
from .chain import chain_edges
from .claims import match_claims
from .corpus import Article, doc_ids, list_inputs, load_article, outlet_labels, read_manifest
from .distinctive import fightin_words, tfidf_terms
from .engine import DocInput, run_documents
from .reuse import reuse_tables
from .stance import hedge_survival

ARTICLE_COLUMNS = [
    "doc_id",
    "file",
    "sha256",
    "status",
    "reason",
    "outlet",
    "url",
    "published",
    "published_month",
    "author",
    "headline",
    "n_words",
    "text",
    "encoding",
    "n_lines",
    "n_body_lines",
    "metadata_evidence",
]
BLOCK_COLUMNS = [
    "doc_id",
    "block_id",
    "line_start",
    "line_end",
    "role",
    "is_body",
    "text",
    "start",
    "end",
    "reason",
    "wraps",
]


# Columns of the per-article tables (each also starts with doc_id) and their row order.
def read_articles(raw_dir: Path, progress: bool = True) -> tuple[list[Article], list[str]]:
    """Every input file as an Article (rejected ones included), plus manifest warnings."""
    manifest = read_manifest(raw_dir)
    paths = list_inputs(raw_dir)
    ids = doc_ids(paths)
    articles: list[Article] = []
    first_seen: dict[str, str] = {}
    for path in tqdm(paths, desc="articles", unit="file", disable=not progress, file=sys.stderr):
        art = load_article(path, raw_dir, ids[path], manifest.rows.get(path.name))
        if art.sha256 and art.status == "ok":
            if art.sha256 in first_seen:
                art.reject(f"duplicate of {first_seen[art.sha256]} (identical bytes)")
            else:
                first_seen[art.sha256] = art.doc_id
        articles.append(art)
    warnings = list(manifest.warnings)
    listed = {p.name for p in paths}
    if manifest.rows:
        warnings += [
            f"{name} is not in manifest.csv: metadata inferred from the text"
            for name in sorted(listed - set(manifest.rows))
        ]
    return articles, warnings


def articles_table(articles: Iterable[Article]) -> pd.DataFrame:
    rows = [
        {
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
        for a in articles
    ]
    return _frame(rows, ARTICLE_COLUMNS, ["doc_id"])


def blocks_table(articles: Iterable[Article]) -> pd.DataFrame:
    rows = []
    for a in articles:
        offset = 0
        for block_id, b in enumerate(a.blocks):
            start = end = None
            if b.is_body:
                start, end = offset, offset + len(b.text)
                offset = end + 2  # the "\n\n" that joins body blocks
            rows.append(
                {
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
            )
    frame = _frame(rows, BLOCK_COLUMNS, ["doc_id", "block_id"])
    return frame.astype({"start": "Int64", "end": "Int64"})


def most_cited_outlet(sources: pd.DataFrame) -> str:
    """The news outlet the most articles cite: the original reporting they relay."""
    media = sources[sources["source_type"] == "news_media"]
    counts = media.groupby("source")["doc_id"].nunique()
    return sorted(counts.index, key=lambda s: (-counts[s], s))[0] if len(counts) else ""


def corpus_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Measures across articles: shared quotes, the attribution chain, distinctive terms,
    similarity and reuse, the claims sentences state, and caveat survival."""
    articles = tables["articles"]
    labels = outlet_labels(articles)
    texts = articles.loc[articles["status"] == "ok"].set_index("doc_id")["text"].sort_index()
    similar, passages = reuse_tables(texts)
    chain = chain_edges(
        articles, tables["blocks"], tables["mentions"], tables["quotes"], tables["sources"], labels
    )
    outlets = texts.index.map(labels).to_series(index=texts.index)
    distinctive = pd.concat(
        [
            fightin_words(texts, outlets).assign(method="fightin_words"),
            tfidf_terms(texts, outlets).assign(method="tfidf"),
        ],
        ignore_index=True,
    )
    columns = ["outlet", "method", "term", "count", "count_rest", "z", "tfidf"]
    return {
        "utterances": utterance_versions(tables["quotes"], labels),
        "chain": chain,
        "distinctive": distinctive.reindex(columns=columns),
        "similarity": similar,
        "passages": passages,
        "claims": match_claims(tables["sentences"], tables["mentions"], tables["stance"]),
        "caveats": hedge_survival(
            tables["sentences"], tables["quotes"], chain, most_cited_outlet(tables["sources"])
        ),
    }


def _frame(rows: list[dict], columns: list[str], order: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def document_inputs(articles: list[Article], blocks: pd.DataFrame) -> list[DocInput]:
    """(doc_id, sha256, body block rows) for every kept article: the engines' input."""
    body = blocks[blocks["is_body"]]
    columns = ["block_id", "role", "reason", "start", "line_start", "wraps", "text"]
    by_doc = {
        doc_id: group[columns].to_dict("records")
        for doc_id, group in body.groupby("doc_id", sort=False)
    }
    return [
        (a.doc_id, a.sha256, by_doc[a.doc_id])
        for a in articles
        if a.status == "ok" and a.doc_id in by_doc
    ]


def annotation_tables(results: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """The per-article tables of every document, in document order."""
    tables = {}
    for name, columns in ANNOTATION_COLUMNS.items():
        rows = [
            {"doc_id": doc_id, **row} for doc_id in sorted(results) for row in results[doc_id][name]
        ]
        tables[name] = _frame(rows, ["doc_id", *columns], ANNOTATION_ORDER[name])
    tables["mentions"] = tables["mentions"].astype({"sent_id": "Int64"})
    tables["quotes"] = align_quotes(tables["quotes"])
    return tables


def build(
    raw_dir: Path,
    out_dir: Path,
    progress: bool = True,
    engine: str = "local",
    n_process: int = 1,
    scheduler: str | None = None,
    use_cache: bool = True,
    timings: dict[str, float] | None = None,
) -> dict[str, pd.DataFrame]:
    """Build every table from ``raw_dir`` and write them as Parquet into ``out_dir``.

    The per-document stage runs on ``engine`` ("local": this process, or ``n_process``
    worker processes; "dask": a LocalCluster of ``n_process`` workers, or the cluster at
    ``scheduler``), reading unchanged documents from the cache in ``out_dir/.cache``.
    Stage durations in seconds go into ``timings`` when given.
    """
    clock = Stopwatch(timings)
    articles, warnings = read_articles(raw_dir, progress=progress)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # Blocks of rejected pages stay visible for the audit; a duplicate's would count twice.
    blocks = blocks_table(a for a in articles if not a.reason.startswith("duplicate of"))
    clock.lap("read and clean")
    cache = DocCache(out_dir / ".cache") if use_cache else None
    results, stats = run_documents(
        document_inputs(articles, blocks), cache, engine, n_process, scheduler, progress
    )
    clock.lap("annotate")
    if progress:
        print(
            f"annotated {stats['annotated']} of {stats['documents']} documents "
            f"({stats['cached']} from the cache)",
            file=sys.stderr,
        )
    tables = {"articles": articles_table(articles), "blocks": blocks, **annotation_tables(results)}
    clock.lap("assemble and align quotes")
    tables.update(corpus_tables(tables))
    clock.lap("corpus measures")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
    write_stamp(raw_dir, out_dir)
    clock.lap("write")
    return tables


class Stopwatch:
    """Records the seconds since the previous lap under each lap's name."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into, self.last = into, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[name] = round(now - self.last, 3)
        self.last = now
