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
from spacy.tokens import Span
from tqdm import tqdm

from .alignment import align_quotes, utterance_versions
from .chain import chain_edges
from .claims import match_claims
from .clean import words
from .corpus import Article, doc_ids, list_inputs, load_article, outlet_labels, read_manifest
from .distinctive import fightin_words, tfidf_terms
from .entities import describe
from .labels import block_labels
from .nlp import get_nlp
from .reuse import reuse_pairs, shared_passages
from .sourcing import BlockDoc, article_context, article_quotes, article_sources, cue_in
from .stance import hedge_survival, markers

TABLES = (
    "articles",
    "blocks",
    "sentences",
    "mentions",
    "quotes",
    "sources",
    "labels",
    "stance",
    "utterances",
    "chain",
    "distinctive",
    "similarity",
    "passages",
    "claims",
    "caveats",
)

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
    "labels": [
        "sent_id",
        "block_id",
        "start",
        "end",
        "line",
        "entity",
        "label",
        "relation",
        "surface",
    ],
    "stance": [
        "sent_id",
        "line",
        "start",
        "end",
        "n_words",
        "n_hedges",
        "n_boosters",
        "hedges",
        "boosters",
        "attributed",
        "voice",
        "names_study_entity",
    ],
}
ANNOTATION_ORDER = {
    "sentences": ["doc_id", "sent_id"],
    "mentions": ["doc_id", "start", "end"],
    "quotes": ["doc_id", "quote_id"],
    "sources": ["doc_id", "source", "cue"],
    "labels": ["doc_id", "start", "end", "label"],
    "stance": ["doc_id", "sent_id"],
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
    sentences, mentions, labels = [], [], []
    sent_spans: list[tuple[BlockDoc, Span, int]] = []
    for block in blocks:
        sent_ids = {}
        for sent in block.doc.sents:
            if not sent.text.strip():
                continue
            sent_ids[sent.start] = len(sentences)
            sent_spans.append((block, sent, len(sentences)))
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
        for row in block_labels(block.doc):
            sent = block.doc.char_span(row["start"], row["end"], alignment_mode="expand").sent
            labels.append(
                {
                    **row,
                    "sent_id": sent_ids.get(sent.start),
                    "block_id": block.block_id,
                    "line": block.line_of(row["start"]),
                    "start": block.start + row["start"],
                    "end": block.start + row["end"],
                }
            )
    ctx = article_context(mentions, blocks)
    quotes = article_quotes(blocks, ctx)
    for quote_id, quote in enumerate(quotes):
        quote["quote_id"] = quote_id
    sources = article_sources(blocks, quotes, ctx)
    return {
        "sentences": sentences,
        "mentions": mentions,
        "quotes": quotes,
        "sources": sources,
        "labels": labels,
        "stance": sentence_stance(sent_spans, quotes, mentions),
    }


def sentence_stance(sent_spans: list, quotes: list[dict], mentions: list[dict]) -> list[dict]:
    """Hedges, boosters, attribution and voice of every sentence of one article."""
    spoken = [(q["start"], q["end"]) for q in quotes if q["kind"] != "scare"]
    named = {m["sent_id"] for m in mentions if m["target"]}
    rows = []
    for block, sent, sent_id in sent_spans:
        start, end = block.start + sent.start_char, block.start + sent.end_char
        inside = sum(max(0, min(end, b) - max(start, a)) for a, b in spoken)
        found = markers(sent.text)
        rows.append(
            {
                "sent_id": sent_id,
                "line": block.line_of(sent.start_char),
                "start": start,
                "end": end,
                "n_words": len(words(sent.text)),
                "n_hedges": len(found["hedges"]),
                "n_boosters": len(found["boosters"]),
                "hedges": "; ".join(found["hedges"]),
                "boosters": "; ".join(found["boosters"]),
                "attributed": inside > 0 or cue_in(sent, [], sent.start_char) is not None,
                "voice": "quoted" if inside >= 0.5 * (end - start) else "author",
                "names_study_entity": sent_id in named,
            }
        )
    return rows


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
    passages = shared_passages(texts)
    chain = chain_edges(
        articles, tables["blocks"], tables["mentions"], tables["quotes"], tables["sources"], labels
    )
    distinctive = pd.concat(
        [
            fightin_words(texts).assign(method="fightin_words"),
            tfidf_terms(texts).assign(method="tfidf"),
        ],
        ignore_index=True,
    )
    columns = ["doc_id", "method", "term", "count", "count_rest", "z", "tfidf"]
    return {
        "utterances": utterance_versions(tables["quotes"], labels),
        "chain": chain,
        "distinctive": distinctive.reindex(columns=columns),
        "similarity": reuse_pairs(texts, passages),
        "passages": passages,
        "claims": match_claims(tables["sentences"], tables["mentions"], tables["stance"]),
        "caveats": hedge_survival(
            tables["sentences"], tables["quotes"], chain, most_cited_outlet(tables["sources"])
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
    tables.update(corpus_tables(tables))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
    return tables
