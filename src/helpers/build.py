"""The build: raw folder in, tidy Parquet tables out.

Stages run in one direction: files -> articles (decoded, cleaned) -> blocks -> sentences
and entity mentions.
Output is deterministic: a rebuild of unchanged input writes identical tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from .alignment import align_quotes, utterance_versions
from .chain import chain_edges
from .corpus import Article, doc_ids, list_inputs, load_article, outlet_labels, read_manifest
from .entities import describe
from .nlp import get_nlp
from .sourcing import BlockDoc, article_context, article_quotes, article_sources

TABLES = ("articles", "blocks", "sentences", "mentions", "quotes", "sources", "utterances", "chain")

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
ANNOTATION_COLUMNS = {
    "sentences": ["sent_id", "block_id", "start", "end", "text", "line"],
    "mentions": [
        "sent_id",
        "block_id",
        "start",
        "end",
        "line",
        "surface",
        "entity",
        "label",
        "form",
        "alias",
        "target",
        "source",
    ],
    "quotes": [
        "quote_id",
        "block_id",
        "line",
        "start",
        "end",
        "text",
        "speaker",
        "speaker_surface",
        "cue",
        "kind",
        "phrase",
    ],
    "sources": ["source", "source_type", "cue", "n"],
}
ANNOTATION_ORDER = {
    "sentences": ["doc_id", "sent_id"],
    "mentions": ["doc_id", "start", "end"],
    "quotes": ["doc_id", "quote_id"],
    "sources": ["doc_id", "source", "cue"],
}
# Named things only: dates, numbers and amounts are not mentions.
NAME_LABELS = {
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
}


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


def annotate(blocks: pd.DataFrame, n_process: int = 1) -> dict[str, pd.DataFrame]:
    """Sentences, entity mentions, quotes and sources of the body blocks.

    One pass of the pipeline over every body block (each its own spaCy document, so no
    sentence or entity crosses a block), then article by article as the docs stream in.
    """
    body = blocks[blocks["is_body"]]
    docs = get_nlp().pipe(body["text"].tolist(), n_process=n_process, batch_size=64)
    columns = ["doc_id", "block_id", "role", "reason", "start", "line_start", "wraps"]
    rows = zip(body[columns].itertuples(index=False), docs, strict=True)
    found: dict[str, list[dict]] = {name: [] for name in ANNOTATION_COLUMNS}
    for doc_id, group in groupby(rows, key=lambda item: item[0].doc_id):
        article = [
            BlockDoc(
                r.block_id, r.role, r.reason, int(r.start), int(r.line_start), list(r.wraps), doc
            )
            for r, doc in group
        ]
        for name, table in annotate_article(article).items():
            found[name] += [{"doc_id": doc_id, **row} for row in table]
    tables = {
        name: _frame(found[name], ["doc_id", *cols], ANNOTATION_ORDER[name])
        for name, cols in ANNOTATION_COLUMNS.items()
    }
    tables["mentions"] = tables["mentions"].astype({"sent_id": "Int64"})
    tables["quotes"] = align_quotes(tables["quotes"])
    return tables


def annotate_article(blocks: list[BlockDoc]) -> dict[str, list[dict]]:
    """Per-article rows (without ``doc_id``) from the parsed body blocks, in order."""
    sentences, mentions = [], []
    for block in blocks:
        sent_ids = {}
        for sent in block.doc.sents:
            if not sent.text.strip():
                continue
            sent_ids[sent.start] = len(sentences)
            sentences.append(
                {
                    "sent_id": len(sentences),
                    "block_id": block.block_id,
                    "start": block.start + sent.start_char,
                    "end": block.start + sent.end_char,
                    "text": sent.text,
                    "line": block.line_of(sent.start_char),
                }
            )
        for ent in block.doc.ents:
            if ent.label_ in NAME_LABELS:
                mentions.append(
                    {
                        "sent_id": sent_ids.get(ent.sent.start),
                        "block_id": block.block_id,
                        "start": block.start + ent.start_char,
                        "end": block.start + ent.end_char,
                        "line": block.line_of(ent.start_char),
                        "surface": ent.text,
                        **describe(ent),
                    }
                )
    ctx = article_context(mentions, blocks)
    quotes = article_quotes(blocks, ctx)
    for quote_id, quote in enumerate(quotes):
        quote["quote_id"] = quote_id
    sources = article_sources(blocks, quotes, ctx)
    return {"sentences": sentences, "mentions": mentions, "quotes": quotes, "sources": sources}


def relay_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Across articles: versions of shared quotes, and the attribution chain."""
    labels = outlet_labels(tables["articles"])
    return {
        "utterances": utterance_versions(tables["quotes"], labels),
        "chain": chain_edges(
            tables["articles"],
            tables["blocks"],
            tables["mentions"],
            tables["quotes"],
            tables["sources"],
            labels,
        ),
    }


def _frame(rows: list[dict], columns: list[str], order: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def build(raw_dir: Path, out_dir: Path, progress: bool = True) -> dict[str, pd.DataFrame]:
    """Build every table from ``raw_dir`` and write them as Parquet into ``out_dir``."""
    articles, warnings = read_articles(raw_dir, progress=progress)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # Blocks of rejected pages stay visible for the audit; a duplicate's would count twice.
    blocks = blocks_table(a for a in articles if not a.reason.startswith("duplicate of"))
    tables = {"articles": articles_table(articles), "blocks": blocks, **annotate(blocks)}
    tables.update(relay_tables(tables))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
    return tables
