"""The parts that keep large builds fast and small: array-based passages, compact row
chunks, tables written as their rows arrive and read back in part, a bounded number of
tasks in flight, reading ahead of busy workers."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.engine as engine
from helpers.build import TableRows
from helpers.reuse import _passages, corpus_words
from helpers.store import TableWriter, read_table


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
    words_a, words_b = corpus_words([" ".join(a), " ".join(b)], n)
    runs = _passages(words_a, words_b, n)
    # offsets back to word positions: every word here is one character and one space
    found = {(int(r[0]) // 2, int(r[2]) // 2, int(r[4])) for r in runs}
    assert found == naive_runs(a, b, n)
    assert all(r[1] == r[0] + 2 * r[4] - 1 for r in runs)  # end offset of the last word


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


def test_tasks_in_flight_stay_bounded(monkeypatch) -> None:
    monkeypatch.setattr(engine, "annotate_blocks", lambda blocks: {"sentences": blocks})
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
    monkeypatch.setattr(engine, "annotate_blocks", lambda blocks: {"sentences": blocks})
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
    monkeypatch.setattr(engine, "annotate_blocks", lambda blocks: {"sentences": blocks})
    docs = [(f"d{i:02d}", f"sha{i}", [{"text": "word " * 50}]) for i in range(40)]
    kept: list[str] = []
    with SlowEngine() as runner:  # hits are ready long before the annotated documents
        counts = engine.run_documents(
            docs, lambda doc_id, _: kept.append(doc_id), runner, HalfCache(), False, words=100
        )
    assert counts == {"documents": 40, "annotated": 20, "cached": 20}
    assert kept == [doc[0] for doc in docs]
