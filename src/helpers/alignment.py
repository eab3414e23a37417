"""Quotes across outlets: which render the same original words, and how faithfully.

Quotes are compared pairwise across articles with a word-level alignment
(``difflib.SequenceMatcher`` on lower-cased word tokens); two quotes belong to one
utterance when one covers most of the other. Utterances are the connected groups.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import networkx as nx
import pandas as pd

_TOKEN = re.compile(r"\[[^\]]*\]|[\w’'-]+|[^\w\s]")
MIN_WORDS = 5  # shorter quotes (scare quotes, single words) are not aligned
MIN_COVER = 0.6  # share of the shorter quote found, in order, in the longer one


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; a bracketed insertion "[he]" is one token."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text) if t.strip()]


def words(text: str) -> list[str]:
    return [t for t in tokens(text) if t[0].isalnum() or t.startswith("[")]


def coverage(a: list[str], b: list[str]) -> float:
    """Share of the shorter sequence matched, in order, in the longer one."""
    if not a or not b:
        return 0.0
    matched = sum(
        block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )
    return matched / min(len(a), len(b))


def align_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """Add ``utterance_id`` (shared by quotes from different articles rendering the same
    words; quotes with no counterpart get their own) to the quotes table."""
    quotes = quotes.copy()
    graph = nx.Graph()
    graph.add_nodes_from(quotes.index)
    candidates = quotes[
        quotes["text"].map(lambda t: len(words(t)) >= MIN_WORDS) & (quotes["kind"] != "scare")
    ]
    seqs = {i: words(t) for i, t in candidates["text"].items()}
    index = list(candidates.index)
    for n, i in enumerate(index):
        for j in index[n + 1 :]:
            if quotes.at[i, "doc_id"] == quotes.at[j, "doc_id"]:
                continue
            if coverage(seqs[i], seqs[j]) >= MIN_COVER:
                graph.add_edge(i, j)
    groups = sorted(
        (sorted(c) for c in nx.connected_components(graph)),
        key=lambda c: (quotes.at[c[0], "doc_id"], quotes.at[c[0], "start"]),
    )
    ids = {}
    for number, members in enumerate(groups, start=1):
        for member in members:
            ids[member] = f"U{number:03d}"
    quotes["utterance_id"] = pd.Series(ids)
    return quotes
