"""Claims across articles: which outlet asserts, attributes, hedges or omits each claim."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from helpers.across.tfidf import smooth_idf, weigh
from helpers.annotate.stance import claim_status
from helpers.study import read_study

# strongest commitment first: an outlet reporting a denial, or asking, commits least
STATUS_ORDER = ["asserted", "hedged", "attributed", "questioned", "denied", "absent"]


@cache
def claims() -> list[dict]:
    return read_study("claims.toml")["claim"]


def claim_entities() -> set[str]:
    """Every entity a claim requires: mentions of any other never decide a match."""
    return {e for c in claims() for e in [*c["requires"], *c.get("also", [])]}


def sets_status(stance: pd.DataFrame) -> pd.Series:
    """Sentences whose claim status is not the default ``asserted``: attributed or hedged."""
    return stance["attributed"] | (stance["n_hedges"] > 0)


Chunk = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]  # sentences, mentions, stance


def match_claims(chunks: Iterable[Chunk]) -> pd.DataFrame:
    """Sentences that state a claim: every required entity named, a cue present.

    Each chunk holds some documents' sentences, the mentions of ``claim_entities()`` in
    them, and the stance of those of them that are attributed or hedged. Status of each
    match: ``denied`` or ``questioned`` when the sentence's own words deny the claim or
    leave it open (``claim_status``), else ``attributed`` when the sentence is quoted or
    carries an attribution, ``hedged`` when the outlet's own sentence hedges, else
    ``asserted``. ``similarity`` is
    the TF-IDF cosine between the sentence and the claim's wording, with every sentence
    of every chunk counted in the document frequencies, as scikit-learn's
    ``TfidfVectorizer`` fitted on them all would weigh the terms.
    """
    analyse = TfidfVectorizer(stop_words="english").build_analyzer()
    frequency: Counter[str] = Counter()  # sentences (and claim wordings) using each term
    n_texts = 0
    parts = []
    for sentences, mentions, stance in chunks:
        parts += _matches(sentences, mentions, stance)
        for text in sentences["text"]:
            frequency.update(set(analyse(text)))
        n_texts += len(sentences)
    columns = ["claim_id", "doc_id", "sent_id", "line", "start", "end", "status", "cue", "text"]
    table = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    wording = {c["id"]: c["wording"] for c in claims()}
    for text in wording.values():
        frequency.update(set(analyse(text)))
    terms = sorted(frequency)
    idf = smooth_idf([frequency[t] for t in terms], n_texts + len(wording))
    table["similarity"] = 0.0
    if len(table):  # unit-length TF-IDF rows: the row-wise dot product is the cosine
        counts = CountVectorizer(stop_words="english", vocabulary=terms)

        def vectors(texts: pd.Series):
            return weigh(counts.transform(texts).astype(np.float64), idf)

        pairs = vectors(table["text"]).multiply(vectors(table["claim_id"].map(wording)))
        table["similarity"] = pairs.sum(axis=1).A1.round(3)
    return table.sort_values(["claim_id", "doc_id", "sent_id"], ignore_index=True)


def _matches(
    sentences: pd.DataFrame, mentions: pd.DataFrame, stance: pd.DataFrame
) -> list[pd.DataFrame]:
    """Each claim's matching sentences among these, with status and cue."""
    keys = list(zip(sentences["doc_id"], sentences["sent_id"], strict=True))
    position = {key: i for i, key in enumerate(keys)}
    named = mentions.dropna(subset=["sent_id"])
    sentences_naming: dict[str, set[int]] = {}  # entity -> positions of sentences naming it
    for doc_id, sent_id, entity in zip(
        named["doc_id"], named["sent_id"], named["entity"], strict=True
    ):
        if (doc_id, sent_id) in position:
            sentences_naming.setdefault(entity, set()).add(position[(doc_id, sent_id)])
    flags = stance.set_index(["doc_id", "sent_id"]).reindex(keys)
    status = pd.Series(
        np.where(
            flags["attributed"].fillna(False).to_numpy(),
            "attributed",
            np.where(flags["n_hedges"].fillna(0).to_numpy() > 0, "hedged", "asserted"),
        ),
        index=sentences.index,
    )
    own = sentences["text"].map(claim_status)  # denials and open questions come first
    status = own.fillna(status).astype(status.dtype)
    parts = []
    for claim in claims():
        # groups in the data file's patterns become non-capturing: one group, the cue
        cue = r"\b(?:" + "|".join(re.sub(r"\((?!\?)", "(?:", c) for c in claim["cues"]) + r")\b"
        found = set(range(len(sentences)))  # sentences naming every required entity ...
        for entity in claim["requires"]:
            found &= sentences_naming.get(entity, set())
        if claim.get("also"):  # ... and at least one of the alternatives
            found &= set().union(*(sentences_naming.get(e, set()) for e in claim["also"]))
        named_all = sentences.iloc[sorted(found)]
        hits = named_all[named_all["text"].str.contains(cue, case=False, regex=True)]
        parts.append(
            hits.assign(
                claim_id=claim["id"],
                status=status[hits.index],
                cue=hits["text"].str.extract(f"(?i)({cue})", expand=False).str.lower(),
            )
        )
    return parts
