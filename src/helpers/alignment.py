"""Quotes across outlets: which render the same original words, and how faithfully.

Quotes that share a run of words are compared across articles with a word-level alignment
(``difflib.SequenceMatcher`` on lower-cased word tokens); two quotes belong to one
utterance when one covers most of the other. Utterances are the connected groups.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache

import pandas as pd

_TOKEN = re.compile(r"\[[^\]]*\]|[\w’'-]+|[^\w\s]")
MIN_WORDS = 5  # shorter quotes (scare quotes, single words) are not aligned
MIN_COVER = 0.6  # share of the shorter quote found, in order, in the longer one
CANDIDATE_GRAM = 4  # quotes are compared only when they share a run of this many words
# quotes kept per 4-gram in the candidate index: the first holders of a run of words
# already represent the groups it belongs to; more would only repeat them
MAX_POSTINGS = 32


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; a bracketed insertion "[he]" is one token."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text) if t.strip()]


@lru_cache(maxsize=4096)  # bounded: memory must not grow with the corpus
def words(text: str) -> tuple[str, ...]:
    """The word tokens of a quote (cached: relayed quotes repeat across articles)."""
    return tuple(t for t in tokens(text) if t[0].isalnum() or t.startswith("["))


@lru_cache(maxsize=4096)  # bounded: memory must not grow with the corpus
def _bag(seq: tuple[str, ...]) -> Counter:
    return Counter(seq)


def coverage(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Share of the shorter sequence matched, in order, in the longer one."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0  # a verbatim relay: no alignment needed
    shortest = min(len(a), len(b))
    # words in common (with repeats) bound the in-order match from above
    if sum((_bag(a) & _bag(b)).values()) < MIN_COVER * shortest:
        return 0.0
    matched = sum(
        block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )
    return matched / shortest


def align_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """Add ``utterance_id`` (shared by quotes from different articles rendering the same
    words; quotes with no counterpart get their own) and ``utterance_speaker``.

    Candidates come from an index of word 4-grams, so only quotes that share a run of
    words are compared, and a quote stops being compared with a group once it joins it
    (union-find): the cost follows the number of groups, not the square of the quotes.
    """
    quotes = quotes.copy()
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    docs = quotes["doc_id"].tolist()
    eligible = (quotes["kind"] != "scare").tolist()
    seqs = [words(t) for t in quotes["text"]]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, seq in enumerate(seqs):
        if not eligible[i] or len(seq) < MIN_WORDS:
            continue
        grams = {tuple(seq[k : k + CANDIDATE_GRAM]) for k in range(len(seq) - CANDIDATE_GRAM + 1)}
        pool = set().union(*(index.get(g, ()) for g in grams))
        candidates = sorted(j for j in pool if docs[j] != docs[i])
        for j in candidates:
            if find(j) != find(i) and coverage(seqs[i], seqs[j]) >= MIN_COVER:
                parent[find(i)] = find(j)
        for g in grams:
            if len(index[g]) < MAX_POSTINGS:
                index[g].append(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        groups[find(i)].append(i)
    ordered = sorted(groups.values(), key=lambda members: members[0])
    ids = [""] * len(quotes)
    for number, members in enumerate(ordered, start=1):
        for member in members:
            ids[member] = f"U{number:03d}"
    quotes["utterance_id"] = ids
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
    if a == b:
        return {"fidelity": 1.0, "changes": "verbatim", "diff": ""}
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
    """Every version of each utterance quoted by two or more articles, compared with a
    reference version (``reference_version``): fidelity, kinds of change, word diff.

    A version made of several quotes of one article is one version (their text joined),
    and a quote that covers two quotes of another article is labelled ``merge``.
    """
    versions: dict[str, dict[str, dict]] = defaultdict(dict)  # utterance -> doc -> version
    fields = ["utterance_id", "doc_id", "quote_id", "line", "speaker", "text"]
    for q in quotes[fields].sort_values(fields[:3]).itertuples(index=False):
        v = versions[q.utterance_id].setdefault(
            q.doc_id, {"texts": [], "quote_ids": [], "line": q.line, "speaker": q.speaker}
        )
        v["texts"].append(q.text)
        v["quote_ids"].append(str(q.quote_id))
        v["line"] = min(v["line"], q.line)
    rows = []
    for utterance_id, by_doc in versions.items():
        if len(by_doc) < 2:
            continue
        texts = {d: " ".join(v["texts"]) for d, v in by_doc.items()}
        medoid = reference_version({d: words(t) for d, t in texts.items()})
        merged_docs = {d for d, v in by_doc.items() if len(v["texts"]) > 1}
        for doc_id, v in by_doc.items():
            result = compare(texts[doc_id], texts[medoid])
            single = len(v["texts"]) == 1
            if merged_docs - {doc_id} and single:
                result["changes"] = _add(result["changes"], "merge")
            if single and _paraphrase(result):
                result["changes"] = _add(result["changes"], "paraphrase")
            rows.append(  # a tuple: a dict per version weighs several times more
                (
                    utterance_id,
                    doc_id,
                    labels.get(doc_id, doc_id),
                    ",".join(v["quote_ids"]),
                    int(v["line"]),
                    v["speaker"],
                    doc_id == medoid,
                    result["fidelity"],
                    result["changes"],
                    result["diff"],
                    texts[doc_id],
                )
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


MEDOID_SAMPLE = 30  # versions compared when choosing a reference among many


def reference_version(seqs: dict[str, tuple[str, ...]]) -> str:
    """The version others are compared with: the most common wording without editorial
    brackets (the verbatim relay), else the one closest to all others (a medoid over at
    most ``MEDOID_SAMPLE`` versions, so large groups stay cheap)."""
    clean = {d: s for d, s in seqs.items() if not any(w.startswith("[") for w in s)} or seqs
    counts = Counter(tuple(s) for s in clean.values())
    top, n = counts.most_common(1)[0]
    if n > 1:
        return sorted(d for d, s in clean.items() if tuple(s) == top)[0]
    pool = sorted(clean)[:MEDOID_SAMPLE]
    return max(
        pool,
        key=lambda d: sum(
            SequenceMatcher(None, clean[d], seqs[o], autojunk=False).ratio()
            for o in sorted(seqs)[:MEDOID_SAMPLE]
            if o != d
        ),
    )
