"""The parts that keep large builds fast and small: array-based passages, compact row
chunks, tables written as their rows arrive and read back in part, a bounded number of
tasks in flight, reading ahead of busy workers."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tracemalloc
from contextlib import ExitStack

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

import helpers.across.alignment as alignment
import helpers.across.distinctive as distinctive
import helpers.across.reuse as reuse
import helpers.build.engine as engine
import helpers.build.stages as stages
from helpers.across.reuse import _passages, text_words
from helpers.build.pipeline import build
from helpers.build.store import (
    TableRows,
    TableStore,
    TableWriter,
    read_table,
    row_groups,
    sorted_table,
    typed_schema,
)
from helpers.ingest.corpus import inputs
from helpers.paths import RAW_DIR


def naive_runs(a: list[str], b: list[str], n: int) -> set[tuple[int, int, int]]:
    """Maximal runs of at least ``n`` equal words at word positions (i in A, j in B)."""
    runs = set()
    for i in range(len(a)):
        for j in range(len(b)):
            if i and j and a[i - 1] == b[j - 1]:
                continue  # not the start of a run
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length >= n:
                runs.add((i, j, length))
    return runs


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from("abc"), max_size=30),
    st.lists(st.sampled_from("abc"), max_size=30),
    st.integers(min_value=1, max_value=4),
)
def test_passages_are_the_maximal_shared_runs(a: list[str], b: list[str], n: int) -> None:
    runs = _passages(text_words(" ".join(a), n), [text_words(" ".join(b), n)], n)
    # offsets back to word positions: every word here is one character and one space
    found = {(int(r[1]) // 2, int(r[3]) // 2, int(r[5])) for r in runs}
    assert found == naive_runs(a, b, n)
    assert all(r[2] == r[1] + 2 * r[5] - 1 for r in runs)  # end offset of the last word
    assert (runs[:, 0] == 0).all()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from("abc"), max_size=20),
    st.lists(st.lists(st.sampled_from("abc"), max_size=20), max_size=4),
    st.integers(min_value=1, max_value=3),
)
def test_passages_with_several_partners_are_each_partners_own(
    a: list[str], partners: list[list[str]], n: int
) -> None:
    words_a = text_words(" ".join(a), n)
    together = _passages(words_a, [text_words(" ".join(b), n) for b in partners], n)
    for k, b in enumerate(partners):
        alone = _passages(words_a, [text_words(" ".join(b), n)], n)
        assert together[together[:, 0] == k, 1:].tolist() == alone[:, 1:].tolist()


def stories(count: int) -> pd.Series:
    """Texts that share a long passage and some words, so both measures find pairs."""
    base = "isis commanders told us to fear nothing at all because there was cooperation"
    return pd.Series(
        {
            f"d{i:02d}": f"{base} story {i % 4} "
            + " ".join(f"w{i % 3}x{k}" for k in range(5 + i))
            + (f" {base} again" if i % 5 == 0 else "")
            for i in range(count)
        }
    )


@pytest.mark.parametrize("all_pairs_up_to", [3, 50])
def test_reuse_in_small_blocks_equals_one_block(monkeypatch, all_pairs_up_to: int) -> None:
    monkeypatch.setattr(reuse, "ALL_PAIRS_UP_TO", all_pairs_up_to)
    texts = stories(14)
    whole = reuse.reuse_tables(texts, n=8, top_k=3)
    monkeypatch.setattr(reuse, "BLOCK_DOCS", 3)  # blocks of 3, 3, 3, 3, 2 articles
    blocked = reuse.reuse_tables(texts, n=8, top_k=3)
    monkeypatch.setattr(reuse, "BLOCK_DOCS", 1)
    monkeypatch.setattr(reuse, "BLOCK_WORDS", 1)
    single = reuse.reuse_tables(texts, n=8, top_k=3)
    for one, two, three in zip(whole, blocked, single, strict=True):
        pd.testing.assert_frame_equal(one, two)
        pd.testing.assert_frame_equal(one, three)
    partners = whole[1].groupby("doc_a")["doc_b"].nunique()
    assert partners.max() == (3 if all_pairs_up_to == 3 else 13)  # every article reuses all
    assert whole[0]["cosine"].gt(0).sum() == 14 * (3 if all_pairs_up_to == 3 else 13)


def test_reuse_cosine_is_scikit_learns_tfidf_cosine() -> None:
    texts = stories(9)
    pairs, _ = reuse.reuse_tables(texts)
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    expected = pd.DataFrame(cosine_similarity(matrix), texts.index, texts.index).round(4)
    for row in pairs.itertuples():
        assert row.cosine == expected.loc[row.doc_a, row.doc_b]
    assert len(pairs) == 9 * 8  # every ordered pair: they all share words


def test_tfidf_rows_are_scikit_learns_to_the_last_bit(tmp_path) -> None:
    texts = stories(9)
    texts["e"] = " ".join(reversed(texts["d03"].split()))  # terms met in another order
    expected = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    with ExitStack() as files:
        corpus = reuse.Corpus(tmp_path, texts.items(), 8, files)
        found = corpus.tfidf(0, len(texts))
        assert corpus.blocks == [(0, 10)]
    assert (found.indptr == expected.indptr).all() and (found.indices == expected.indices).all()
    assert (found.data == expected.data).all()  # the same terms in the same order: same sums


def test_reuse_refuses_articles_out_of_order() -> None:
    with pytest.raises(ValueError, match="arrived after"):
        reuse.reuse_files([("b", "one text"), ("a", "another text")])


def test_outlet_counts_in_chunks_equal_one_chunk(monkeypatch) -> None:
    docs = [("A", "daesh daesh invasion"), ("B", "the and of"), ("A", "invasion turkey")]
    docs += [("C", "isis turkey border"), ("B", "border official"), ("D", "it is the")]
    names, terms, counts = distinctive.outlet_counts(docs, ngram_range=(1, 2))
    monkeypatch.setattr(distinctive, "CHUNK", 1)  # the stop-word-only text is a chunk alone
    names_1, terms_1, counts_1 = distinctive.outlet_counts(docs, ngram_range=(1, 2))
    assert names == names_1 == ["A", "B", "C", "D"] and terms.tolist() == terms_1.tolist()
    assert (counts != counts_1).nnz == 0
    assert counts[0, terms.tolist().index("daesh")] == 2


def test_table_rows_in_chunks_equal_one_frame(monkeypatch) -> None:
    monkeypatch.setattr(TableRows, "CHUNK", 2)
    rows = [
        {"doc_id": "b", "n": 1, "flag": None, "text": "x"},
        {"doc_id": "a", "n": None, "flag": None, "text": None},
        {"doc_id": "a", "n": 3, "flag": True, "text": "y"},
        {"doc_id": "c", "n": 4, "flag": False, "text": "z"},
    ]
    table = TableRows(["doc_id", "n", "flag", "text"], ["doc_id"])
    for row in rows:
        table.extend([row])
    assert len(table.chunks) == 2  # chunks with a null-only column and one without
    expected = (
        pd.DataFrame(rows, columns=["doc_id", "n", "flag", "text"])
        .sort_values("doc_id", kind="stable")
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(table.frame(), expected)
    empty = TableRows(["doc_id", "n"], ["doc_id"]).frame()
    assert list(empty.columns) == ["doc_id", "n"] and empty.empty


MENTIONS = [  # two documents in order, rows within each in no order
    {"doc_id": "a", "sent_id": 2, "start": 30, "end": 35, "entity": "Turkey", "target": True},
    {"doc_id": "a", "sent_id": None, "start": 0, "end": 4, "entity": "Home", "target": False},
    {"doc_id": "a", "sent_id": 1, "start": 10, "end": 15, "entity": "ISIS", "target": False},
    {"doc_id": "b", "sent_id": 1, "start": 7, "end": 9, "entity": "YPG", "target": True},
    {"doc_id": "b", "sent_id": 0, "start": 0, "end": 5, "entity": "Kobani", "target": False},
]


def write_mentions(path, monkeypatch) -> None:
    monkeypatch.setattr(TableWriter, "CHUNK", 1)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_BYTES", 1)
    writer = TableWriter(path, "mentions")
    writer.extend(MENTIONS[:3])
    writer.extend(MENTIONS[3:])
    writer.close()


def test_row_groups_hold_about_row_group_bytes_of_rows(tmp_path, monkeypatch) -> None:
    """Each row group is written once the rows held reach ROW_GROUP_BYTES, and the count
    starts again after it."""
    rows = [{**MENTIONS[0], "doc_id": f"d{i}"} for i in range(10)]
    probe = TableWriter(tmp_path / "probe.parquet", "mentions")
    probe.extend(rows[:1])
    probe._flush()
    one_row = probe.held
    probe.close()
    monkeypatch.setattr(TableWriter, "CHUNK", 1)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_BYTES", int(one_row * 2.5))
    writer = TableWriter(tmp_path / "m.parquet", "mentions")
    for row in rows:
        writer.extend([row])
    writer.close()
    file = pq.ParquetFile(tmp_path / "m.parquet")
    assert [file.metadata.row_group(g).num_rows for g in range(file.num_row_groups)] == [3, 3, 3, 1]


def test_table_written_as_rows_arrive_is_the_sorted_table(tmp_path, monkeypatch) -> None:
    write_mentions(tmp_path / "m.parquet", monkeypatch)
    assert pq.ParquetFile(tmp_path / "m.parquet").num_row_groups == 2  # a document each
    expected = (
        pd.DataFrame(MENTIONS)
        .astype({"sent_id": "Int64", "doc_id": "str", "entity": "str"})
        .sort_values(["doc_id", "start", "end"], ignore_index=True)
    )
    found = pd.read_parquet(tmp_path / "m.parquet")
    pd.testing.assert_frame_equal(found[expected.columns], expected)
    assert found["label"].isna().all() and str(found["label"].dtype) == "str"


def test_a_row_group_in_order_already_is_written_as_it_is() -> None:
    """Sorting a row group copies it; rows that arrived in order are not copied."""
    table = pa.table({"doc_id": ["a", "a", "b"], "start": [0, 5, 1], "x": [3, 2, 1]})
    assert sorted_table(table, ["doc_id", "start"]) is table
    assert sorted_table(table.take([2, 0, 1]), ["doc_id", "start"]).equals(table)
    ties = pa.table({"doc_id": ["b", "a", "a"], "x": [1, 3, 2]})
    assert sorted_table(ties, ["doc_id"]).column("x").to_pylist() == [3, 2, 1]  # stable


def test_table_writer_refuses_documents_out_of_order(tmp_path) -> None:
    writer = TableWriter(tmp_path / "m.parquet", "mentions")
    writer.extend(MENTIONS[3:])
    with pytest.raises(ValueError, match="arrived after"):
        writer.extend(MENTIONS[:3])


def test_reading_part_of_a_table_holds_only_the_rows_wanted(tmp_path, monkeypatch) -> None:
    write_mentions(tmp_path / "m.parquet", monkeypatch)
    whole = pd.read_parquet(tmp_path / "m.parquet")
    targets = read_table(tmp_path / "m.parquet", ["doc_id", "entity"], lambda m: m["entity"] > "J")
    expected = whole.loc[whole["entity"] > "J", ["doc_id", "entity"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(targets, expected)
    assert targets["entity"].tolist() == ["Turkey", "Kobani", "YPG"]
    none = read_table(tmp_path / "m.parquet", ["sent_id", "start"], lambda m: m["start"] > 99)
    assert none.empty and str(none["sent_id"].dtype) == "Int64"


def test_reading_some_documents_reads_only_the_row_groups_that_hold_them(
    tmp_path, monkeypatch
) -> None:
    write_mentions(tmp_path / "m.parquet", monkeypatch)  # a row group per document
    read = []
    original = pq.ParquetFile.read_row_group
    monkeypatch.setattr(
        pq.ParquetFile, "read_row_group", lambda f, i, **k: read.append(i) or original(f, i, **k)
    )
    found = read_table(tmp_path / "m.parquet", ["doc_id", "entity"], docs=("b", "b"))
    assert found["entity"].tolist() == ["Kobani", "YPG"] and read == [1]
    first = read_table(tmp_path / "m.parquet", ["entity", "doc_id"], docs=("0", "a"))
    assert first["entity"].tolist() == ["Home", "ISIS", "Turkey"] and read == [1, 0]


class CountingEngine(engine.Engine):
    """The in-process engine, recording how many tasks were waiting at each submit."""

    def __init__(self, workers: int) -> None:
        super().__init__("local", 1)
        self.n, self.waiting, self.most = workers, [], 0

    @property
    def workers(self) -> int:
        return self.n

    def submit(self, fn, *args):
        task = super().submit(fn, *args)
        self.waiting = [t for t in self.waiting if t.fn is not None] + [task]
        self.most = max(self.most, len(self.waiting))
        return task


def sentences_only(documents: list[list[dict]]) -> list[dict]:
    """Stands in for the NLP stage: each document's blocks as its only table."""
    return [{"sentences": blocks} for blocks in documents]


def test_the_list_of_input_files_holds_a_few_hundred_bytes_a_file(tmp_path) -> None:
    """Reading holds every input file's name and manifest values until the last is read:
    as ``Path`` objects, which keep their parts and string forms, with document ids in a
    dict and manifest rows as dicts, that came to ~900 bytes a file in the build."""
    files = 2_000
    manifest = ["file,outlet,url,published,notes"]
    for i in range(files):
        name = f"outlet-{i:05d}-a-long-article-file-name.txt"
        (tmp_path / name).touch()
        url = f"https://example.org/news/2019/{i:05d}-a-long-article-slug"
        manifest.append(f"{name},Outlet {i % 7},{url},2019-0{1 + i % 9}-1{i % 10},a note")
    (tmp_path / "manifest.csv").write_text("\n".join(manifest) + "\n")
    tracemalloc.start()
    try:
        found = inputs(tmp_path)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(found.names) == files
    url = "https://example.org/news/2019/00001-a-long-article-slug"
    assert found.manifest[1] == ("", "Outlet 1", url, "2019-02-11", "")
    assert held / files < 350


def test_tasks_in_flight_stay_bounded(monkeypatch) -> None:
    monkeypatch.setattr(engine, "annotate_documents", sentences_only)
    docs = [(f"d{i:02d}", f"sha{i}", [{"text": "word " * 50}]) for i in range(40)]
    kept: dict[str, dict] = {}
    runner = CountingEngine(workers=2)
    with runner:
        counts = engine.run_documents(docs, kept.__setitem__, runner, progress=False, words=100)
    assert sorted(kept) == [d[0] for d in docs]
    assert counts == {"documents": 40, "annotated": 40, "cached": 0}
    assert runner.most <= engine.IN_FLIGHT * 2 + 1


class SlowEngine(engine.Engine):
    """Two workers whose tasks only finish when their result is asked for."""

    def __init__(self) -> None:
        super().__init__("local", 1)
        self.in_flight, self.most = 0, 0

    @property
    def workers(self) -> int:
        return 2

    def submit(self, fn, *args):
        runner, task = self, super().submit(fn, *args)
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)

        class Busy:
            def done(self) -> bool:
                return False

            def result(self):
                runner.in_flight -= 1
                return task.result()

        return Busy()


def read_and_keep(monkeypatch) -> tuple[list[str], SlowEngine, dict[str, int]]:
    """Events of 40 documents read and kept by ``run_documents`` on a SlowEngine."""
    monkeypatch.setattr(engine, "annotate_documents", sentences_only)
    events: list[str] = []

    def docs():
        for i in range(40):
            events.append(f"read d{i:02d}")
            yield f"d{i:02d}", f"sha{i}", [{"text": "word " * 50}]

    runner = SlowEngine()
    with runner:
        counts = engine.run_documents(
            docs(),
            lambda doc_id, _: events.append(f"kept {doc_id}"),
            runner,
            progress=False,
            words=100,
            on_read=lambda: events.append("all read"),
        )
    return events, runner, counts


def test_reading_runs_ahead_of_busy_workers(monkeypatch) -> None:
    events, runner, counts = read_and_keep(monkeypatch)
    assert counts == {"documents": 40, "annotated": 40, "cached": 0}
    # every document is read before the first result is waited for, yet only a few
    # batches were ever handed to the workers at once
    assert events.index("all read") == 40 and events[41:] == [f"kept d{i:02d}" for i in range(40)]
    assert runner.most == engine.IN_FLIGHT * 2


def test_reading_ahead_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(engine, "READ_AHEAD", 3)
    events, runner, counts = read_and_keep(monkeypatch)
    assert counts["annotated"] == 40 and runner.most == engine.IN_FLIGHT * 2
    # batches are two documents: 4 in flight and 3 waiting hold d00 to d13, so reading
    # the batch of d14 and d15 waits for the first result before d16 is read
    assert events.index("read d15") < events.index("kept d00") < events.index("read d16")


class HalfCache:
    """A cache holding every other document."""

    def get(self, sha: str) -> dict | None:
        return {"sentences": []} if int(sha.removeprefix("sha")) % 2 else None

    def put(self, sha: str, result: dict) -> None:
        pass


def test_results_are_kept_in_reading_order_with_cache_hits(monkeypatch) -> None:
    monkeypatch.setattr(engine, "annotate_documents", sentences_only)
    docs = [(f"d{i:02d}", f"sha{i}", [{"text": "word " * 50}]) for i in range(40)]
    kept: list[str] = []
    with SlowEngine() as runner:  # hits are ready long before the annotated documents
        counts = engine.run_documents(
            docs, lambda doc_id, _: kept.append(doc_id), runner, HalfCache(), False, words=100
        )
    assert counts == {"documents": 40, "annotated": 20, "cached": 20}
    assert kept == [doc[0] for doc in docs]


def test_reuse_of_texts_without_a_term_outside_the_stop_list() -> None:
    pairs, passages = reuse.reuse_tables(
        pd.Series({"a": "the and of it is", "b": "the and of it is"}), n=3
    )
    assert pairs["cosine"].tolist() == [0.0, 0.0] and pairs["share_of_a_in_b"].tolist() == [
        1.0,
        1.0,
    ]
    assert passages["n_words"].tolist() == [5, 5]
    assert reuse.reuse_tables(pd.Series(dtype=str))[0].empty


def test_spool_gives_back_what_it_was_given_in_order(tmp_path) -> None:
    with (tmp_path / "spool").open("w+b") as file:
        spool = engine.Spool(file)
        for data in (b"one", b"", b"three"):
            spool.append(data)
        assert [spool.popleft(), spool.popleft()] == [b"one", b""]
        spool.append(b"four")
        assert spool.popleft() == b"three" and len(spool) == 1
        assert spool.popleft() == b"four" and not spool
        assert file.seek(0, 2) == 0  # all read: the file starts again
        spool.append(b"five")
        assert spool.popleft() == b"five"


def components(quotes: pd.DataFrame) -> set[frozenset[int]]:
    """Groups of quotes (by row) joined by every pair from different documents that
    shares a run of CANDIDATE_GRAM words and covers MIN_COVER: alignment by brute force."""
    seqs = [alignment.words(t) for t in quotes["text"]]
    eligible = [
        k != "scare" and len(s) >= alignment.MIN_WORDS
        for k, s in zip(quotes["kind"], seqs, strict=True)
    ]

    def grams(s):
        n = alignment.CANDIDATE_GRAM
        return {s[k : k + n] for k in range(len(s) - n + 1)}

    graph = nx.Graph()
    graph.add_nodes_from(range(len(seqs)))
    for i, j in itertools.combinations(range(len(seqs)), 2):
        if (
            eligible[i]
            and eligible[j]
            and quotes["doc_id"].iloc[i] != quotes["doc_id"].iloc[j]
            and grams(seqs[i]) & grams(seqs[j])
            and alignment.coverage(seqs[i], seqs[j]) >= alignment.MIN_COVER
        ):
            graph.add_edge(i, j)
    return {frozenset(c) for c in nx.connected_components(graph)}


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abc"),
            st.lists(st.sampled_from(["isis", "turkey", "kurds", "ypg", "the"]), max_size=9),
            st.sampled_from(["direct", "scare"]),
        ),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=5),
)
def test_alignment_groups_every_quote_it_should_and_no_other(rows, part_size: int) -> None:
    quotes = pd.DataFrame(
        [
            {"doc_id": d, "quote_id": k, "text": " ".join(w), "kind": kind, "speaker": "Omer"}
            for k, (d, w, kind) in enumerate(rows)
        ],
        columns=["doc_id", "quote_id", "text", "kind", "speaker"],
    ).sort_values(["doc_id", "quote_id"], ignore_index=True)
    parts = [quotes.iloc[k : k + part_size] for k in range(0, len(quotes), part_size)]
    with alignment.Quoted.gathered(parts) as quoted:  # a document may span parts
        numbers, _ = alignment.utterances(quoted)
    found = {frozenset(np.flatnonzero(numbers == n).tolist()) for n in set(numbers.tolist())}
    assert found == components(quotes)
    firsts = list(dict.fromkeys(numbers.tolist()))  # numbered in order of their first quote
    assert firsts == list(range(1, len(firsts) + 1))


def test_shared_runs_are_the_runs_quotes_of_two_documents_hold() -> None:
    """The candidate index, counted on disk one range of keys at a time, holds exactly
    the 4-grams that eligible quotes of two or more documents hold, in every range."""
    rng = np.random.default_rng(0)
    vocabulary = [f"w{k}" for k in range(8)]
    quotes = pd.DataFrame(
        {
            "doc_id": [f"d{k // 4:03d}" for k in range(2_000)],
            "text": [" ".join(rng.choice(vocabulary, rng.integers(3, 12))) for _ in range(2_000)],
            "kind": rng.choice(["direct", "scare"], 2_000, p=[0.9, 0.1]).tolist(),
            "speaker": "Omer",
        }
    )
    held: dict[int, set[str]] = {}
    for doc, text, kind in quotes[["doc_id", "text", "kind"]].itertuples(False, None):
        seq = alignment.words(text)
        if kind != "scare" and len(seq) >= alignment.MIN_WORDS:
            keys = reuse.word_keys(np.array(seq, dtype=object))
            for gram in reuse.shingles(keys, alignment.CANDIDATE_GRAM).tolist():
                held.setdefault(gram, set()).add(doc)
    expected = sorted(g for g, docs in held.items() if len(docs) > 1)
    ranges = {g >> (64 - alignment.RUN_BUCKET_BITS) for g in expected}
    assert len(ranges) == 1 << alignment.RUN_BUCKET_BITS  # every range holds some
    parts = [quotes.iloc[k : k + 400] for k in range(0, len(quotes), 400)]  # 100 documents
    with alignment.Quoted.gathered(parts) as quoted:
        assert quoted.shared.tolist() == expected


def test_cross_article_tables_a_few_articles_at_a_time_equal_all_at_once(
    tmp_path, monkeypatch
) -> None:
    whole = build(RAW_DIR, tmp_path / "whole", progress=False, use_cache=False)
    monkeypatch.setattr(stages, "CHUNK_DOCS", 1)
    monkeypatch.setattr(alignment, "VERSION_BATCH", 1)
    monkeypatch.setattr(alignment, "QUOTES_AT_ONCE", 1)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_BYTES", 1)  # quotes aligned in parts too
    monkeypatch.setattr(TableRows, "CHUNK", 1)
    parts = build(RAW_DIR, tmp_path / "parts", progress=False, use_cache=False)
    for name in ("quotes", "utterances", "chain", "caveats"):
        pd.testing.assert_frame_equal(whole[name], parts[name])
        assert pq.ParquetFile(parts.path(name)).num_row_groups > 1, name  # made in parts
    assert whole["chain"]["relation"].eq("quotes").any()
    assert whole["caveats"]["status"].ne("not relayed").any()


def test_an_empty_table_is_one_empty_part_and_parts_keep_their_schema(tmp_path) -> None:
    store = TableStore(tmp_path)
    schema = typed_schema({"doc_id": "str", "evidence": "str"})
    frames = [
        pd.DataFrame({"doc_id": ["a"], "evidence": [None]}),
        pd.DataFrame({"doc_id": ["b"], "evidence": ["x"]}),
    ]
    store.write_parts("caveats", iter(frames), schema)  # the first part alone has no type
    missing, given = read_table(store.part("caveats"), ["evidence"])["evidence"]
    assert pd.isna(missing) and given == "x"
    with pytest.raises(ValueError, match="no part"):
        store.write_parts("chain", iter([]))
    pq.write_table(schema.empty_table(), tmp_path / "empty.parquet")
    (part,) = row_groups(tmp_path / "empty.parquet", ["doc_id"])
    assert part.empty and list(part.columns) == ["doc_id"]


def test_tasks_read_a_table_file_by_path_or_as_bytes_alike(tmp_path) -> None:
    tables = build(RAW_DIR, tmp_path, progress=False)
    text_tables = stages.text_tables
    by_path = stages.task_tables(None, text_tables, tables.path("articles"))
    as_bytes = stages.task_tables(None, text_tables, tables.path("articles").read_bytes())
    assert by_path == as_bytes and set(by_path) == {"distinctive", "similarity", "passages"}
    store = TableStore(tmp_path / "written")  # by a worker sharing this machine's disk
    assert stages.task_tables(store.folder, text_tables, tables.path("articles")) == {}
    assert {n: store.part(n).read_bytes() for n in by_path} == by_path
    files = [tables.path(n) for n in ("sentences", "mentions", "stance")]
    claims = stages.claim_tables(*files)["claims"]
    pd.testing.assert_frame_equal(
        claims, stages.claim_tables(*(f.read_bytes() for f in files))["claims"]
    )
    pd.testing.assert_frame_equal(claims, tables["claims"])
    assert engine.Engine("local", 2).shares_disk and engine.Engine("dask").shares_disk
    assert not engine.Engine("dask", scheduler="tcp://elsewhere:8786").shares_disk


def test_the_command_line_allocates_arrow_memory_with_the_c_library() -> None:
    """``python -m helpers`` configures memory before pyarrow is imported, so Arrow's
    default pool (chosen once, at import) is the system allocator, not mimalloc."""
    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    script = (
        "import sys, helpers.__main__ as cli\n"
        "assert 'pyarrow' not in sys.modules\n"
        "from helpers.build.memory import main_process_memory\n"
        "main_process_memory()\n"
        "import pyarrow\n"
        "print(pyarrow.default_memory_pool().backend_name)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True
    )
    assert ran.stdout.split() == ["system"]


def test_bench_reads_a_process_s_own_peak_not_the_parent_s_at_fork() -> None:
    """A child of a large process: ``ru_maxrss`` reports the parent's size, ``VmHWM`` the
    child's own peak, which is what the benchmark prints."""
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc")
    ballast = np.ones(300 << 17)  # 300 MB held in this process while the child starts
    code = (
        "import resource\n"
        "from helpers.build.bench import high_water_kb\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, high_water_kb())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    maxrss, own = map(int, out.stdout.split())
    assert ballast.nbytes >= 300 << 20
    assert maxrss > (300 << 10) > own


def test_bench_prints_each_stage_share_of_the_wall_time() -> None:
    from helpers.build.bench import stage_shares

    text = stage_shares({"read": 1.0, "annotate": 6.0, "across": 2.0}, 10.0, 250_000)
    lines = text.splitlines()
    assert lines[0] == "250,000 words: build 10.0 s"
    assert [ln.split()[0] for ln in lines[1:4]] == ["annotate", "across", "read"]  # largest first
    assert "60.0%" in lines[1] and "10.0%" in lines[-1]  # the rest outside the stages
