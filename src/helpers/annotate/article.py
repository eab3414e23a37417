"""Annotated documents: every per-article table from the parsed body blocks of one article.

``annotate_documents`` is the unit of work the engines run: each document's results are a
pure function of its body block rows, returned as plain rows (no spaCy objects), so any
process can run it.
"""

from __future__ import annotations

from itertools import islice

from spacy.tokens import Span

from helpers.annotate.context import BlockDoc, article_context
from helpers.annotate.entities import describe
from helpers.annotate.labels import block_labels
from helpers.annotate.nlp import get_nlp
from helpers.annotate.quotes import article_quotes
from helpers.annotate.sources import article_sources
from helpers.annotate.speakers import cue_in
from helpers.annotate.stance import markers
from helpers.ingest.clean import words

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


def annotate_documents(documents: list[list[dict]]) -> list[dict[str, list[dict]]]:
    """Every per-article table of each document, from its body block rows.

    The blocks of all the documents go through the pipeline as one stream, batched as
    ``nlp.pipe`` batches them best: piped a document (a dozen paragraphs) at a time, the
    same words took ~6 % longer.
    """
    docs = get_nlp().pipe((b["text"] for blocks in documents for b in blocks), batch_size=64)
    return [
        annotate_article(
            [
                BlockDoc(
                    b["block_id"],
                    b["role"],
                    b["rule"],
                    int(b["start"]),
                    int(b["line_start"]),
                    [int(w) for w in b["wraps"]],
                    doc,
                )
                for b, doc in zip(blocks, islice(docs, len(blocks)), strict=True)
            ]
        )
        for blocks in documents
    ]


def annotate_article(blocks: list[BlockDoc]) -> dict[str, list[dict]]:
    """Per-article rows (without ``doc_id``) from the parsed body blocks, in order."""
    sentences, mentions, labels = [], [], []
    sent_spans: list[tuple[BlockDoc, Span, int]] = []
    for block in blocks:
        sent_ids = {}
        for sent in block.doc.sents:
            text = block.text_of(sent)
            if not text.strip():
                continue
            sent_ids[sent.start] = len(sentences)
            sent_spans.append((block, sent, len(sentences)))
            sentences.append(
                {
                    "sent_id": len(sentences),
                    "block_id": block.block_id,
                    "start": block.start + sent.start_char,
                    "end": block.start + sent.end_char,
                    "text": text,
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
        text = block.text_of(sent)
        found = markers(text)
        rows.append(
            {
                "sent_id": sent_id,
                "line": block.line_of(sent.start_char),
                "start": start,
                "end": end,
                "n_words": len(words(text)),
                "n_hedges": len(found["hedges"]),
                "n_boosters": len(found["boosters"]),
                "hedges": "; ".join(found["hedges"]),
                "boosters": "; ".join(found["boosters"]),
                "attributed": inside > 0
                or cue_in(sent, [], sent.start_char, block.cues) is not None,
                "voice": "quoted" if inside >= 0.5 * (end - start) else "author",
                "names_study_entity": sent_id in named,
            }
        )
    return rows
