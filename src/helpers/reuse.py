"""Similarity and text reuse between articles, computed sparsely so large corpora scale.

Reuse: every article becomes a row of a sparse document × 8-word-shingle matrix; its
product with its transpose counts the shingles each pair shares (in compiled code, only
for pairs that share any). Passages, with offsets in both texts, are then read only for
the pairs kept: all pairs in a small corpus, each article's closest ``top_k`` partners in
a large one. Similarity: TF-IDF cosine, computed in row blocks that keep the same pairs
plus each article's ``top_k`` most similar, so memory stays bounded.
"""

from __future__ import annotations

import re
from hashlib import blake2b

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


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased words with their character offsets; "IS"/"ISIS" kept apart."""
    return [
        (m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)
    ]


def _shingles(spans: list[tuple[str, int, int]], n: int) -> list[int]:
    """Each run of ``n`` words as a 64-bit digest (stable across processes, compact)."""
    words = [w for w, _, _ in spans]
    return [
        int.from_bytes(
            blake2b(" ".join(words[i : i + n]).encode(), digest_size=8).digest(), "little"
        )
        for i in range(len(words) - n + 1)
    ]


def _shingle_matrix(grams: list[list[int]]) -> sparse.csr_matrix:
    ids: dict[int, int] = {}
    rows, cols = [], []
    for row, doc in enumerate(grams):
        for gram in set(doc):
            rows.append(row)
            cols.append(ids.setdefault(gram, len(ids)))
    data = np.ones(len(rows), dtype=np.int32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(grams), max(len(ids), 1)))


def _keep(
    scores: sparse.spmatrix, n_docs: int, top_k: int, offset: int = 0
) -> set[tuple[int, int]]:
    """Ordered pairs worth reporting: every pair with a score in a small corpus, else each
    row's ``top_k`` highest (ties by column). Rows are numbered from ``offset`` (a block of
    a product); each row is read from the sparse structure, never as a list of all pairs."""
    csr = sparse.csr_matrix(scores)
    kept: set[tuple[int, int]] = set()
    for row in range(csr.shape[0]):
        lo, hi = csr.indptr[row], csr.indptr[row + 1]
        cols, vals = csr.indices[lo:hi], csr.data[lo:hi]
        mask = (vals > 0) & (cols != row + offset)
        cols, vals = cols[mask], vals[mask]
        if n_docs > ALL_PAIRS_UP_TO and len(cols) > top_k:
            cols = cols[np.lexsort((cols, -vals))[:top_k]]
        kept.update((row + offset, int(c)) for c in cols)
    return kept


def _passages(a_spans, b_spans, a_grams, where_b: dict, n: int) -> list[tuple[int, ...]]:
    """Maximal runs of shared words as (start_a, end_a, start_b, end_b, n_words,
    first word index in A); ``where_b`` maps each shingle of B to its positions."""
    hits = {(i, j) for i, gram in enumerate(a_grams) for j in where_b.get(gram, ())}
    runs = []
    for i, j in sorted(hits):
        if (i - 1, j - 1) in hits:
            continue  # inside a run that started earlier
        length = n
        while (i + length - n + 1, j + length - n + 1) in hits:
            length += 1
        runs.append(
            (
                a_spans[i][1],
                a_spans[i + length - 1][2],
                b_spans[j][1],
                b_spans[j + length - 1][2],
                length,
                i,
            )
        )
    return runs


def reuse_tables(
    texts: pd.Series,
    n: int = SHINGLE,
    top_k: int = TOP_K,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs, passages). Pairs: ordered pairs that share passages or are among each
    other's most similar, with the share of A's words inside passages shared with B, the
    longest passage, TF-IDF cosine, and near-duplicate and republication flags. Passages:
    runs of at least ``n`` shared words with offsets in both texts."""
    ids = list(texts.index)
    spans = [word_spans(t) for t in texts]
    grams = [_shingles(s, n) for s in spans]
    matrix = _shingle_matrix(grams) if ids else None
    kept_pairs: set[tuple[int, int]] = set()
    for start in range(0, len(ids), BLOCK_ROWS):  # bounded memory: one block of rows
        block = matrix[start : start + BLOCK_ROWS] @ matrix.T
        kept_pairs |= _keep(block, len(ids), top_k, offset=start)
    kept = sorted(kept_pairs)
    cosines = similarity(texts, top_k)
    found: dict[tuple[str, str], dict] = {}
    passages = []
    where: dict[int, dict[int, list[int]]] = {}
    for a, b in kept:
        if b not in where:  # each article's shingle positions, indexed once
            where[b] = {}
            for j, gram in enumerate(grams[b]):
                where[b].setdefault(gram, []).append(j)
        runs = _passages(spans[a], spans[b], grams[a], where[b], n)
        covered = {w for *_, length, first in runs for w in range(first, first + length)}
        found[(ids[a], ids[b])] = {
            "share": len(covered) / len(spans[a]) if spans[a] else 0.0,
            "longest": max((r[4] for r in runs), default=0),
            "passages": len(runs),
        }
        passages += [(ids[a], ids[b], *run[:5]) for run in runs]
    rows = []
    for a, b in sorted(set(found) | set(cosines)):
        hit = found.get((a, b), {"share": 0.0, "longest": 0, "passages": 0})
        rows.append(
            (
                a,
                b,
                cosines.get((a, b), 0.0),
                round(hit["share"], 4),
                hit["longest"],
                hit["passages"],
                hit["share"] >= NEAR_DUPLICATE,
                hit["share"] >= REPUBLICATION,
            )
        )
    pairs = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    table = pd.DataFrame(passages, columns=PASSAGE_COLUMNS)
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
        for a, b in _keep(block, len(ids), top_k, offset=start):
            found[(ids[a], ids[b])] = round(float(block[a - start, b]), 4)
    return found
