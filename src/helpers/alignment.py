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
    quotes["utterance_speaker"] = quotes.groupby("utterance_id")["speaker"].transform(_consensus)
    return quotes


def _consensus(speakers: pd.Series) -> str:
    """The name most versions give the speaker; a description ("a former technician")
    yields to a name given elsewhere."""
    named = [s for s in speakers if s != "unattributed" and s[:1].isupper()]
    pool = named or [s for s in speakers if s != "unattributed"]
    if not pool:
        return "unattributed"
    counts = pd.Series(pool).value_counts()
    return sorted(counts.index[counts == counts.max()])[0]


def compare(version: str, reference: str) -> dict:
    """How ``version`` renders ``reference``: fidelity (0-1) and the kinds of change.

    Changes: ``substitution`` (words swapped: "ISIS" -> "IS", "was" -> "is"),
    ``insertion`` (a bracketed editorial insertion "[he]"), ``addition`` (other words
    added), ``deletion`` (words left out inside), ``truncation`` (the start or end cut).
    """
    a, b = words(reference), words(version)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    changes, notes = set(), []
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        edge = n == 0 or n == len(opcodes) - 1
        if op == "replace":
            changes.add("substitution")
            if any(w.startswith("[") for w in b[j1:j2]):
                changes.add("insertion")  # an editorial bracket in place of words
            notes.append(f"{' '.join(a[i1:i2])} → {' '.join(b[j1:j2])}")
        elif op == "insert":
            inserted = b[j1:j2]
            changes.add("insertion" if any(w.startswith("[") for w in inserted) else "addition")
            notes.append(f"+ {' '.join(inserted)}")
        elif op == "delete":
            changes.add("truncation" if edge else "deletion")
            notes.append(f"− {' '.join(a[i1:i2])}")
    return {
        "fidelity": round(matcher.ratio(), 3),
        "changes": "; ".join(sorted(changes)) or "verbatim",
        "diff": " | ".join(notes),
    }


def utterance_versions(quotes: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Every version of each utterance quoted by two or more articles, compared with the
    version closest to all others (the medoid): fidelity, kinds of change, word diff.

    A version made of several quotes of one article is one version (their text joined),
    and a quote that covers two quotes of another article is labelled ``merge``.
    """
    shared = quotes.groupby("utterance_id")["doc_id"].transform("nunique") > 1
    rows = []
    for utterance_id, group in quotes[shared].groupby("utterance_id"):
        versions = group.groupby("doc_id").agg(
            text=("text", " ".join),
            quote_ids=("quote_id", lambda s: ",".join(map(str, s))),
            line=("line", "min"),
            speaker=("speaker", "first"),
            n_quotes=("quote_id", "size"),
        )
        seqs = {d: words(t) for d, t in versions["text"].items()}
        # the reference: closest to all others; brackets mark an outlet's own edit
        medoid = max(
            sorted(seqs),
            key=lambda d: (
                not any(w.startswith("[") for w in seqs[d]),
                sum(
                    SequenceMatcher(None, seqs[d], seqs[o], autojunk=False).ratio()
                    for o in seqs
                    if o != d
                ),
            ),
        )
        merged_docs = set(versions.index[versions["n_quotes"] > 1])
        for doc_id, version in versions.iterrows():
            result = compare(version["text"], versions.at[medoid, "text"])
            if merged_docs - {doc_id} and version["n_quotes"] == 1:
                result["changes"] = _add(result["changes"], "merge")
            if version["n_quotes"] == 1 and _paraphrase(result):
                result["changes"] = _add(result["changes"], "paraphrase")
            rows.append(
                {
                    "utterance_id": utterance_id,
                    "doc_id": doc_id,
                    "outlet": labels.get(doc_id, doc_id),
                    "quote_ids": version["quote_ids"],
                    "line": int(version["line"]),
                    "speaker": version["speaker"],
                    "reference": doc_id == medoid,
                    "text": version["text"],
                    **result,
                }
            )
    columns = [
        "utterance_id",
        "doc_id",
        "outlet",
        "quote_ids",
        "line",
        "speaker",
        "reference",
        "fidelity",
        "changes",
        "diff",
        "text",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["utterance_id", "doc_id"], ignore_index=True
    )


def _add(changes: str, label: str) -> str:
    found = set() if changes == "verbatim" else set(changes.split("; "))
    return "; ".join(sorted(found | {label}))


def _paraphrase(result: dict) -> bool:
    """Presented as a quotation but reworded: many substitutions, low fidelity."""
    return result["fidelity"] < 0.75 and "substitution" in result["changes"]
