"""The ingest stage's tables: every input file as an articles row and its blocks as rows,
and the body blocks handed to the annotation.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from helpers.build.engine import DocInput
from helpers.build.store import TableRows
from helpers.ingest.corpus import Article, inputs, load_article, manifest_row
from helpers.ingest.language import english_rules_apply
from helpers.schema import COLUMNS, ORDER


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
                art.reject(
                    "duplicate",
                    f"duplicate of {found.doc_id(found.names[first])} (identical bytes)",
                )
        yield art


def article_row(a: Article) -> dict:
    return {
        "doc_id": a.doc_id,
        "file": a.file,
        "sha256": a.sha256,
        "status": a.status,
        "reason": a.reason,
        "rule": a.rule,
        "outlet": a.outlet,
        "url": a.url,
        "published": a.published,
        "published_month": a.published_month,
        "author": a.author,
        "headline": a.headline,
        "n_words": a.n_words,
        "text": a.text,
        "encoding": a.encoding,
        "language": a.language,
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
            "rule": b.rule,
            "wraps": list(b.wraps),
        }


INPUT_COLUMNS = ["block_id", "role", "rule", "start", "line_start", "wraps", "text"]


def read_articles(
    raw_dir: Path, articles: TableRows, blocks: TableRows, progress: bool = True
) -> Iterator[DocInput]:
    """Read every file, adding its row to ``articles`` and its blocks to ``blocks``, and
    yield (doc_id, sha256, body block rows) for each kept article with a body, the
    engines' input, as soon as it is read. Blocks of rejected pages stay visible for the
    audit; a duplicate's would count twice."""
    for art in iter_articles(raw_dir, progress):
        articles.extend([article_row(art)])
        if art.rule == "duplicate":
            continue
        rows = list(block_rows(art))
        blocks.extend(rows)
        body = [{k: row[k] for k in INPUT_COLUMNS} for row in rows if row["is_body"]]
        # the English pipeline annotates English articles only; the others keep their text
        if art.status == "ok" and body and english_rules_apply(art.language):
            yield art.doc_id, art.sha256, body


def in_memory(name: str) -> TableRows:
    return TableRows(list(COLUMNS[name]), ORDER[name])


def read_tables(raw_dir: Path, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles and blocks tables of ``raw_dir``."""
    articles, blocks = in_memory("articles"), in_memory("blocks")
    deque(read_articles(raw_dir, articles, blocks, progress), maxlen=0)
    return articles.frame(), blocks.frame().astype({"start": "Int64", "end": "Int64"})
