"""Similarity and text reuse between articles.

TF-IDF cosine over the whole text, and passage-level reuse from shared word n-grams
(shingles): an inverted index from shingle to documents yields only the pairs that share
something, so the cost grows with shared passages, not with the square of the corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

_WORD = re.compile(r"\w+(?:['’]\w+)?")
SHINGLE = 8  # words; long enough that a shared run is copying, not common phrasing
NEAR_DUPLICATE = 0.9  # share of a text found in the other
REPUBLICATION = 0.5


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased words with their character offsets; "IS"/"ISIS" kept apart."""
    return [
        (m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)
    ]


def similarity(texts: pd.Series) -> pd.DataFrame:
    """TF-IDF cosine between every pair of documents (sparse vectors)."""
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            texts.tolist()
        )
    except ValueError:  # no documents, or no word outside the stop list
        return pd.DataFrame(0.0, index=texts.index, columns=texts.index)
    sims = cosine_similarity(matrix, dense_output=False).toarray()
    ids = list(texts.index)
    return pd.DataFrame(sims.round(4), index=ids, columns=ids)


def shared_passages(texts: pd.Series, n: int = SHINGLE) -> pd.DataFrame:
    """Maximal runs of at least ``n`` words that two documents share, with offsets."""
    words = {d: word_spans(t) for d, t in texts.items()}
    index: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for doc_id, toks in words.items():
        for i in range(len(toks) - n + 1):
            index[tuple(w for w, _, _ in toks[i : i + n])].append((doc_id, i))
    hits: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for places in index.values():
        if len(places) < 2:
            continue
        for a_doc, a_i in places:
            for b_doc, b_i in places:
                if a_doc != b_doc:
                    hits[(a_doc, b_doc)].add((a_i, b_i))
    rows = []
    for (a, b), starts in hits.items():
        for a_i, b_i in sorted(starts):
            if (a_i - 1, b_i - 1) in starts:
                continue  # inside a run that started earlier
            length = n
            while (a_i + length - n + 1, b_i + length - n + 1) in starts:
                length += 1
            ta, tb = words[a], words[b]
            rows.append(
                {
                    "doc_a": a,
                    "doc_b": b,
                    "start_a": ta[a_i][1],
                    "end_a": ta[a_i + length - 1][2],
                    "start_b": tb[b_i][1],
                    "end_b": tb[b_i + length - 1][2],
                    "n_words": length,
                }
            )
    columns = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "n_words"]
    return pd.DataFrame(rows, columns=columns).sort_values(columns, ignore_index=True)


def reuse_pairs(texts: pd.Series, passages: pd.DataFrame) -> pd.DataFrame:
    """For every ordered pair that shares a passage (or is textually similar): the share
    of A's words found in passages shared with B, the longest shared passage, TF-IDF
    cosine, and near-duplicate and republication flags."""
    spans = {d: word_spans(t) for d, t in texts.items()}
    sims = similarity(texts)
    by_pair = {key: group for key, group in passages.groupby(["doc_a", "doc_b"])}
    rows = []
    for a in texts.index:
        for b in texts.index:
            if a == b:
                continue
            mine = by_pair.get((a, b), passages.iloc[0:0])
            starts = [s for _, s, _ in spans[a]]
            covered = set()
            for start, end in mine[["start_a", "end_a"]].itertuples(index=False):
                covered.update(range(bisect_left(starts, start), bisect_left(starts, end)))
            share = len(covered) / len(starts) if starts else 0.0
            rows.append(
                {
                    "doc_a": a,
                    "doc_b": b,
                    "cosine": float(sims.at[a, b]),
                    "share_of_a_in_b": round(share, 4),
                    "longest_passage": int(mine["n_words"].max()) if len(mine) else 0,
                    "passages": len(mine),
                    "near_duplicate": share >= NEAR_DUPLICATE,
                    "republication": share >= REPUBLICATION,
                }
            )
    columns = [
        "doc_a",
        "doc_b",
        "cosine",
        "share_of_a_in_b",
        "longest_passage",
        "passages",
        "near_duplicate",
        "republication",
    ]
    return pd.DataFrame(rows, columns=columns)
