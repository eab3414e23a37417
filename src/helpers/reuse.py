"""Similarity and text reuse between articles, computed sparsely so large corpora scale.

Reuse: every article becomes a row of a sparse document × 8-word-shingle matrix; its
product with its transpose counts the shingles each pair shares (in compiled code, only
for pairs that share any). Passages, with offsets in both texts, are then read only for
the pairs kept: all pairs in a small corpus, each article's closest ``top_k`` partners in
a large one. Words, offsets and shingles are held as numpy arrays (about 20 bytes a word)
and passages are found with array operations, so memory and time grow with the corpus,
not with Python objects per word. Similarity: TF-IDF cosine, computed in row blocks that
keep the same pairs plus each article's ``top_k`` most similar, so memory stays bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

_WORD = re.compile(r"\w+(?:['’]\w+)?")
SHINGLE = 8  # words; long enough that a shared run is copying, not common phrasing
NEAR_DUPLICATE = 0.9  # share of a text found in the other
REPUBLICATION = 0.5
ALL_PAIRS_UP_TO = 50  # articles; above this, each keeps its top_k partners
TOP_K = 10
BLOCK_ROWS = 1000  # rows of the cosine product computed at a time
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: the rolling hash is a bijection per step

PAIR_COLUMNS = [
    "doc_a",
    "doc_b",
    "cosine",
    "share_of_a_in_b",
    "longest_passage",
    "passages",
    "near_duplicate",
    "republication",
]
PASSAGE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "n_words"]


@dataclass(frozen=True)
class Words:
    """One text's words: character offsets and, for each run of ``n`` words, a 64-bit
    shingle key (equal runs have equal keys across the corpus)."""

    starts: np.ndarray
    ends: np.ndarray
    grams: np.ndarray
    order: np.ndarray  # argsort of grams, to look shingles up by binary search


def corpus_words(texts: list[str], n: int = SHINGLE) -> list[Words]:
    """Every text's words, compared case-folded ("IS" and "ISIS" stay apart), with
    shingle keys from a rolling hash over random word keys (seeded, so stable)."""
    vocab: dict[str, int] = {}
    tokens = []
    for text in texts:
        matches = list(_WORD.finditer(text))
        ids = [vocab.setdefault(m.group().lower().replace("’", "'"), len(vocab)) for m in matches]
        spans = np.array([m.span() for m in matches], dtype=np.int32).reshape(-1, 2)
        tokens.append((np.array(ids, dtype=np.int32), spans))
    keys = np.random.default_rng(0).integers(
        0, np.iinfo(np.uint64).max, size=max(len(vocab), 1), dtype=np.uint64, endpoint=True
    )
    out = []
    for ids, spans in tokens:
        count = max(len(ids) - n + 1, 0)
        grams = np.zeros(count, dtype=np.uint64)
        for k in range(n if count else 0):  # uint64 arithmetic wraps: a hash mod 2**64
            grams = grams * _MULTIPLIER + keys[ids[k : k + count]]
        order = np.argsort(grams, kind="stable").astype(np.int32)
        out.append(Words(spans[:, 0].copy(), spans[:, 1].copy(), grams, order))
    return out


def _shingle_matrix(words: list[Words]) -> sparse.csr_matrix:
    """Documents × distinct shingles, 1 where the document contains the shingle."""
    _, cols = np.unique(np.concatenate([w.grams for w in words]), return_inverse=True)
    indptr = np.r_[0, np.cumsum([len(w.grams) for w in words])]  # rows in document order
    matrix = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.int32), cols.ravel(), indptr),
        shape=(len(words), max(int(cols.max(initial=-1)) + 1, 1)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1  # repeats of a shingle inside one document count once
    return matrix


def _keep(
    scores: sparse.spmatrix, n_docs: int, top_k: int, offset: int = 0
) -> dict[tuple[int, int], float]:
    """Ordered pairs worth reporting, with their scores: every pair with a score in a small
    corpus, else each row's ``top_k`` highest (ties by column). Rows are numbered from
    ``offset`` (a block of a product); each row is read from the sparse structure, never as
    a list of all pairs."""
    csr = sparse.csr_matrix(scores)
    kept: dict[tuple[int, int], float] = {}
    for row in range(csr.shape[0]):
        lo, hi = csr.indptr[row], csr.indptr[row + 1]
        cols, vals = csr.indices[lo:hi], csr.data[lo:hi]
        mask = (vals > 0) & (cols != row + offset)
        cols, vals = cols[mask], vals[mask]
        if n_docs > ALL_PAIRS_UP_TO and len(cols) > top_k:
            best = np.lexsort((cols, -vals))[:top_k]
            cols, vals = cols[best], vals[best]
        kept.update(((row + offset, int(c)), float(v)) for c, v in zip(cols, vals, strict=True))
    return kept


def _passages(a: Words, b: Words, n: int) -> np.ndarray:
    """Maximal runs of shared words as rows (start_a, end_a, start_b, end_b, n_words,
    first word index in A): each run is a diagonal stretch of shingle matches."""
    order = b.order
    ordered = b.grams[order]
    lo = np.searchsorted(ordered, a.grams, "left")
    counts = np.searchsorted(ordered, a.grams, "right") - lo
    i = np.repeat(np.arange(len(a.grams)), counts)
    within = np.arange(len(i)) - np.repeat(np.cumsum(counts) - counts, counts)
    j = order[np.repeat(lo, counts) + within].astype(np.int64)
    diagonal = i - j
    sort = np.lexsort((i, diagonal))
    i, j, diagonal = i[sort], j[sort], diagonal[sort]
    starts = np.flatnonzero(
        np.r_[True, (diagonal[1:] != diagonal[:-1]) | (i[1:] != i[:-1] + 1)] if len(i) else []
    )
    length = np.diff(np.r_[starts, len(i)]) + n - 1
    i0, j0 = i[starts], j[starts]
    return np.column_stack(
        [a.starts[i0], a.ends[i0 + length - 1], b.starts[j0], b.ends[j0 + length - 1], length, i0]
    ).astype(np.int64)


def _covered(runs: np.ndarray, n_words: int) -> int:
    """How many of A's words lie inside at least one run."""
    edges = np.zeros(n_words + 1, dtype=np.int64)
    np.add.at(edges, runs[:, 5], 1)
    np.add.at(edges, runs[:, 5] + runs[:, 4], -1)
    return int((np.cumsum(edges[:-1]) > 0).sum())


def reuse_tables(
    texts: pd.Series,
    n: int = SHINGLE,
    top_k: int = TOP_K,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs, passages). Pairs: ordered pairs that share passages or are among each
    other's most similar, with the share of A's words inside passages shared with B, the
    longest passage, TF-IDF cosine, and near-duplicate and republication flags. Passages:
    runs of at least ``n`` shared words with offsets in both texts."""
    cosines = similarity(texts, top_k)  # first: its peak memory and the arrays' never add up
    ids = list(texts.index)
    words = corpus_words(texts.tolist(), n)
    kept_pairs: set[tuple[int, int]] = set()
    if ids:
        matrix = _shingle_matrix(words)
        for start in range(0, len(ids), BLOCK_ROWS):  # bounded memory: one block of rows
            block = matrix[start : start + BLOCK_ROWS] @ matrix.T
            kept_pairs.update(_keep(block, len(ids), top_k, offset=start))
        del matrix
    found: dict[tuple[str, str], tuple[float, int, int]] = {}
    passages, pair_of_run = [], []
    for a, b in sorted(kept_pairs):
        runs = _passages(words[a], words[b], n)
        n_words = len(words[a].starts)
        share = _covered(runs, n_words) / n_words if n_words else 0.0
        found[(ids[a], ids[b])] = (share, int(runs[:, 4].max(initial=0)), len(runs))
        passages.append(runs[:, :5])
        pair_of_run += [(ids[a], ids[b])] * len(runs)
    rows = []
    for a, b in sorted(set(found) | set(cosines)):
        share, longest, count = found.get((a, b), (0.0, 0, 0))
        rows.append(
            (
                a,
                b,
                cosines.get((a, b), 0.0),
                round(share, 4),
                longest,
                count,
                share >= NEAR_DUPLICATE,
                share >= REPUBLICATION,
            )
        )
    pairs = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    offsets = np.concatenate(passages) if passages else np.zeros((0, 5), dtype=np.int64)
    table = pd.DataFrame(pair_of_run, columns=PASSAGE_COLUMNS[:2]).join(
        pd.DataFrame(offsets, columns=PASSAGE_COLUMNS[2:])
    )
    return pairs, table.sort_values(PASSAGE_COLUMNS, ignore_index=True)


def similarity(texts: pd.Series, top_k: int = TOP_K) -> dict[tuple[str, str], float]:
    """TF-IDF cosine for every pair in a small corpus, else each document's ``top_k``,
    computed ``BLOCK_ROWS`` rows at a time."""
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            texts.tolist()
        )
    except ValueError:  # no documents, or no word outside the stop list
        return {}
    ids = list(texts.index)
    found = {}
    for start in range(0, len(ids), BLOCK_ROWS):
        block = matrix[start : start + BLOCK_ROWS] @ matrix.T
        for (a, b), score in _keep(block, len(ids), top_k, offset=start).items():
            found[(ids[a], ids[b])] = round(score, 4)
    return found
