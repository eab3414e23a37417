"""The ingest stage's tables: every input file as an articles row and its blocks as rows,
and the body blocks handed to the annotation.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections import deque
from collections.abc import Iterator
from pathlib import Path, PurePath

import pandas as pd
from tqdm import tqdm

from helpers.build.engine import DocInput
from helpers.build.store import TableRows
from helpers.ingest.corpus import Article, inputs, load_article, manifest_row
from helpers.ingest.files import HTML_SUFFIXES, MANIFEST, InputDigest, ordered_inputs, probe
from helpers.ingest.language import english_rules_apply
from helpers.schema import COLUMNS, ORDER
from helpers.text import printable


class ReadRecord:
    """What the build read of a raw folder: the ``InputDigest`` for its stamp, and a
    small number per path (a hash of its probe, 8 bytes) to find afterwards the files that
    changed while the build ran (``changed``)."""

    def __init__(self) -> None:
        self.digest = InputDigest()
        self.names: list[str] = []
        self.keys = array("q")

    def add(self, name: str, art_probe, sha256: str) -> None:
        self.digest.add(name, art_probe, sha256)
        if name != MANIFEST:
            self.keys.append(hash(art_probe.key()) if art_probe is not None else 0)

    def changed(self, raw_dir: Path) -> list[str]:
        """Warnings naming every path that changed, came or went since it was read (its
        metadata only is looked at again: nothing is read twice)."""
        names, _ = ordered_inputs(raw_dir)
        now = set(names)
        warnings = [
            f"{printable(name)} changed while the build read it: the tables hold what was "
            "read, and the next build reads it again"
            for name, key in zip(self.names, self.keys, strict=True)
            if name not in now or hash(probe(raw_dir / name, raw_dir).key()) != key
        ]
        came = now.difference(self.names)
        warnings += [
            f"{printable(name)} came into the raw folder during the build: the next build "
            "reads it"
            for name in sorted(came)
        ]
        return warnings


def cache_key(art: Article) -> str:
    """The key of an article's annotation in the cache: its bytes' sha256 and the handler
    that read them (the same bytes read as HTML and as text give other blocks)."""
    kind = "html" if PurePath(art.file).suffix.lower() in HTML_SUFFIXES else "text"
    return hashlib.sha256(f"{kind}\0{art.sha256}".encode()).hexdigest()


def iter_articles(
    raw_dir: Path, progress: bool = True, record: ReadRecord | None = None
) -> Iterator[Article]:
    """Every input file as an Article (rejected ones included), one at a time in the
    order of their document ids, which orders every table; manifest problems are printed
    as warnings (names escaped). What was read goes into ``record`` when given."""
    found = inputs(raw_dir)
    for warning in found.warnings:
        print(f"warning: {printable(warning)}", file=sys.stderr)
    if record is not None:
        record.names = found.names
        record.add(MANIFEST, found.manifest_probe, found.manifest_sha256)
    # the first kept file of each content, by its digest (bytes: half the hex string)
    first_seen: dict[bytes, int] = {}
    files = tqdm(found.names, desc="articles", unit="file", disable=not progress, file=sys.stderr)
    for number, name in enumerate(files):
        row = manifest_row(found.manifest[number])
        art = load_article(raw_dir / name, raw_dir, found.doc_id(name), row)
        if record is not None:
            record.add(name, art.probe, art.sha256)
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
    raw_dir: Path,
    articles: TableRows,
    blocks: TableRows,
    progress: bool = True,
    record: ReadRecord | None = None,
) -> Iterator[DocInput]:
    """Read every file, adding its row to ``articles`` and its blocks to ``blocks``, and
    yield (doc_id, cache key, body block rows) for each kept article with a body, the
    engines' input, as soon as it is read. Blocks of rejected pages stay visible for the
    audit; a duplicate's would count twice."""
    for art in iter_articles(raw_dir, progress, record):
        articles.extend([article_row(art)])
        if art.rule == "duplicate":
            continue
        rows = list(block_rows(art))
        blocks.extend(rows)
        body = [{k: row[k] for k in INPUT_COLUMNS} for row in rows if row["is_body"]]
        # the English pipeline annotates English articles only; the others keep their text
        if art.status == "ok" and body and english_rules_apply(art.language):
            yield art.doc_id, cache_key(art), body


def in_memory(name: str) -> TableRows:
    return TableRows(list(COLUMNS[name]), ORDER[name])


def read_tables(raw_dir: Path, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles and blocks tables of ``raw_dir``."""
    articles, blocks = in_memory("articles"), in_memory("blocks")
    deque(read_articles(raw_dir, articles, blocks, progress), maxlen=0)
    return articles.frame(), blocks.frame().astype({"start": "Int64", "end": "Int64"})
