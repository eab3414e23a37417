"""The stages across articles, each a task an engine runs: text measures (similarity, reuse,
distinctive terms), quote alignment with the tables made from it (utterances, chain,
caveats), and claims.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.across.alignment import (
    Quoted,
    relayed,
    utterance_versions,
    utterances,
    version_batches,
    with_utterances,
)
from helpers.across.caveats import about_testimony, hedge_survival
from helpers.across.chain import (
    QUOTE_COLUMNS,
    chain_edges,
    cited_media,
    most_cited_outlet,
    relay_citations,
)
from helpers.across.claims import claim_entities, match_claims, sets_status
from helpers.across.distinctive import fightin_words, tfidf_terms
from helpers.across.reuse import reuse_files
from helpers.build.store import (
    TableFile,
    TableStore,
    read_table,
    row_groups,
    typed_schema,
    with_slices,
)
from helpers.ingest.corpus import in_blocks, outlet_labels
from helpers.schema import COLUMNS, TABLE_COLUMNS

QUOTES = typed_schema(TABLE_COLUMNS["quotes"])
CAVEATS = typed_schema(TABLE_COLUMNS["caveats"])


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
    quotes allocates for a while stays out of the main process, whose heap would keep
    part of it (docs/scale.md)."""
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
        "sources",
        ["doc_id", "source", "source_type", "type_reason"],
        lambda s: s["source_type"] == "news_media",
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
