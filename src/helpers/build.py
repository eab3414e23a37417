"""The build: raw folder in, tidy Parquet tables out.

Stages run in one direction: files -> articles (decoded, cleaned) -> blocks -> sentences
and entity mentions.
Output is deterministic: a rebuild of unchanged input writes identical tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from .corpus import Article, doc_ids, list_inputs, load_article, read_manifest
from .entities import describe
from .nlp import get_nlp

TABLES = ("articles", "blocks", "sentences", "mentions")

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
SENTENCE_COLUMNS = ["doc_id", "sent_id", "block_id", "start", "end", "text", "line"]
MENTION_COLUMNS = [
    "doc_id",
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
]
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
    """Sentences and entity mentions of body blocks, from one pass of the pipeline.

    Each block is its own spaCy document, so no sentence or entity crosses a block.
    """
    body = blocks[blocks["is_body"]]
    docs = get_nlp().pipe(body["text"].tolist(), n_process=n_process, batch_size=64)
    sentences, mentions = [], []
    counters: dict[str, int] = {}
    columns = ["doc_id", "block_id", "start", "line_start", "wraps"]
    for (doc_id, block_id, offset, line, wraps), doc in zip(
        body[columns].itertuples(index=False), docs, strict=True
    ):
        offset = int(offset)

        def line_of(char: int, line: int = int(line), wraps=wraps) -> int:
            return line + sum(1 for w in wraps if w <= char)

        sent_ids = {}
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            sent_ids[sent.start] = sent_id = counters.get(doc_id, 0)
            counters[doc_id] = sent_id + 1
            sentences.append(
                {
                    "doc_id": doc_id,
                    "sent_id": sent_id,
                    "block_id": block_id,
                    "start": offset + sent.start_char,
                    "end": offset + sent.end_char,
                    "text": sent.text,
                    "line": line_of(sent.start_char),
                }
            )
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            mentions.append(
                {
                    "doc_id": doc_id,
                    "sent_id": sent_ids.get(ent.sent.start),
                    "block_id": block_id,
                    "start": offset + ent.start_char,
                    "end": offset + ent.end_char,
                    "line": line_of(ent.start_char),
                    "surface": ent.text,
                    **describe(ent),
                }
            )
    return {
        "sentences": _frame(sentences, SENTENCE_COLUMNS, ["doc_id", "sent_id"]),
        "mentions": _frame(mentions, MENTION_COLUMNS, ["doc_id", "start", "end"]).astype(
            {"sent_id": "Int64"}
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
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
    return tables
