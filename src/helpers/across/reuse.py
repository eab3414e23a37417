"""Similarity and text reuse between articles, computed a block of articles at a time so
that memory stays flat however large the corpus.

One pass over the texts writes each article's words (character offsets and, for every run
of ``SHINGLE`` words, a 64-bit shingle key) and its term counts to a scratch folder. Then
the articles are taken a block at a time and compared with every block in turn: the
shingles two articles share (a sparse product over the row block's own shingles) and the
cosine of their TF-IDF vectors. Each article keeps every partner in a small corpus, else
its ``top_k`` closest by each measure; the block's pairs, and the passages they share
with offsets in both texts, are written out before the next block is read. What is held
at a time: two blocks, the term vocabulary, and a few numbers per article. Comparing
every block with every other is the one step that grows with the square of the corpus,
as pairs must.
"""

from __future__ import annotations

import io
import re
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from helpers.across.tfidf import smooth_idf, weigh

_WORD = re.compile(r"\w+(?:['’]\w+)?")
SHINGLE = 8  # words; long enough that a shared run is copying, not common phrasing
NEAR_DUPLICATE = 0.9  # share of a text found in the other
REPUBLICATION = 0.5
ALL_PAIRS_UP_TO = 50  # articles; above this, each keeps its top_k partners
TOP_K = 10
BLOCK_WORDS = 250_000  # a block ends at this many words or BLOCK_DOCS articles, so the
BLOCK_DOCS = 1_000  # product of two blocks has at most a million pairs
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: the rolling hash is a bijection per step

PAIRS = pa.schema(
    [
        ("doc_a", pa.large_string()),
        ("doc_b", pa.large_string()),
        ("cosine", pa.float64()),
        ("share_of_a_in_b", pa.float64()),
        ("longest_passage", pa.int64()),
        ("passages", pa.int64()),
        ("near_duplicate", pa.bool_()),
        ("republication", pa.bool_()),
    ]
)
PASSAGES = pa.schema(
    [("doc_a", pa.large_string()), ("doc_b", pa.large_string())]
    + [(name, pa.int64()) for name in ("start_a", "end_a", "start_b", "end_b", "n_words")]
)
PAIR_COLUMNS = PAIRS.names
PASSAGE_COLUMNS = PASSAGES.names


@dataclass(frozen=True)
class Words:
    """One text's words: character offsets and, for each run of ``n`` words, a 64-bit
    shingle key (equal runs have equal keys in every text)."""

    starts: np.ndarray
    ends: np.ndarray
    grams: np.ndarray

    @cached_property
    def order(self) -> np.ndarray:
        """The argsort of the keys, to look shingles up by binary search."""
        return np.argsort(self.grams, kind="stable")


def text_words(text: str, n: int = SHINGLE) -> Words:
    """A text's words, compared case-folded ("IS" and "ISIS" stay apart). Shingle keys
    are a rolling hash over each word's 64-bit hash, so they need no corpus vocabulary."""
    matches = list(_WORD.finditer(text))
    spans = np.fromiter((i for m in matches for i in m.span()), np.int32, 2 * len(matches))
    spans = spans.reshape(-1, 2)
    folded = np.array([m.group().lower().replace("’", "'") for m in matches], dtype=object)
    return Words(spans[:, 0].copy(), spans[:, 1].copy(), shingles(word_keys(folded), n))


def word_keys(words: np.ndarray) -> np.ndarray:
    """A 64-bit key per word (an object array of strings): equal words, equal keys."""
    return pd.util.hash_array(words, categorize=False) if len(words) else np.zeros(0, np.uint64)


def shingles(keys: np.ndarray, n: int) -> np.ndarray:
    """A key for each run of ``n`` word keys: a rolling hash, equal runs equal keys."""
    count = max(len(keys) - n + 1, 0)
    grams = np.zeros(count, dtype=np.uint64)
    for k in range(n if count else 0):  # uint64 arithmetic wraps: a hash mod 2**64
        grams = grams * _MULTIPLIER + keys[k : k + count]
    return grams


def _passages(a: Words, bs: list[Words], n: int) -> np.ndarray:
    """Maximal runs of words A shares with each of ``bs``, as rows (partner, start_a,
    end_a, start_b, end_b, n_words, first word in A) sorted by the first six. Each run is
    a diagonal stretch of shingle matches; all partners are looked up at once."""
    grams = np.concatenate([b.grams for b in bs]) if bs else np.zeros(0, np.uint64)
    first_gram = np.r_[0, np.cumsum([len(b.grams) for b in bs])].astype(np.int64)
    order = np.argsort(grams, kind="stable")
    ordered = grams[order]
    lo = np.searchsorted(ordered, a.grams, "left")
    counts = np.searchsorted(ordered, a.grams, "right") - lo
    i = np.repeat(np.arange(len(a.grams)), counts)
    within = np.arange(len(i)) - np.repeat(np.cumsum(counts) - counts, counts)
    match = order[np.repeat(lo, counts) + within]
    partner = np.searchsorted(first_gram, match, "right") - 1
    j = match - first_gram[partner]
    diagonal = i - j
    sort = np.lexsort((i, diagonal, partner))
    i, j, diagonal, partner = i[sort], j[sort], diagonal[sort], partner[sort]
    new = (partner[1:] != partner[:-1]) | (diagonal[1:] != diagonal[:-1]) | (i[1:] != i[:-1] + 1)
    starts = np.flatnonzero(np.r_[True, new]) if len(i) else np.zeros(0, np.int64)
    length = np.diff(np.r_[starts, len(i)]) + n - 1
    i0, j0, p0 = i[starts], j[starts], partner[starts]
    first_word = np.r_[0, np.cumsum([len(b.starts) for b in bs])].astype(np.int64)
    b_starts = np.concatenate([b.starts for b in bs]) if bs else np.zeros(0, np.int32)
    b_ends = np.concatenate([b.ends for b in bs]) if bs else np.zeros(0, np.int32)
    runs = np.column_stack(
        [
            p0,
            a.starts[i0],
            a.ends[i0 + length - 1],
            b_starts[first_word[p0] + j0],
            b_ends[first_word[p0] + j0 + length - 1],
            length,
            i0,
        ]
    ).astype(np.int64)
    return runs[np.lexsort(runs[:, 5::-1].T)]


def _covered(runs: np.ndarray, n_partners: int, n_words: int) -> np.ndarray:
    """For each partner, how many of A's words lie inside at least one of its runs."""
    edges = np.zeros((n_partners, n_words + 1), dtype=np.int64)
    np.add.at(edges, (runs[:, 0], runs[:, 6]), 1)
    np.add.at(edges, (runs[:, 0], runs[:, 6] + runs[:, 5]), -1)
    return (np.cumsum(edges[:, :-1], axis=1) > 0).sum(axis=1)


class Scratch:
    """Arrays appended one article at a time to files in ``folder``, one file per name,
    and read back for a range of articles."""

    def __init__(self, folder: Path, dtypes: dict[str, type], files: ExitStack) -> None:
        self.dtypes = {name: np.dtype(t) for name, t in dtypes.items()}
        self.files = {name: files.enter_context((folder / name).open("w+b")) for name in dtypes}
        self.at = {name: array("q", [0]) for name in dtypes}  # first element of each article

    def append(self, **arrays: np.ndarray) -> None:
        """One article's arrays."""
        for name, values in arrays.items():
            self.extend([len(values)], **{name: values})

    def extend(self, lengths: list[int], **arrays: np.ndarray) -> None:
        """Several articles' arrays, one after the other, ``lengths`` long."""
        for name, values in arrays.items():
            self.files[name].write(np.ascontiguousarray(values, self.dtypes[name]).tobytes())
            at = self.at[name]
            at.extend((at[-1] + np.cumsum(lengths, dtype=np.int64)).tolist())

    def count(self, name: str) -> int:
        """How many articles' arrays the file ``name`` holds."""
        return len(self.at[name]) - 1

    def read(self, name: str, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """The elements of articles ``lo`` to ``hi - 1``, one after the other, and how many
        each article has."""
        lengths = np.diff(np.frombuffer(self.at[name], np.int64)[lo : hi + 1])
        return self.elements(name, lo, hi), lengths

    def elements(self, name: str, lo: int, hi: int) -> np.ndarray:
        """The elements of articles ``lo`` to ``hi - 1``, one after the other."""
        at, file, dtype = self.at[name], self.files[name], self.dtypes[name]
        file.seek(at[lo] * dtype.itemsize)
        return np.frombuffer(file.read((at[hi] - at[lo]) * dtype.itemsize), dtype)


class Corpus:
    """The texts' words, term counts and TF-IDF vectors in a scratch folder (its files
    kept open by ``files``): everything the comparisons read, from one pass over the
    texts."""

    def __init__(
        self, folder: Path, docs: Iterable[tuple[str, str]], n: int, files: ExitStack
    ) -> None:
        self.ids: list[str] = []
        words = {"starts": np.int32, "ends": np.int32, "grams": np.uint64}
        self.words = Scratch(folder, words, files)
        self.terms = Scratch(folder, {"term": np.int32, "count": np.float64}, files)
        self.blocks: list[tuple[int, int]] = []
        vocabulary: dict[str, int] = {}  # ids in order of first use, as scikit-learn counts
        frequency: Counter[int] = Counter()  # articles using each term
        analyse = TfidfVectorizer(stop_words="english").build_analyzer()
        block_words = 0
        for doc_id, text in docs:
            if self.ids and doc_id <= self.ids[-1]:
                raise ValueError(f"{doc_id!r} arrived after {self.ids[-1]!r}")
            words = text_words(text, n)
            self.words.append(starts=words.starts, ends=words.ends, grams=words.grams)
            counts = Counter(vocabulary.setdefault(t, len(vocabulary)) for t in analyse(text))
            self.terms.append(term=np.array(list(counts)), count=np.array(list(counts.values())))
            frequency.update(counts.keys())
            if not self.blocks or block_words >= BLOCK_WORDS or self._docs(-1) >= BLOCK_DOCS:
                self.blocks.append((len(self.ids), len(self.ids)))
                block_words = 0
            self.ids.append(doc_id)
            self.blocks[-1] = (self.blocks[-1][0], len(self.ids))
            block_words += len(words.starts)
        terms = sorted(vocabulary)
        self.rank = np.empty(len(terms), dtype=np.int32)  # first-use id -> sorted id
        self.rank[[vocabulary[t] for t in terms]] = np.arange(len(terms), dtype=np.int32)
        by_term = np.zeros(len(terms))
        by_term[self.rank] = [frequency[i] for i in range(len(terms))]
        self.idf = smooth_idf(by_term, len(self.ids))
        self.vectors = Scratch(folder, {"weight": np.float64, "column": np.int32}, files)
        for lo, hi in self.blocks:
            rows = self._weigh(lo, hi)
            self.vectors.extend(np.diff(rows.indptr), weight=rows.data, column=rows.indices)

    def _docs(self, block: int) -> int:
        lo, hi = self.blocks[block]
        return hi - lo

    def words_of(self, doc: int) -> Words:
        return Words(*(self.words.elements(f.name, doc, doc + 1) for f in fields(Words)))

    def shingles(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """The shingle keys of articles ``lo`` to ``hi - 1`` and the article of each."""
        grams, lengths = self.words.read("grams", lo, hi)
        return grams, np.repeat(np.arange(hi - lo), lengths)

    def tfidf(self, lo: int, hi: int) -> sparse.csr_matrix:
        """TF-IDF rows of articles ``lo`` to ``hi - 1``."""
        weights, lengths = self.vectors.read("weight", lo, hi)
        columns, _ = self.vectors.read("column", lo, hi)
        rows = sparse.csr_matrix(
            (weights, columns, np.r_[0, np.cumsum(lengths)]),
            shape=(hi - lo, max(len(self.rank), 1)),
        )
        rows.has_sorted_indices = False
        return rows

    def _weigh(self, lo: int, hi: int) -> sparse.csr_matrix:
        """TF-IDF rows as TfidfVectorizer(sublinear_tf=True) makes them, term order within
        a row included, so that sums come out the same."""
        ids, lengths = self.terms.read("term", lo, hi)
        counts, _ = self.terms.read("count", lo, hi)
        matrix = sparse.csr_matrix(
            (counts.copy(), ids.copy(), np.r_[0, np.cumsum(lengths)]),
            shape=(hi - lo, max(len(self.rank), 1)),
        )
        matrix.sort_indices()  # by first use, then renamed: scikit-learn's order
        matrix.indices = self.rank[matrix.indices]
        matrix.has_sorted_indices = False
        return weigh(matrix, self.idf, sublinear=True)


class Closest:
    """Each row's partners found so far: every one with a positive score, or only the
    ``top_k`` highest (ties to the lower column) when ``top_k`` is given. Rows and columns
    are article numbers; a row is never its own partner."""

    def __init__(self, lo: int, hi: int, top_k: int | None) -> None:
        self.lo, self.top_k = lo, top_k
        self.floor = np.zeros(hi - lo)  # the k-th best score of a full row
        self.rows = self.cols = np.zeros(0, dtype=np.int64)
        self.scores = np.zeros(0)

    def add(self, scores: sparse.spmatrix, col_lo: int) -> None:
        """Scores of this block's rows against the articles from ``col_lo`` on."""
        found = sparse.coo_matrix(scores)
        rows, cols = found.row.astype(np.int64), found.col.astype(np.int64) + col_lo
        values = found.data.astype(np.float64)
        keep = (values > 0) & (cols != rows + self.lo) & (values >= self.floor[rows])
        rows = np.r_[self.rows, rows[keep]]
        cols = np.r_[self.cols, cols[keep]]
        values = np.r_[self.scores, values[keep]]
        if self.top_k is not None:
            order = np.lexsort((cols, -values, rows))
            rows, cols, values = rows[order], cols[order], values[order]
            first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            rank = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
            last = rank == self.top_k - 1
            self.floor[rows[last]] = values[last]
            keep = rank < self.top_k
            rows, cols, values = rows[keep], cols[keep], values[keep]
        self.rows, self.cols, self.scores = rows, cols, values

    def by_row(self) -> dict[int, dict[int, float]]:
        """{article: {partner: score}}."""
        found: dict[int, dict[int, float]] = {}
        for row, col, score in zip(self.rows, self.cols, self.scores, strict=True):
            found.setdefault(int(row) + self.lo, {})[int(col)] = float(score)
        return found


def _shingle_rows(grams: np.ndarray, rows: np.ndarray, n_rows: int, vocab: np.ndarray):
    """Articles × ``vocab``, 1 where the article has the shingle; keys not in ``vocab``
    left out."""
    at = np.searchsorted(vocab, grams)
    hit = at < len(vocab)
    hit[hit] = vocab[at[hit]] == grams[hit]
    matrix = sparse.csr_matrix(
        (np.ones(int(hit.sum()), dtype=np.int32), (rows[hit], at[hit])),
        shape=(n_rows, max(len(vocab), 1)),
    )
    matrix.data[:] = 1  # repeats of a shingle inside one article count once
    return matrix


def _compare(corpus: Corpus, lo: int, hi: int, top_k: int | None) -> tuple[Closest, Closest]:
    """The partners of articles ``lo`` to ``hi - 1``: by shingles shared, by cosine."""
    grams, rows = corpus.shingles(lo, hi)
    vocab = np.unique(grams)
    mine = _shingle_rows(grams, rows, hi - lo, vocab)
    vectors = corpus.tfidf(lo, hi)
    shared, similar = Closest(lo, hi, top_k), Closest(lo, hi, top_k)
    for col_lo, col_hi in corpus.blocks:
        theirs = _shingle_rows(*corpus.shingles(col_lo, col_hi), col_hi - col_lo, vocab)
        shared.add(mine @ theirs.T, col_lo)
        similar.add(vectors @ corpus.tfidf(col_lo, col_hi).T, col_lo)
    return shared, similar


def _block_tables(
    corpus: Corpus, lo: int, hi: int, n: int, top_k: int | None
) -> tuple[pa.Table, pa.Table]:
    """The pairs and passages of articles ``lo`` to ``hi - 1``, sorted."""
    shared, similar = (c.by_row() for c in _compare(corpus, lo, hi, top_k))
    ids, pairs, pair_of_run, runs_found = corpus.ids, [], [], []
    for a in range(lo, hi):
        words_a = corpus.words_of(a)
        reused, cosines = sorted(shared.get(a, {})), similar.get(a, {})
        runs = _passages(words_a, [corpus.words_of(b) for b in reused], n)
        n_words = len(words_a.starts)
        covered = _covered(runs, len(reused), n_words)
        longest = np.zeros(len(reused), dtype=np.int64)
        np.maximum.at(longest, runs[:, 0], runs[:, 5])
        count = np.bincount(runs[:, 0], minlength=len(reused))
        found = {
            b: (int(covered[k]) / n_words if n_words else 0.0, int(longest[k]), int(count[k]))
            for k, b in enumerate(reused)
        }
        runs_found.append(runs[:, 1:6])
        pair_of_run += [(ids[a], ids[reused[k]]) for k in runs[:, 0]]
        for b in sorted(found.keys() | cosines.keys()):
            share, longest_b, count_b = found.get(b, (0.0, 0, 0))
            pairs.append(
                (
                    ids[a],
                    ids[b],
                    round(cosines.get(b, 0.0), 4),
                    round(share, 4),
                    longest_b,
                    count_b,
                    share >= NEAR_DUPLICATE,
                    share >= REPUBLICATION,
                )
            )
    offsets = np.concatenate(runs_found) if runs_found else np.zeros((0, 5), dtype=np.int64)
    return _table(list(zip(*pairs, strict=True)), PAIRS), _table(
        [*zip(*pair_of_run, strict=True), *offsets.T] if pair_of_run else [], PASSAGES
    )


def _table(columns: list, schema: pa.Schema) -> pa.Table:
    """A table from its columns in the schema's order; no columns, no rows."""
    if not columns:
        return schema.empty_table()
    arrays = [pa.array(column, field.type) for column, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def reuse_files(
    docs: Iterable[tuple[str, str]], n: int = SHINGLE, top_k: int = TOP_K
) -> dict[str, bytes]:
    """The similarity and passages tables as Parquet files, from (doc_id, text) in
    doc-id order (read once).

    Similarity: ordered pairs that share passages or are among each other's most similar,
    with the share of A's words inside passages shared with B, the longest passage, TF-IDF
    cosine, and near-duplicate and republication flags. Passages: runs of at least ``n``
    shared words with offsets in both texts. A pair counts as sharing passages by the
    number of distinct shingles in common.
    """
    files = {"similarity": io.BytesIO(), "passages": io.BytesIO()}
    with (
        tempfile.TemporaryDirectory(prefix="reuse-") as folder,
        ExitStack() as scratch_files,
        pq.ParquetWriter(files["similarity"], PAIRS) as pairs,
        pq.ParquetWriter(files["passages"], PASSAGES) as passages,
    ):
        corpus = Corpus(Path(folder), docs, n, scratch_files)
        keep = None if len(corpus.ids) <= ALL_PAIRS_UP_TO else top_k
        for lo, hi in corpus.blocks:
            block_pairs, block_passages = _block_tables(corpus, lo, hi, n, keep)
            pairs.write_table(block_pairs)
            passages.write_table(block_passages)
    return {name: file.getvalue() for name, file in files.items()}


def reuse_tables(
    texts: pd.Series, n: int = SHINGLE, top_k: int = TOP_K
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs, passages) of the texts in a series indexed by doc_id, as data frames."""
    files = reuse_files(texts.sort_index().items(), n, top_k)
    return tuple(pd.read_parquet(io.BytesIO(files[name])) for name in ("similarity", "passages"))
