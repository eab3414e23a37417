"""Quotes across outlets: which render the same original words, and how faithfully.

Quotes that share a run of words are compared across articles with a word-level alignment
(``difflib.SequenceMatcher`` on lower-cased word tokens); two quotes belong to one
utterance when one covers most of the other. Utterances are the connected groups.

Memory follows the quotes, not their words: aligning keeps each quote's words as 64-bit
keys in a scratch file, finds the runs of words that quotes of two documents share one
range of keys at a time, and indexes only those; versions of shared quotes are compared
a batch of utterances at a time.
"""

from __future__ import annotations

import re
import tempfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.across.reuse import Scratch, shingles, word_keys

_TOKEN = re.compile(r"\[[^\]]*\]|[\w’'-]+|[^\w\s]")
MIN_WORDS = 5  # shorter quotes (scare quotes, single words) are not aligned
MIN_COVER = 0.6  # share of the shorter quote found, in order, in the longer one
CANDIDATE_GRAM = 4  # quotes are compared only when they share a run of this many words
# quotes kept per 4-gram in the candidate index: the first holders of a run of words
# already represent the groups it belongs to; more would only repeat them
MAX_POSTINGS = 32
# quotes whose versions are compared at a time: a larger batch raises the peak of the
# process that makes them (docs/scale.md)
VERSION_BATCH = 2_000


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


RUN_BUCKET_BITS = 6  # runs are counted in 2**6 ranges of their keys, one range at a time
# Quotes split into words at a time: a whole row group of quotes held as word strings
# raises the peak of the process that aligns them while it is read
QUOTES_AT_ONCE = 1_000


@dataclass(frozen=True)
class Quoted:
    """What aligning needs of every quote: its document and speaker as numbers and
    whether it may be aligned (a few bytes a quote, in memory), its words as 64-bit keys
    (in a scratch file, read back a quote at a time), and the sorted keys of the 4-grams
    eligible quotes of two documents hold."""

    docs: np.ndarray
    eligible: np.ndarray
    speakers: np.ndarray
    names: list[str]  # the speakers, by number
    keys: Scratch  # "keys": each quote's word keys
    shared: np.ndarray

    @classmethod
    @contextmanager
    def gathered(cls, parts: Iterable[pd.DataFrame]) -> Iterator[Quoted]:
        """From parts of the quotes table (doc_id, kind, text, speaker), in table order;
        the words' keys and runs are on disk while the context lasts. Each part's runs
        (once per document) go to one file per range of keys; a run held twice in a
        range is held by two documents (or by one document in two parts: a few more runs
        indexed, the same candidates)."""
        doc_codes: dict[str, int] = {}
        speaker_codes: dict[str, int] = {}
        # grown in place, then viewed as arrays: joining parts at the end would hold twice
        docs, speakers, eligible = array("q"), array("q"), array("b")
        buckets = [f"runs{b}" for b in range(1 << RUN_BUCKET_BITS)]
        with tempfile.TemporaryDirectory() as folder, ExitStack() as files:
            scratch = Scratch(Path(folder), dict.fromkeys(["keys", *buckets], np.uint64), files)
            for part in (
                whole.iloc[at : at + QUOTES_AT_ONCE]
                for whole in parts
                for at in range(0, len(whole), QUOTES_AT_ONCE)
            ):
                seqs = [words(t) for t in part["text"]]
                n_words = np.fromiter(map(len, seqs), np.int64, len(seqs))
                part_docs = np.array(
                    [doc_codes.setdefault(d, len(doc_codes)) for d in part["doc_id"]], np.int64
                )
                part_keys = word_keys(np.array([w for seq in seqs for w in seq], dtype=object))
                part_eligible = (part["kind"] != "scare").to_numpy(bool) & (n_words >= MIN_WORDS)
                speakers.extend(
                    speaker_codes.setdefault(s, len(speaker_codes)) for s in part["speaker"]
                )
                docs.frombytes(part_docs.tobytes())
                eligible.frombytes(part_eligible.astype(np.int8).tobytes())
                scratch.extend(n_words.tolist(), keys=part_keys)
                # sorted, the runs of one range of keys (its top bits) are consecutive
                runs = np.sort(_grams_per_doc(part_keys, n_words, part_docs, part_eligible))
                ranges = runs >> np.uint64(64 - RUN_BUCKET_BITS)
                edges = np.searchsorted(ranges, np.arange(len(buckets) + 1, dtype=np.uint64))
                for name, lo, hi in zip(buckets, edges[:-1], edges[1:], strict=True):
                    scratch.extend([hi - lo], **{name: runs[lo:hi]})
            yield cls(
                docs=np.frombuffer(docs, np.int64),
                eligible=np.frombuffer(eligible, np.int8).astype(bool),
                speakers=np.frombuffer(speakers, np.int64),
                names=list(speaker_codes),
                keys=scratch,
                shared=np.concatenate([_repeated(scratch, name) for name in buckets]),
            )

    def words(self, i: int) -> np.ndarray:
        """Quote ``i``'s word keys."""
        return self.keys.elements("keys", i, i + 1)


def _repeated(scratch: Scratch, name: str) -> np.ndarray:
    """The sorted values found more than once in the file ``name`` of ``scratch``."""
    held = np.sort(scratch.elements(name, 0, scratch.count(name)))
    return np.unique(held[1:][held[1:] == held[:-1]])


def _grams_per_doc(
    keys: np.ndarray, lengths: np.ndarray, docs: np.ndarray, eligible: np.ndarray
) -> np.ndarray:
    """The 4-grams of the eligible quotes whose word keys are ``keys`` (``lengths`` each,
    one after the other), each once per document."""
    grams = shingles(keys, CANDIDATE_GRAM)  # some run across two quotes: dropped below
    owner = np.repeat(np.arange(len(lengths)), lengths)[: len(grams)]
    within = np.arange(len(grams)) - (np.cumsum(lengths) - lengths)[owner]
    keep = eligible[owner] & (within <= lengths[owner] - CANDIDATE_GRAM)
    held = pd.DataFrame({"gram": grams[keep], "doc": docs[owner[keep]]}).drop_duplicates()
    return held["gram"].to_numpy(np.uint64)


def utterances(quoted: Quoted) -> tuple[np.ndarray, list[str]]:
    """The utterance number of each quote (quotes from different articles rendering the
    same words share one; numbered from 1 in order of their first quote) and each
    utterance's speaker by number (``_consensus``).

    Candidates come from an index of the word 4-grams that quotes of two or more
    documents hold, so only quotes that share a run of words are compared, and a quote
    stops being compared with a group once it joins it (union-find): the cost follows the
    number of groups, not the square of the quotes.
    """
    parent = list(range(len(quoted.docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shared, docs = quoted.shared, quoted.docs.tolist()
    index: dict[int, list[int]] = {}
    for i in np.flatnonzero(quoted.eligible).tolist():
        keys = quoted.words(i)
        grams = shingles(keys, CANDIDATE_GRAM)
        at = np.searchsorted(shared, grams).clip(max=len(shared) - 1)
        held = set(grams[shared[at] == grams].tolist()) if len(shared) else set()
        pool = set().union(*(index.get(g, ()) for g in held))
        mine = tuple(keys.tolist())
        for j in sorted(j for j in pool if docs[j] != docs[i]):
            if find(j) != find(i) and coverage(mine, tuple(quoted.words(j).tolist())) >= MIN_COVER:
                parent[find(i)] = find(j)
        for g in held:
            postings = index.setdefault(g, [])
            if len(postings) < MAX_POSTINGS:
                postings.append(i)
    roots = np.array([find(i) for i in range(len(parent))], np.int64)
    _, first, group = np.unique(roots, return_index=True, return_inverse=True)
    numbers = np.argsort(np.argsort(first))[group] + 1  # in order of each group's first quote
    return numbers, _consensus(numbers, quoted.speakers, quoted.names)


def _consensus(numbers: np.ndarray, speakers: np.ndarray, names: list[str]) -> list[str]:
    """Each utterance's speaker, by number from 1 (0 is unused): the name most of its
    versions give, the first in sort order on a tie; a description ("a former
    technician") yields to a name given elsewhere."""
    given = pd.DataFrame({"utterance": numbers, "speaker": np.array(names, dtype=object)[speakers]})
    counts = given[given["speaker"] != "unattributed"].value_counts().rename("n").reset_index()
    counts["named"] = counts["speaker"].str[:1].str.isupper()
    counts = counts[counts["named"] | ~counts.groupby("utterance")["named"].transform("any")]
    best = counts.sort_values(["utterance", "n", "speaker"], ascending=[True, False, True])
    chosen = ["unattributed"] * (int(numbers.max(initial=0)) + 1)
    for utterance, speaker in best.drop_duplicates("utterance")[["utterance", "speaker"]].values:
        chosen[utterance] = speaker
    return chosen


def utterance_id(number: int) -> str:
    return f"U{number:03d}"


def with_utterances(part: pd.DataFrame, numbers: np.ndarray, speakers: list[str]) -> pd.DataFrame:
    """``part`` of the quotes table with ``utterance_id`` and ``utterance_speaker``, from its
    quotes' utterance numbers."""
    return part.assign(
        utterance_id=[utterance_id(n) for n in numbers.tolist()],
        utterance_speaker=[speakers[n] for n in numbers.tolist()],
    )


def relayed(numbers: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Whether each utterance, by number, is quoted by two or more documents (``docs``: the
    document number of each quote)."""
    pairs = np.unique(np.column_stack([numbers, docs]), axis=0)
    return np.bincount(pairs[:, 0], minlength=int(numbers.max(initial=0)) + 1) >= 2


def version_batches(numbers: np.ndarray, shared: np.ndarray) -> Iterator[np.ndarray]:
    """The quotes of the ``shared`` utterances (by number), a batch of utterances at a
    time, in the order of their ids, as masks over the quotes: each batch holds up to
    ``VERSION_BATCH`` quotes (or one utterance that has more). One empty batch if none."""
    chosen = np.flatnonzero(shared)
    chosen = chosen[np.argsort(np.array([utterance_id(n) for n in chosen.tolist()]))]
    batch = np.cumsum(np.bincount(numbers, minlength=len(shared))[chosen]) // VERSION_BATCH
    for b in np.unique(batch) if len(chosen) else [0]:
        wanted = np.zeros(len(shared), bool)
        wanted[chosen[batch == b]] = True
        yield wanted[numbers]


def align_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """Add ``utterance_id`` (shared by quotes from different articles rendering the same
    words; quotes with no counterpart get their own) and ``utterance_speaker``."""
    with Quoted.gathered([quotes]) as quoted:
        numbers, speakers = utterances(quoted)
    return with_utterances(quotes, numbers, speakers)


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
