"""The claim matrix: which outlet asserts, attributes, hedges or omits each claim."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from .lexicons import read_toml

STATUS_ORDER = ["asserted", "hedged", "attributed", "absent"]  # strongest commitment first


@cache
def claims() -> list[dict]:
    return read_toml("claims.toml")["claim"]


def match_claims(
    sentences: pd.DataFrame, mentions: pd.DataFrame, stance: pd.DataFrame
) -> pd.DataFrame:
    """Sentences that state a claim: every required entity named, a cue present.

    Status of each match: ``attributed`` when the sentence is quoted or carries an
    attribution, ``hedged`` when the outlet's own sentence hedges, else ``asserted``.
    ``similarity`` is the TF-IDF cosine between the sentence and the claim's wording.
    """
    named = mentions.dropna(subset=["sent_id"]).groupby(["doc_id", "sent_id"])["entity"].agg(set)
    flags = stance.set_index(["doc_id", "sent_id"])
    vec = TfidfVectorizer(stop_words="english").fit(
        sentences["text"].tolist() + [c["wording"] for c in claims()]
    )
    rows = []
    for claim in claims():
        cue = re.compile(r"\b(?:" + "|".join(claim["cues"]) + r")\b", re.IGNORECASE)
        needed, also = set(claim["requires"]), set(claim.get("also", []))
        for s in sentences.itertuples():
            ents = named.get((s.doc_id, s.sent_id), set())
            if not needed <= ents or (also and not also & ents) or not cue.search(s.text):
                continue
            flag = flags.loc[(s.doc_id, s.sent_id)]
            status = (
                "attributed"
                if flag["attributed"]
                else ("hedged" if flag["n_hedges"] else "asserted")
            )
            rows.append(
                {
                    "claim_id": claim["id"],
                    "doc_id": s.doc_id,
                    "sent_id": s.sent_id,
                    "line": s.line,
                    "start": s.start,
                    "end": s.end,
                    "status": status,
                    "cue": cue.search(s.text).group(0).lower(),
                    "text": s.text,
                }
            )
    table = pd.DataFrame(
        rows,
        columns=["claim_id", "doc_id", "sent_id", "line", "start", "end", "status", "cue", "text"],
    )
    wording = {c["id"]: c["wording"] for c in claims()}
    table["similarity"] = 0.0
    if len(table):  # unit-length TF-IDF rows: the row-wise dot product is the cosine
        pairs = vec.transform(table["text"]).multiply(vec.transform(table["claim_id"].map(wording)))
        table["similarity"] = pairs.sum(axis=1).A1.round(3)
    return table.sort_values(["claim_id", "doc_id", "sent_id"], ignore_index=True)


def claim_matrix(matches: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """Claim x article: the strongest status found (asserted > hedged > attributed)."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    grid = pd.DataFrame("absent", index=[c["id"] for c in claims()], columns=doc_ids)
    for (claim_id, doc_id), group in matches.groupby(["claim_id", "doc_id"]):
        grid.loc[claim_id, doc_id] = min(group["status"], key=rank.__getitem__)
    return grid
